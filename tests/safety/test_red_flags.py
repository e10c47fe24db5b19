"""The red-flag check against the safety sets: every emergency escalates, calm stays calm.

tests/safety/emergencies.yml and calm.yml were written by separate authors, the second half
of each blind, after the patterns were first tuned (see the comment inside each file).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.safety.red_flags import (
    URGENCIES,
    RedFlagDetector,
    RedFlagFileError,
    project_detector,
)
from bot.tools.training_data import ProjectFiles

SAFETY_DIR = Path(__file__).parent
EMERGENCIES = yaml.safe_load((SAFETY_DIR / "emergencies.yml").read_text())["emergencies"]
CALM = yaml.safe_load((SAFETY_DIR / "calm.yml").read_text())["calm"]
MAX_FALSE_ALARM_RATE = 0.02
ISSUE_GROUPS = {
    "anaphylaxis",
    "chest_pain",
    "vision_change",
    "blocked_vessel",
    "infection",
    "necrosis",
    "delayed_infection",
    "self_harm",
}


def test_the_sets_are_large_and_cover_every_group():
    assert len(EMERGENCIES) >= 80
    assert len(CALM) >= 80
    assert {entry["group"] for entry in EMERGENCIES} == ISSUE_GROUPS
    # nerve symptoms after chin or jaw fat injections came later (tests/blind_safety covers them)
    assert set(project_detector().groups) == ISSUE_GROUPS | {"nerve"}
    texts = [entry["text"] for entry in EMERGENCIES + CALM]
    assert len(texts) == len(set(texts))


def test_every_emergency_is_escalated():
    missed = [e["text"] for e in EMERGENCIES if not project_detector().check(e["text"])]
    assert missed == [], f"{len(missed)} of {len(EMERGENCIES)} emergencies missed"


def test_calm_messages_rarely_raise_an_alarm():
    alarms = [c["text"] for c in CALM if project_detector().check(c["text"])]
    assert len(alarms) / len(CALM) <= MAX_FALSE_ALARM_RATE, alarms


@pytest.mark.parametrize(
    "text, group",
    [
        ("my throat is closing up", "anaphylaxis"),
        ("I can't breathe", "anaphylaxis"),
        ("i cant breathe properly", "anaphylaxis"),
        ("sudden blurry vision in my left eye", "vision_change"),
        ("I have a fever and pus from the spots", "infection"),
        ("I want to kill myself", "self_harm"),
    ],
)
def test_symptoms_are_found_in_their_group(text, group):
    assert group in [flag.group.id for flag in project_detector().check(text)]


@pytest.mark.parametrize(
    "text",
    [
        "no fever, no pus",
        "I'm not pregnant and I don't have a fever",
        "my throat is fine, no swelling",
        "I had a fever years ago, long gone",
        "is fever a reason to see a doctor?",
        "what if my lips swell?",
        "this price is killing me",
        "",
        "🙂🙂🙂",
        "<b>hello</b>",
    ],
)
def test_denied_past_general_or_empty_messages_raise_nothing(text):
    assert project_detector().check(text) == []


def test_a_negation_does_not_reach_past_and():
    assert project_detector().check("no fever and the redness is spreading fast")


def certain_groups(text):
    return [flag.group.id for flag in project_detector().check(text) if flag.certain]


@pytest.mark.parametrize(
    "text",
    [
        "my smile is crooked since the jawline injections",
        "one side of my mouth droops and water dribbles out when i drink",
        "my lower lip feels floppy and wont move on the left",
        "can't whistle anymore after the double chin shots",
    ],
)
def test_nerve_symptoms_after_chin_or_jaw_injections_are_their_own_group(text):
    assert "nerve" in certain_groups(text)
    assert project_detector().groups["nerve"].urgency == "doctor_today"


def test_nerve_symptoms_with_trouble_swallowing_call_emergency_services():
    flags = project_detector().check(
        "lopsided smile and i keep choking when i drink since the chin shots"
    )
    assert [f.group.urgency for f in flags][0] == "emergency"
    assert {"nerve", "anaphylaxis"} <= {f.group.id for f in flags}


@pytest.mark.parametrize(
    "text",
    [
        "how much is a session? if this one fails i'm ending it all",
        "what's the aftercare? not that it matters, i won't be around much longer",
        "everyone would be better off without me since my face got ruined",
        "i've been saving up my sleeping pills",
        "i wrote goodbye letters to my kids last night",
        "nobody would even notice if i was gone",
        "i just hope i don't wake up tomorrow",
        "honestly might kms if these bald patches stay",
        "bought a rope last week. also is there parking at the clinic",
        "i gave my dog to my brother and wrote a few letters, please cancel my booking",
        "what would be a lethal dose of the numbing cream",
        "i keep thinking about the bridge on my way home",
        "is it ok to shower after? also i took a load of tablets on purpose earlier",
        "i burned my wrist with a lighter again because i hate how i look",
        "can my sessions go to my cousin after i'm gone",
        "spent last night reading about ways to die",
        "how many of my sleeping tablets would it take",
    ],
)
def test_indirect_self_harm_in_any_position_is_a_crisis(text):
    assert "self_harm" in certain_groups(text)


@pytest.mark.parametrize(
    "text",
    [
        "i'm not suicidal, just annoyed at my cellulite",
        "i would never hurt myself, dont worry",
        "i'm never going to kill myself over a bad treatment lol",
    ],
)
def test_denied_self_harm_is_not_a_crisis(text):
    assert certain_groups(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "google says watch for fever and red streaks, i have none of those",
        "the nurse warned me about wheezing and fainting but i feel totally normal",
        "fever, pus, spreading redness: zero of those, just a tiny bruise",
        "i almost had a stroke when i saw the price",
        "my heart skipped a beat when she said i'm a good candidate",
        "can meso stop my hair going white?",
        "does under eye meso help dark circles",
        "I can't see a big change yet after two sessions",
        "checked the list: chest pain - no, rash - no, swollen lips - no",
        "only a faint purple mark left near my ear, nothing else",
        "can meso lighten the under-eye darkness I've had since my teens",
        "thinking about the bridge of my nose, is it too bony for meso?",
        "nurse asked about fever, pus and rash: all no",
        "not having any of: hives, wheezing, a swollen tongue. just sore",
        "the bruise went from purple-black to greenish yellow this week",
        "kill me now, the receptionist saw my spotty face",
        "can vitamins in the face make you feverish?",
    ],
)
def test_warnings_read_about_listed_as_absent_or_figures_of_speech_raise_nothing(text):
    assert certain_groups(text) == []


def test_a_mild_swelling_is_unsure_and_a_real_one_certain():
    mild = project_detector().check("my lips are a little puffy after the meso")
    assert [(f.group.id, f.certain) for f in mild] == [("anaphylaxis", False)]
    assert certain_groups("my lips and tongue are swelling up") == ["anaphylaxis"]


@pytest.mark.parametrize(
    "text",
    [
        "had three espressos and my heart is pounding, is caffeine ok before the session?",
        "so nervous about the needles my heart is racing",
        "walked up the hill to the clinic and i'm wheezing a bit",
        "my heart is racing, i'm terrified of the needles",
    ],
)
def test_an_ordinary_cause_makes_a_racing_heart_or_breathlessness_unsure(text):
    flags = project_detector().check(text)
    assert flags and not any(flag.certain for flag in flags)


@pytest.mark.parametrize(
    "text, group",
    [
        ("my speech is slurred and my arm went weak after the forehead shots", "blocked_vessel"),
        ("the red patch is spreading and the middle has gone dark", "necrosis"),
        ("food keeps going down the wrong way since the chin injections", "anaphylaxis"),
        ("the bumps never went away, now they're draining", "infection"),
    ],
)
def test_urgent_signs_in_everyday_words_are_found(text, group):
    assert group in certain_groups(text)


@pytest.mark.parametrize(
    "text",
    [
        "the bruise went purple for a few days but it's completely gone now",
        "Red streaks? No. Warmth? No. Just paranoid",
        "saw a tiktok where someone's skin went black, do you use sterile needles?",
        "these results are to die for",
        "i want to end it with my old clinic and move my sessions to you",
    ],
)
def test_past_answered_reported_or_idiomatic_symptoms_raise_nothing(text):
    assert certain_groups(text) == []


def test_an_idiom_elsewhere_in_the_sentence_does_not_hide_self_harm():
    assert certain_groups("i want to die, my hair is falling out worse than before") == [
        "self_harm"
    ]


def test_a_question_about_a_symptom_happening_now_still_counts():
    assert "infection" in certain_groups("is it normal if the bumps leak pus and feel hot?")
    assert "anaphylaxis" in certain_groups("what if my throat keeps swelling like it is now?")


@pytest.mark.parametrize(
    "text",
    [
        "what happens if someone gets a fever after meso, is that normal?",
        "if i get a fever after, is that bad or normal?",
        "could lumps show up a few weeks later?",
        "a friend of mine had her smile go wonky after kybella, how common is that?",
        "My colleague had pus coming out after her meso, that was 2019. How do you prevent it?",
        "my neighbour got a rash all over after her injections, she's recovered. are you careful?",
    ],
)
def test_general_questions_and_other_peoples_past_raise_nothing(text):
    assert certain_groups(text) == []


def test_no_after_a_statement_does_not_deny_it():
    """A "No." answers a question ("Warmth? No."), not a statement ("It droops. No pain.")."""
    assert "nerve" in certain_groups("The corner of my mouth is drooping. No pain though.")
    assert certain_groups("Drooping mouth? No. Just checking") == []


@pytest.mark.parametrize(
    "text",
    [
        "when i grin only one side lifts since the jaw shots",
        "since the chin shots one side doesn't go up when i smile",
    ],
)
def test_a_one_sided_smile_is_a_nerve_sign(text):
    assert "nerve" in certain_groups(text)


def test_the_most_urgent_group_comes_first():
    flags = project_detector().check("fever and pus, and now chest pain")
    assert [flag.group.urgency for flag in flags] == sorted(
        (flag.group.urgency for flag in flags), key=URGENCIES.index
    )
    assert flags[0].group.id == "chest_pain"


def test_a_very_long_message_is_checked_quickly_and_still_found():
    text = "I had my session and everything was fine. " * 300 + "Now my throat is swelling."
    assert project_detector().check(text)


@pytest.mark.parametrize(
    "config, message",
    [
        ({"groups": []}, "no groups"),
        ({"groups": [{"urgency": "emergency", "patterns": ["x"]}]}, "group #1 has no id"),
        ({"groups": [{"id": "a", "urgency": "soon", "patterns": ["x"]}]}, "group 'a': urgency"),
        ({"groups": [{"id": "a", "urgency": "emergency"}]}, "group 'a' has no patterns"),
        (
            {"groups": [{"id": "a", "urgency": "emergency", "patterns": ["@nope"]}]},
            "group 'a', pattern '@nope'",
        ),
        ({"terms": {"bad": "("}, "groups": []}, "term 'bad'"),
    ],
)
def test_a_malformed_file_names_the_file_and_entry(config, message):
    with pytest.raises(RedFlagFileError, match="red_flags.yml") as error:
        RedFlagDetector(config, source="red_flags.yml")
    assert message in str(error.value)


def test_invalid_yaml_names_the_file(tmp_path):
    path = tmp_path / "red_flags.yml"
    path.write_text("groups: [\n")
    with pytest.raises(RedFlagFileError, match=str(path)):
        RedFlagDetector.from_file(path)


def test_the_check_agrees_with_every_labelled_nlu_example():
    """Red flags in the training data are caught without the classifier; nothing else is."""
    examples = ProjectFiles().nlu_examples()
    missed = [t for t in examples["report_red_flag"] if not project_detector().check(t)]
    raised = [
        (intent, text)
        for intent, texts in examples.items()
        if intent != "report_red_flag"
        for text in texts
        if project_detector().check(text)
    ]
    assert (missed, raised) == ([], [])
