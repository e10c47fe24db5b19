"""Concern words: canonical values, and the spaCy entity ruler built from them."""

from __future__ import annotations

import pytest

from bot.tools.build_pipeline import build_pipeline
from bot.tools.entity_eval import parse_annotated
from bot.vocabulary import project_vocabulary, read_vocabulary


@pytest.mark.parametrize(
    ("text", "concern"),
    [
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


@pytest.mark.parametrize(
    ("label", "text", "value"),
    [
        ("body_area", "tummy", "abdomen"),
        ("body_area", "Stomach", "abdomen"),
        ("body_area", "belly", "abdomen"),
        ("medicine", "Warfarin", "blood_thinners"),
        ("medicine", "ibuprofen", "nsaids"),
        ("condition", "breast-feeding", "breastfeeding"),
        ("symptom", "swollen", "swelling"),
        ("ingredient", "hyaluronic acid", "hyaluronic_acid"),
        ("symptom", "tummy", None),
    ],
)
def test_synonyms_map_to_one_canonical_value(label, text, value):
    assert project_vocabulary().canonical(label, text) == value


@pytest.mark.parametrize(
    ("concern", "body_area", "expected"),
    [
        ("cellulite", "thighs", "cellulite"),
        (None, "tummy", "fat"),
        (None, "scalp", "hair"),
        (None, None, None),
    ],
)
def test_a_body_area_stands_for_its_concern_when_none_is_named(concern, body_area, expected):
    assert project_vocabulary().concern_for(concern, body_area) == expected


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(project_vocabulary())


@pytest.mark.parametrize(
    ("message", "found"),
    [
        ("how many sessions for my tummy?", [("tummy", "body_area", "abdomen")]),
        ("im losing my hair, can meso help", [("losing my hair", "concern", "hair")]),
        (
            "bags under my eyes and cellulite",
            [("bags under my eyes", "concern", "under_eye"), ("cellulite", "concern", "cellulite")],
        ),
        ("I take Warfarin", [("Warfarin", "medicine", "blood_thinners")]),
        ("I'm pregnant", [("pregnant", "condition", "pregnancy")]),
        ("How much does it cost?", []),
    ],
)
def test_the_entity_ruler_finds_entities(nlp, message, found):
    doc = nlp(message)
    assert [(ent.text, ent.label_, ent.ent_id_) for ent in doc.ents] == found


@pytest.mark.parametrize(
    ("message", "kept", "negated"),
    [
        ("I'm not pregnant", [], ["pregnant"]),
        ("no fever, no pus", [], ["fever", "pus"]),
        ("I don't have diabetes", [], ["diabetes"]),
        ("i dont take aspirin", [], ["aspirin"]),
        ("never had keloids", [], ["keloids"]),
        ("free of allergies", [], ["allergies"]),
        ("I'm not pregnant but I am breastfeeding", ["breastfeeding"], ["pregnant"]),
        ("no fever, no pus, just a bruise", ["bruise"], ["fever", "pus"]),
        ("I have diabetes and take warfarin", ["diabetes", "warfarin"], []),
        ("I'm pregnant, can I get it?", ["pregnant"], []),
    ],
)
def test_negated_entities_are_dropped(nlp, message, kept, negated):
    doc = nlp(message)
    assert [ent.text for ent in doc.ents] == kept
    assert [span.text for span in doc.spans["negated"]] == negated


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("concerns:\n  face: [face]\n", "'entities:' must map"),
        ("entities:\n  concern:\n    face: face\n", "value 'face': expected a list"),
        (
            "entities:\n  concern:\n    face: [face]\n  body_area:\n    cheeks: [Face]\n",
            "'Face' is already listed under 'concern' value 'face'",
        ),
        (
            "entities:\n  concern:\n    fat: [fat]\nbody_area_concerns:\n  belly: fat\n",
            "'belly: fat' names an unknown value",
        ),
        (
            "entities:\n  concern:\n    fat: [fat]\nconcern_topics:\n  what_is: {hair: uses}\n",
            "'what_is' must map known concerns to topics; unknown: hair",
        ),
    ],
)
def test_a_malformed_vocabulary_is_rejected_with_the_file_named(tmp_path, text, message):
    path = tmp_path / "vocabulary.yml"
    path.write_text(text)
    with pytest.raises(ValueError, match="vocabulary.yml") as caught:
        read_vocabulary(path)
    assert message in str(caught.value)


def test_a_general_question_about_a_concern_goes_to_the_topic_that_has_its_answer():
    vocabulary = project_vocabulary()
    assert vocabulary.answering_topics(["what_is"], "under_eye") == ["uses"]
    assert vocabulary.answering_topics(["what_is", "uses"], "hair") == ["uses"]
    assert vocabulary.answering_topics(["what_is", "cost"], None) == ["what_is", "cost"]


def test_annotated_examples_parse_into_text_and_spans():
    text, spans = parse_annotated("my [tummy](body_area) and [warfarin](medicine)?")
    assert text == "my tummy and warfarin?"
    assert spans == {(3, 8, "body_area"), (13, 21, "medicine")}
