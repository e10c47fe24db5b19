"""The language's words as data: knowledge/language/<code>.yml, read by bot/language.py and
used by the negation filter, the red-flag check, the topic search and the chat-app menus."""

from __future__ import annotations

import pytest
import yaml

from bot import language
from bot.chat_apps import option_number
from bot.language import (
    RED_FLAG_CUES,
    LanguageFileError,
    language_cues,
    language_file,
    project_language,
    read_language,
)
from bot.safety.red_flags import RED_FLAGS_FILE, RedFlagDetector
from bot.tools.build_pipeline import build_pipeline
from bot.tools.knowledge.__main__ import language_problems
from bot.vocabulary import read_vocabulary

ENGLISH = yaml.safe_load(language_file("en").read_text(encoding="utf-8"))


@pytest.fixture
def second_language(tmp_path, monkeypatch):
    """A language folder holding English and a test-only language "xx" (spaCy's multi-language
    tokenizer): English but for its negation cues and option words."""
    document = {
        **ENGLISH,
        "negation": {**ENGLISH["negation"], "cues": ["kein", "nicht"], "phrases": ["frei von"]},
        "menus": {"option_words": ["nummer"]},
    }
    (tmp_path / "xx.yml").write_text(yaml.safe_dump(document), encoding="utf-8")
    (tmp_path / "en.yml").write_text(language_file("en").read_text(encoding="utf-8"))
    monkeypatch.setattr(language, "LANGUAGE_DIR", tmp_path)
    language_cues.cache_clear()
    yield language_cues("xx")
    language_cues.cache_clear()


def test_the_project_speaks_english_and_its_file_gives_every_cue():
    assert project_language() == "en"
    english = language_cues()
    assert english.code == "en" and set(english.red_flag_cues) == set(RED_FLAG_CUES)
    assert "n't" in english.negation.cues and ("free", "of") in english.negation.phrases
    assert "the" in english.stop_words and "option" in english.option_words
    assert "my name is" in english.personal_data.name_introducers
    assert (
        "scared" in english.personal_data.not_names and "born" in english.personal_data.birth_cues
    )


def test_a_language_file_without_its_personal_data_words_is_named():
    document = {name: section for name, section in ENGLISH.items() if name != "personal_data"}
    with pytest.raises(LanguageFileError, match="en.yml: 'personal_data' must be a mapping"):
        read_language(document, "en", "knowledge/language/en.yml")
    document["personal_data"] = {**ENGLISH["personal_data"]}
    del document["personal_data"]["street_words"]
    with pytest.raises(LanguageFileError, match="personal_data: 'street_words' must be a list"):
        read_language(document, "en", "knowledge/language/en.yml")


def test_the_language_code_comes_from_the_rasa_config(tmp_path):
    config = tmp_path / "config.yml"
    config.write_text("recipe: default.v1\nlanguage: xx\n")
    assert project_language(config) == "xx"
    config.write_text("recipe: default.v1\n")
    assert project_language(config) == "en"


def test_a_second_language_is_a_file_the_negation_filter_reads(second_language):
    nlp = build_pipeline(read_vocabulary(), language="xx")
    assert nlp.lang == "xx"
    for text, negated in [("kein diabetes", ["diabetes"]), ("frei von allergies", ["allergies"])]:
        doc = nlp(text)
        assert [span.text for span in doc.spans["negated"]] == negated and not doc.ents
    assert [entity.text for entity in nlp("no diabetes").ents] == ["diabetes"]


def test_a_second_language_is_a_file_the_red_flag_check_reads(second_language):
    detector = RedFlagDetector.from_file(RED_FLAGS_FILE, language=second_language)
    assert detector.check("kein fever") == []
    assert [flag.group.id for flag in detector.check("no fever")] == ["infection"]
    assert [flag.group.id for flag in RedFlagDetector.from_file().check("kein fever")] == [
        "infection"
    ]


def test_a_second_language_brings_its_own_menu_words(second_language):
    assert option_number("nummer 2", second_language) == 2
    assert option_number("option 2", second_language) is None
    assert option_number("option 2") == 2 and option_number("#3", second_language) == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"red_flag_context": {"mild": ["a (little"]}}, "red_flag_context: 'mild': missing )"),
        ({"red_flag_context": {"idioms": None}}, "red_flag_context: 'idioms' must be a list"),
        ({"negation": {"cues": ["no", ""]}}, "negation: 'cues' has an empty entry"),
        ({"search": None}, "'search' must be a mapping"),
        ({"menus": {"option_words": "option"}}, "menus: 'option_words' must be a list"),
        ({"personal_data": None}, "'personal_data' must be a mapping"),
        ({"personal_data": {"birth_cues": []}}, "personal_data: 'birth_cues' must be a list"),
        ({"personal_data": {"not_names": ["ok", 3]}}, "personal_data: 'not_names' must be a list"),
        ({"personal_data": {"id_cues": ["ssn", " "]}}, "personal_data: 'id_cues' has an empty"),
    ],
)
def test_a_malformed_language_file_names_the_file_and_entry(change, message):
    document = {
        name: {**section, **change[name]} if change.get(name) else change.get(name, section)
        for name, section in ENGLISH.items()
    }
    with pytest.raises(LanguageFileError, match="en.yml") as error:
        read_language(document, "en", "knowledge/language/en.yml")
    assert message in str(error.value)


def test_a_missing_or_invalid_language_file_is_named(tmp_path):
    with pytest.raises(LanguageFileError, match="fr.yml: no such language file"):
        language_cues("fr", tmp_path)
    (tmp_path / "de.yml").write_text("negation: [\n")
    with pytest.raises(LanguageFileError, match="de.yml: not valid YAML"):
        language_cues("de", tmp_path)


def test_kb_check_checks_every_language_file(tmp_path):
    folder = tmp_path / "knowledge" / "language"
    folder.mkdir(parents=True)
    (folder / "en.yml").write_text(language_file("en").read_text(encoding="utf-8"))
    assert language_problems(folder) == []
    (folder / "xx.yml").write_text(yaml.safe_dump({**ENGLISH, "menus": None}))
    assert [str(p) for p in language_problems(folder)] == [
        f"{folder / 'xx.yml'}: 'menus' must be a mapping of named lists"
    ]
