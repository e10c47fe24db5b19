"""Concern words: canonical values, and the spaCy entity ruler built from them."""

from __future__ import annotations

import pytest

from bot.nlp.build_pipeline import build_pipeline
from bot.vocabulary import project_vocabulary, read_vocabulary


@pytest.mark.parametrize(
    ("text", "concern"),
    [
        ("tummy", "fat"),
        ("Belly Fat", "fat"),
        ("cellulite", "cellulite"),
        ("under-eye", "under_eye"),
        ("under_eye", "under_eye"),
        ("bags under my eyes", "under_eye"),
        ("alopecia", "hair"),
        ("crow's feet", "face"),
        ("elbows", None),
        ("", None),
        (None, None),
    ],
)
def test_canonical_concern(text, concern):
    assert project_vocabulary().canonical_concern(text) == concern


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(project_vocabulary())


@pytest.mark.parametrize(
    ("message", "found"),
    [
        ("how many sessions for my tummy?", [("tummy", "fat")]),
        ("im losing my hair, can meso help", [("losing my hair", "hair")]),
        (
            "bags under my eyes and cellulite",
            [("bags under my eyes", "under_eye"), ("cellulite", "cellulite")],
        ),
        ("How much does it cost?", []),
    ],
)
def test_the_entity_ruler_finds_concerns(nlp, message, found):
    doc = nlp(message.lower())
    assert [(ent.text, ent.ent_id_) for ent in doc.ents] == found
    assert all(ent.label_ == "concern" for ent in doc.ents)


def test_a_malformed_vocabulary_is_rejected_with_the_file_named(tmp_path):
    path = tmp_path / "vocabulary.yml"
    path.write_text("concerns:\n  face: face\n")
    with pytest.raises(ValueError, match="vocabulary.yml"):
        read_vocabulary(path)
