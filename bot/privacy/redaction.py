"""Personal data out of text: e-mail addresses, phone numbers, names, dates of birth,
addresses and ID numbers are found by pattern and replaced with a typed placeholder
("[EMAIL]", "[PHONE]", "[NAME]", "[DATE_OF_BIRTH]", "[ADDRESS]", "[ID_NUMBER]") before an
event reaches the tracker store, the logs or any table.

One regular-expression pass per kind, then a learned second look (bot/privacy/span_model.py,
a CRF trained at build time) that adds what the rules stop short of. The words
around personal data ("my name is", "born", "passport") are the language's, from the
`personal_data:` section of knowledge/language/<code>.yml; the shapes that are the same in
every language (e-mail, phone digits, card numbers, IBAN) are here.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from bot.language import PersonalDataCues, language_cues
from bot.privacy.dictionary import is_common_word
from bot.privacy.gazetteer import is_first_name, is_surname
from bot.privacy.span_model import SpanModel, load_span_model

EMAIL = "EMAIL"
PHONE = "PHONE"
NAME = "NAME"
DATE_OF_BIRTH = "DATE_OF_BIRTH"
ADDRESS = "ADDRESS"
ID_NUMBER = "ID_NUMBER"
KINDS = (EMAIL, PHONE, NAME, DATE_OF_BIRTH, ADDRESS, ID_NUMBER)
# Of two overlapping spans of the same length, the more specific kind (earlier here) wins.
_SPECIFICITY = {
    kind: rank for rank, kind in enumerate((EMAIL, ID_NUMBER, DATE_OF_BIRTH, PHONE, ADDRESS, NAME))
}
# Text that cannot be redacted safely (never expected) is replaced whole: fail closed.
UNREADABLE = "[REDACTED]"

BOT_EVENT = "bot"
# Keys of a Rasa event (and of its parse data) that hold identifiers, never a person's words.
IDENTIFIER_KEYS = frozenset(
    {
        "event",
        "timestamp",
        "name",
        "message_id",
        "input_channel",
        "policy",
        "confidence",
        "action_name",
        "model_id",
        "assistant_id",
        "sender_id",
        "intent_response_key",
        "utter_action",
        "template_name",
        "response_template",
        "retrieval_intent",
        "entity",
        "extractor",
        "processors",
        "role",
        "group",
        "start",
        "end",
        "hide_rule_turn",
        "rasa_version",
        "trigger_message_id",
        "intent_name",
    }
)
# Under these keys every string is the person's (a slot's value may be a dict with a "name").
_ALL_TEXT_KEYS = frozenset({"value"})


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int

    @property
    def placeholder(self) -> str:
        return f"[{self.kind}]"


# ---- shapes the same in every language ------------------------------------------------------

# written out to fool spam bots: "olga.p at gmail dot com", "olga [at] mail [dot] ru"
_DOT = r"(?:[ \t]*(?:\(dot\)|\[dot\]|\{dot\}|\[\.\]|\(\.\))[ \t]*|[ \t]+dot[ \t]+)"
_AT = r"(?:[ \t]*(?:\(at\)|\[at\]|\{at\}|\(@\)|\[@\])[ \t]*|[ \t]+at[ \t]+)"
_TLD = (
    r"(?:com|net|org|edu|gov|info|biz|io|me|co|uk|de|fr|es|it|nl|ru|ca|au|in|br|pl|se|no|dk"
    r"|fi|ie|ch|at|be|pt|mx|ar|jp|cn|kr|za|nz|ae|sg|tr|gr|cz|ro|hu|us|eu)"
)
_MAIL_HOSTS = r"(?:gmail|googlemail|yahoo|hotmail|outlook|icloud|protonmail|proton|aol|gmx)"
_EMAIL = re.compile(
    r"(?<![\w.+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*[ \t]?@[ \t]?[A-Za-z0-9\-]+"
    r"(?:[ \t]?\.[ \t]?[A-Za-z0-9\-]+)*[ \t]?\.[ \t]?[A-Za-z]{2,}"
    # dictated: "sara underscore lopez at gmail dot com"
    rf"|(?<![\w.+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*"
    rf"(?:(?:{_DOT}|[ \t]+(?:underscore|dash|hyphen)[ \t]+)[A-Za-z0-9_%+\-]+)*{_AT}"
    rf"[A-Za-z0-9\-]+(?:(?:{_DOT}|\.)[A-Za-z0-9\-]+)*?(?:{_DOT}|\.){_TLD}"
    rf"(?:(?:{_DOT}|\.)(?:uk|au|nz|za|jp|br|in|kr|tr|mx|ar|ph|sg|my|ae|sa|eg|ng|ke|pk|id|th|vn"
    rf"|hk|tw|il|gh|cy|ma|tn|qa|kw|om|bh|lb|jo|ua|co))?(?![\w/])"
    # no top-level domain: "olga.p@gmail"
    rf"|(?<![\w.+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*@{_MAIL_HOSTS}(?![\w.])",
    re.IGNORECASE,
)
# Digits in groups separated by one space, dash, dot or slash-free bracket: phone numbers,
# card numbers, ID numbers. Sorted out by their digits below.
_DIGIT_RUN = re.compile(
    # not the digits of a code: "INV-2024-00817"
    r"(?:(?<![\w+/.,:$€£])(?<![A-Z][A-Z]-)|(?<=:)(?=\+))"
    r"(?:\+|00)?\(?\d[\d]*\)?(?:[ \-.]?\(?\d+\)?){1,8}"
    r"(?![\w/%$€£])"
    r"(?!\.\d)(?!,\d)"
)
# letters and at least six digits in one token: "X1234567L", "12345678Z", "AB1234567"
_MIXED_ID = re.compile(r"(?<![\w\-])(?:[A-Z]{1,3}\d{6,}[A-Z]{0,2}|\d{6,}[A-Z]{1,2})(?![\w\-])")
_US_STATE_ZIP = re.compile(r"(?<=,[ \t])[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?(?![\w])")
_PO_BOX = re.compile(
    r"(?<![\w])(?:P\.?[ \t]?O\.?[ \t]+Box|Postboks|Postbox|Postfach|Postbus|Apartado"
    r"|Caixa[ \t]+Postal|Casilla|Bo[iî]te[ \t]+postale)[ \t]+\d{1,6}(?![\w])",
    re.IGNORECASE,
)
_CANADIAN_POSTCODE = re.compile(r"(?<![\w])[A-Z]\d[A-Z][ \t]?\d[A-Z]\d(?![\w])")
# four letters or more, each alone: a name spelled out ("H A R R O W", "k-o-w-a-l-s-k-i")
_SPELLED = re.compile(
    r"(?<![\w\-])[A-Za-z](?P<gap>[ .\-])[A-Za-z](?:(?P=gap)[A-Za-z]){2,}(?![\w\-])"
)
# a name in brackets after a phone number: "+62 812 3345 9081 (Dewi)"
_NAME_AFTER_A_NUMBER = re.compile(
    r"\d[ \t]*\([ \t]*([A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-]+(?:[ \t][A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-]+)?)[ \t]*\)"
)
# a form's label ends its line: the value is on the next one
_LABEL_LINE_END = re.compile(r"[ \t]*:?[ \t]*\n[ \t]*(?=\S)")
# given names after a surname and a comma, to the end of the line or a field's gap
_GIVEN_NAMES = re.compile(
    r",[ \t]*[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-]*(?:[ \t][A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-]*){0,2}"
    r"(?=[ \t]*(?:\n|$)|[ \t]{2})"
)
# a word one can say: a vowel in it, no four consonants together ("blorp" yes, "zxqv" no)
_SPOKEN_SHAPE = re.compile(r"(?=.*[aeiouyà-ÿ])(?!.*[b-df-hj-np-tv-xz]{4})[^\W\d_'’\-]+", re.I)
_LOWER_SURNAME = re.compile(r"[ \t]+([a-z][\w'’\-]{2,})(?![\w@])")
_LOWER_INITIAL = re.compile(r"[a-z]\.[ \t]*(?=[a-z]{3})")
# a business's free number, never a person's: "0800 123 4567", "1-800-555-0199"
_TOLL_FREE = re.compile(
    r"(?:\+?44[ \-]?|0)8(?:00|08)[ \-.]|(?:\+?1[ \-]?|\()8(?:00|88|77|66|55|44|33)\)?[ \-.]"
    r"|1[ \-]?800\b"
)
_SSN = re.compile(r"(?<![\w\-])\d{3}-\d{2}-\d{4}(?![\w\-])")
_UK_NATIONAL_INSURANCE = re.compile(
    r"(?<![\w])[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D](?!\w)",
    re.IGNORECASE,
)
_IBAN = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?!\w)")
_UK_POSTCODE = re.compile(r"(?<![\w])[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}(?!\w)")
# typed in lower case, with its space: "ls6 1aa"
_LOWER_UK_POSTCODE = re.compile(r"(?<![\w])[a-z]{1,2}\d[a-z\d]? \d[abd-hjlnp-uw-z]{2}(?!\w)")
_US_ZIP = re.compile(r"(?<![\w])(?:[A-Z]{2} )?\d{5}(?:-\d{4})?(?!\w)")
# An identifier after its cue: letters and digits, at least three digits.
_ID_TOKEN = re.compile(
    r"(?=[A-Za-z0-9\-/ ]*\d[A-Za-z0-9\-/ ]*\d[A-Za-z0-9\-/ ]*\d)"
    r"[A-Za-z0-9][A-Za-z0-9\-/]*(?: [A-Za-z0-9][A-Za-z0-9\-/]*){0,4}"
)

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_DATE_WITH_YEAR = (
    rf"\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})"
    rf"|\d{{4}}[/.\-]\d{{1,2}}[/.\-]\d{{1,2}}|\d{{4}}年\d{{1,2}}月\d{{1,2}}日"
    rf"|{_DAY}(?:\s+of)?[\s\-]+{_MONTHS},?[\s\-]+\d{{4}}"
    rf"|{_MONTHS}\s+{_DAY},?\s+\d{{4}}"
)
_DATE = re.compile(
    # after a cue, spaces between the parts too: "DOB 12 01 1956"
    rf"(?<![\w/.\-])(?:{_DATE_WITH_YEAR}|\d{{1,2}}[ \t]\d{{1,2}}[ \t](?:(?:19|20)\d{{2}}|\d{{2}})"
    # written together: "19900304", "04031990"
    rf"|(?:19|20)\d{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    rf"|(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d{{2}}"
    rf"|{_DAY}(?:\s+of)?[\s\-]+{_MONTHS}(?:,?[\s\-]+(?:\d{{4}}|['’]?\d{{2}}))?"
    # a month in another language: "née le 3 avril 1992", "urodzona 15 lipca 1991"
    rf"|{_DAY}\.?\s+[^\W\d_]{{3,10}}\.?,?\s+(?:19|20)\d{{2}}"
    rf"|{_MONTHS}\s+{_DAY}|{_MONTHS},?\s+\d{{4}}"
    rf"|(?:19|20)\d{{2}}|\d{{1,2}}[/.\-]\d{{1,2}})(?![\w/\-])",
    re.IGNORECASE,
)
_FULL_DATE = re.compile(rf"(?<![\w/.\-])(?:{_DATE_WITH_YEAR})(?![\w/\-])", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d{2}|\d{2}$")
# Full dates from these years are birth dates even without a cue; later ones are visits.
_BIRTH_YEARS = range(1920, 2013)
_LAST_CENTURY = 30

_NAME_WORD = re.compile(
    r"(?:[^\W\d_]\.){2,3}|[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*\.?|[^\W\d_]\."
)
_GAP = re.compile(r"[ \t]*(?:[,:\-–—][ \t]*)?")
_SPACES = re.compile(r"[ \t]+")
_PARTICLES = frozenset(
    ("de", "la", "le", "del", "della", "di", "da", "do", "dos", "das", "du", "des", "van")
    + ("von", "der", "den", "ter", "bin", "binti", "ibn", "al", "el", "y", "dela", "delos", "bint")
)
# words before a place, not a person: "from Leeds here"
_BEFORE_A_PLACE = frozenset(("from", "in", "at", "near", "around", "of", "to", "by", "on"))
_PARTICLE_THEN_NAME = re.compile(
    r"(?:(?:" + "|".join(sorted(_PARTICLES)) + r")[ \t]+)+(?P<last>)(?=[A-ZÀ-ÖØ-ÞĀ-Ž])"
)
# words of street names that are not names of people: "West 57th Street", "Old Church Road"
_IN_STREET_NAMES = frozenset(
    ("north", "south", "east", "west", "new", "old", "little", "great", "upper", "lower", "high")
    + ("the",)
)
_BOOKINGS = ("appointment", "session", "booking", "treatment", "consultation", "birthday")
# a name that opens a message: "Sarah, 34, ...", "Sarah from Leeds ...", "Sarah (34)"
_MESSAGE_START = re.compile(r"(?:^|\n)[ \t]*")
_ABOUT_A_PERSON = re.compile(
    r"[ \t]*(?:,[ \t]*(?:\d|born|aged)|\(\d{1,2}[ \t]?[A-Za-z]{0,2}\)|,?[ \t]+from[ \t]+[A-Z]"
    r"|,?[ \t]+\d{2}[ \t]*(?:y|yo|yrs|years|f|m)\b)"
)
# a lower-case word (or two) closing an address: before a line's end, a comma or a postcode
_LOWER_TOWN = (
    r"[a-zà-öø-ÿ][\w'’\-]+(?:[ \t]+[a-zà-öø-ÿ][\w'’\-]+)?"
    r"(?=[ \t]*(?:,[ \t]*)?(?:\n|$)|[ \t]*,|[ \t]+(?:[A-Za-z]{2}[ \t]+)?\d{4,6}(?![\w]))"
)
# words that title case capitalises and a sentence does not
_SMALL_WORDS = frozenset(
    ("a", "an", "the", "in", "on", "at", "for", "to", "of", "it", "is", "and", "or", "with")
    + ("my", "your", "do", "does", "can", "will", "how", "what", "much", "me", "i", "after")
)
# characters: an address found is not extended beyond this
_LONGEST_ADDRESS = 120
_TITLE_GAP = re.compile(r"\.?[ \t]+")
_AGE_AFTER = re.compile(r"[ \t]*,[ \t]*(?:\d|born|aged|from)", re.IGNORECASE)
_BRACKETED_NAME = re.compile(
    r"[ \t]*\([ \t]*[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-]*(?:[ \t]+[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-]*){0,3}[ \t]*\)"
)
# One word for the name list: letters joined by an apostrophe or a hyphen, not inside an
# e-mail address, a web address or a longer word ("Hye-jin", "O'Brien", "Anna's").
_LISTED_WORD = re.compile(
    r"(?<![\w@.'’/\-])[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*(?![\w@]|\.[^\W\d_])"
)
_POSSESSIVE = re.compile(r"['’]s$")
# what ends a sentence: the next word starts one
_SENTENCE_END = re.compile(r"(?:^|[.!?\n:;])[ \t\"'“‘(*]*$")
# a word before a place or a thing, not a person: "a clinic in Chelsea", "St John's wort"
_BEFORE_A_PLACE_NAME = frozenset(
    ("in", "at", "near", "around", "on", "outside", "st", "saint", "mt", "mount", "fort", "port")
    # "the Marriott", "the Westfield branch": a place or a brand
    + ("the",)
)
# at a sentence's start, a listed first name is a person's when a comma, a possessive or one of
# these follows: "Anna, 34", "Anna said", "Lucas and I"
_AFTER_A_PERSON = re.compile(
    r"(?:[ \t]*,|['’]s\b|[ \t]*\((?:my|our|his|her)\b"
    r"|[ \t]+(?:&|and|said|says|told|tells|asked|wants|wanted|recommended"
    r"|suggested|thinks|thought|called|rang|texted|messaged|booked|had|has|is|was|would|can"
    r"|could|did|does|got|gets|needs|loves|hates|went|came|tried|uses|used|also|just)\b)"
)
# an age after a name: "Priya, 34", "Priya (34)"; not an amount ("Profhilo, 2 sessions")
_AGE_AFTER_A_NAME = re.compile(
    r"[ \t]*(?:,[ \t]*(?:[1-9]\d(?!\d|[.,:/]\d)(?![ \t]*(?:sessions?|ml|mg|units?|%|mins?|minutes"
    r"|days?|weeks?|months?|hours?|hrs?|x\b|euros?|pounds?|dollars?|quid|k\b|£|€|\$))|born\b"
    r"|aged\b|(?i:dob|d\.o\.b)\b)|[ \t]*\([ \t]*[1-9]\d[ \t]?[A-Za-z]{0,2}[ \t]*\))"
)
# words after a name that show it is one, though it is in lower case or also a word: "its
# priya here", "im kevin speaking", "I'm Will and I ..."
_NAME_FOLLOWER = re.compile(
    r"[ \t]+(?:here|speaking|writing|and[ \t]+(?:i|me)|&[ \t]+(?:i|me))\b|[ \t]*,[ \t]*\d{2}\b",
    re.IGNORECASE,
)
_AND_A_NAME = re.compile(
    r"[ \t]+(?:and|&)[ \t]+([A-ZÀ-ÖØ-ÞĀ-Ž][a-zà-öø-ÿā-ž]+(?:-[^\W\d_]+)?)(?![\w'’])"
)
# words before a place, not a person, for a capitalised word that is no common one: "a clinic
# in Chelsea", "I'm from Kaduna" (not "to" or "with": "talk to Haddad", "with Okonkwo")
_BEFORE_AN_UNKNOWN_PLACE = frozenset(
    ("from", "in", "at", "near", "around", "on", "outside", "inside", "via", "across", "visiting")
) | (_BEFORE_A_PLACE_NAME - {"to", "by", "of"})
# after a capitalised word at a sentence's start, what shows it to be a name: "Ngozi, ...",
# "Ngozi here", "Ngozi's"
_AFTER_AN_OPENING_NAME = re.compile(
    r"[ \t]*,|['’]s\b|[ \t]*\((?:my|our|his|her)\b|[ \t]*(?:\n|$)"
    r"|[ \t]+(?:here|speaking|writing|said|says|told|tells|asked"
    r"|wants|wanted|recommended|suggested|thinks|thought|called|rang|texted|messaged|booked"
    r"|(?:and|&)[ \t]+(?:i|me))\b"
)
# a lower-case name before these at a message's start: "olga petrova here"
_LOWER_OPENING_NAME = re.compile(
    r"(?:^|\n)[ \t]*(?P<name>[a-z][\w'’\-]*(?:[ \t]+[a-z][\w'’\-]*){0,2})"
    r"(?=[ \t]*,?[ \t]+(?:here|speaking|writing)\b)"
)
# after a phone number: its extension ("(212) 555-0187 ext 23")
_EXTENSION = re.compile(r"[ \t]*(?:ext\.?|extn\.?|extension|x)[ \t]*\d{1,5}(?!\w)", re.IGNORECASE)
# after a capitalised word, a thing named after someone, not a person: "the Norwood scale"
_EPONYM_FOLLOWER = re.compile(
    r"[ \t]+(?:scale|syndrome|disease|test|method|technique|procedure|protocol|sign|score"
    r"|classification|type|palsy|effect|criteria|index|formula|line|lines|device|pen|gun"
    r"|machine|cream|serum|brand|range|clinic|clinics|salon|centre|center|app|branch|store"
    r"|shop|mall|hotel|pharmacy|office|location|facial|peel|booster|boosters)\b",
    re.IGNORECASE,
)
# a span whose only number is a year is no one's ID: a source's id "asaps-2007", "since 2019"
_YEAR_ALONE = re.compile(r"\D*(?:19|20)\d{2}\D*")
# a lower-case word of a sentence, not of an e-mail or web address
_LOWER_WORD = re.compile(r"(?<![\w'’@./])[a-zà-öø-ÿ]{2,}(?![\w'’@]|\.\w)")
_LINE_END = re.compile(r"[ \t.!,:)xX❤️♥😊🙂🙏]*(?:\n|$)")


def luhn_valid(digits: str) -> bool:
    """Whether a card number's check digit is right (the Luhn formula)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def iban_valid(text: str) -> bool:
    code = text.replace(" ", "").upper()
    moved = code[4:] + code[:4]
    try:
        return int("".join(str(int(char, 36)) for char in moved)) % 97 == 1
    except ValueError:
        return False


def _cue_then(phrases: Iterable[str], fillers: str, flags: int) -> re.Pattern:
    """A cue phrase and what may stand between it and its value: filler words (`|`-separated)
    and punctuation ("passport no.: ", "phone number is ")."""
    return re.compile(
        rf"{_phrases(phrases)}[ \t]*(?:(?:{fillers}|[.:#=\-–])[ \t]*)*(?:\n[ \t]*)?", flags
    )


def _phrases(phrases: Iterable[str]) -> str:
    """One alternation of plain phrases, longest first, as whole words; spaces match any
    white space and an apostrophe matches ' or ’."""
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        words = [re.escape(word).replace("'", "['’]") for word in phrase.split()]
        parts.append(r"\s+".join(words))
    return rf"(?<![\w])(?:{'|'.join(parts)})(?:(?<=\w)(?!\w)|(?<!\w))"


class Redactor:
    """Finds personal data in text with the words of one language."""

    def __init__(self, cues: PersonalDataCues, model: SpanModel | None = None) -> None:
        # without a model, the rules alone
        self.model = model
        self.titles = frozenset(title.rstrip(".") for title in cues.titles)
        self.not_name_endings = tuple(cues.not_name_endings)
        flags = re.IGNORECASE
        self._strong_intro = re.compile(_phrases(cues.name_introducers), flags)
        self._capital_intro = re.compile(_phrases(cues.capitalised_name_introducers), flags)
        self._sign_off = re.compile(
            rf"(?:^|(?<=[\s.,!?;:)]))(?:{_phrases(cues.sign_offs)})[ \t]*[,.!:\-–—]*\s*", flags
        )
        self._dash_sign_off = re.compile(r"(?:^|\n)[ \t]*[-–—~]+[ \t]*")
        # the start of a message's last words: "..., Magda", "... - Kevin", "...\nOlga P."
        self._tail = re.compile(
            r"(?:^|(?P<separator>[,!?.\n]|[ \t][-–—~]+))[ \t]*(?=[^\W\d_][^,!?;:\n()@]{0,40}$)"
        )
        self._followers = re.compile(rf",?[ \t]+(?:{_phrases(cues.name_followers)})", flags)
        self._capitalised_words = re.compile(
            r"(?<![\w'’])[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-]*(?:[ \t]+(?:(?:"
            + "|".join(sorted(_PARTICLES))
            + r")[ \t]+)*(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-]*|[A-Z]\.))*"
        )
        self._relative = re.compile(
            rf"(?<![\w])(?:my|our|his|her|their|your|[^\W\d_]+['’]s)\s+"
            rf"(?:{_phrases(cues.relatives)})"
            rf"(?:['’]s\s+name\s+is|\s+is\s+called|\s+is)?[ \t]*[,(]?[ \t]*",
            flags,
        )
        # "Emma's mum", "Leo's appointment": the name before a relative or a booking
        self._possessive = re.compile(
            rf"(?<![\w'’])([A-ZÀ-ÖØ-ÞĀ-Ž][\w\-]+)['’]s[ \t]+"
            rf"(?:{_phrases((*cues.relatives, *_BOOKINGS))})",
            flags,
        )
        self._title = re.compile(rf"{_phrases(cues.titles)}\.?[ \t]+", flags)
        # after a name's word, more of it: a capitalised word or a particle
        self._name_goes_on = re.compile(
            r"[ \t]+(?:[A-ZÀ-ÖØ-ÞĀ-Ž]|(?:"
            + "|".join(sorted(_PARTICLES))
            + r")[ \t]+[A-ZÀ-ÖØ-ÞĀ-Ž])"
        )
        # words that open, close or surround a name are never one
        cue_words = {
            word.strip(".,:'’").lower()
            for phrase in (
                *cues.name_introducers,
                *cues.capitalised_name_introducers,
                *cues.sign_offs,
                *cues.name_followers,
                *cues.relatives,
            )
            for word in phrase.split()
        }
        self.not_names = cues.not_names | cue_words
        # never a name by the name list alone: common words, cue words, titles
        self.name_stoplist = cues.first_name_stoplist | self.not_names | self.titles
        # never a name by capitals alone: the above, brands, medicines, apps, places
        # the one-word cues of numbers and dates ("Medicare", "Aadhaar", "Tel"), but those that
        # are someone's name too ("Pan", "Rut")
        number_cues = {
            phrase.lower().rstrip(".:")
            for phrase in (*cues.id_cues, *cues.phone_cues, *cues.birth_cues, *cues.reference_cues)
            if " " not in phrase
        }
        number_cues = {cue for cue in number_cues if not (is_first_name(cue) or is_surname(cue))}
        self.number_cues = frozenset(number_cues)
        self.known_terms = cues.known_terms
        self.first_name_stoplist = cues.first_name_stoplist
        self.not_unknown_names = self.name_stoplist | cues.known_terms | number_cues
        # words that name a thing or a place, not a person, though capitalised: "Dubai Marina"
        self.names_of_things = cues.known_terms | cues.first_name_stoplist
        # never a name, even after a relative or a title: cue words, titles, brands, places
        self.not_person_words = self.not_names | self.titles | cues.known_terms
        self._street_after = re.compile(
            rf"[ \t]+(?:(?i:{_phrases(cues.street_words)})|"
            + "|".join(
                re.escape(word[0].upper() + word[1:]) for word in cues.capitalised_street_words
            )
            + r")(?!\w)"
        )
        # words that end an address: a sign-off, a greeting, the start of a clause
        self.not_places = frozenset(cue_words | {"i", "i'm", "im", "it", "is", "and", "but", "the"})
        street = _phrases(cues.street_words)
        capital_street = "|".join(
            re.escape(word[0].upper() + word[1:]) for word in cues.capitalised_street_words
        )
        unit = _phrases(cues.unit_words)
        unit_part = (
            rf"(?i:{unit})[ \t]*[#:]?[ \t]*(?=[A-Za-z]?\d)[A-Za-z0-9]{{1,5}}"
            rf"(?:[/\-]\d{{1,5}})?(?![\w])"
        )
        house = r"\d{1,5}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?)?"
        capital = r"[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-]*"
        ordinal = r"\d{1,3}(?:st|nd|rd|th)"
        particle = (
            r"(?:de|la|le|les|del|della|di|da|do|dos|das|du|des|van|von|der|den|al|el|y|am|im|an"
            r"|sur)"
        )
        self._street = re.compile(
            rf"(?<![\w])(?:{unit_part}(?:,?[ \t]+|[ \t]*/[ \t]*))?{house},?[ \t]+"
            rf"(?P<words>(?:(?:[^\W\d_][\w'’.\-]*|{ordinal})[ \t]+){{0,3}}?"
            rf"(?:[^\W\d_][\w'’.\-]*|{ordinal}))[ \t]+"
            rf"(?:(?i:{street})|(?:{capital_street})(?!\w))"
        )
        self._street_before = re.compile(
            rf"(?<![\w])(?:{house},?[ \t]+)?(?i:{_phrases(cues.street_words_before)})[ \t]+"
            rf"(?:(?:{particle}[ \t]+)*{capital}(?:[ \t]+(?:{particle}[ \t]+)*{capital}){{0,3}}"
            rf"(?:,?[ \t]+{house}(?![\w]))?|{house}(?![\w]))"
        )
        endings = "|".join(re.escape(ending) for ending in cues.street_word_endings)
        self._street_ending = re.compile(
            rf"(?i)(?<![\w])(?:{house},?[ \t]+)?[^\W\d_]+(?:{endings})(?:,?[ \t]+{house})?(?![\w])"
        )
        # the number after the street, as a form's field: "Bağdat Cad. No:245", "Baker Street 221,"
        self._street_then_number = re.compile(
            rf"(?<![\w])(?:{capital}\.?[ \t]+){{1,3}}(?i:{street})\.?,?[ \t]*"
            rf"(?:(?i:no|nr|nº|n°)[.:]?[ \t]*)?{house}"
            rf"(?=[ \t]*(?:[,/\n]|$)|[ \t]+[A-Za-z]{{1,6}}[:.]?[ \t]*\d)"
        )
        self._street_word = re.compile(rf"(?i:{street})|(?:{capital_street})(?!\w)")
        self._unit = re.compile(rf"(?<![\w]){unit_part}")
        # what may follow a street, one piece at a time: ", 3º B", ", Bristol", " BS2 0QP"
        self._address_piece = re.compile(
            # a form's address runs over lines: "3 The Crescent\nBath\nBA1 2LR"
            rf"(?:,[ \t]*\n?[ \t]*|[ \t]+[-–][ \t]+|[ \t]*\n[ \t]*|[ \t]+|/)(?:{unit_part}"
            # "..., 3º B in Alcalá de Henares": the town after "in"
            rf"|in[ \t]+(?=[A-ZÀ-ÖØ-ÞĀ-Ž])(?:{capital})(?:[ \t]+(?:{particle}[ \t]+)?{capital})*"
            rf"|{_UK_POSTCODE.pattern}"
            rf"|{_LOWER_UK_POSTCODE.pattern}"
            rf"|{_CANADIAN_POSTCODE.pattern}"
            # a town in any case right before a postcode: "... lane leeds ls6 1aa"
            rf"|[^\W\d_][\w'’\-]*(?=,?[ \t]+(?:{_UK_POSTCODE.pattern}"
            rf"|{_LOWER_UK_POSTCODE.pattern}))"
            rf"|[A-Za-z]{{2,3}}[ \t]+\d{{4,5}}(?![\w])"
            # a province before a Canadian postcode, a Dutch postcode, an Irish Eircode
            rf"|[A-Z]{{2}}[ \t]+{_CANADIAN_POSTCODE.pattern}|\d{{4}}[ \t]?[A-Z]{{2}}(?![\w])"
            rf"|[AC-FHKNPRTV-Y]\d{{2}}[ \t]?[AC-FHKNPRTV-Y0-9]{{4}}(?![\w])"
            # Polish "00-514", Greek and Swedish "115 26"
            rf"|\d{{2}}-\d{{3}}(?![\w\-])|\d{{3}}[ \t]\d{{2}}(?![\w])"
            rf"|\d{{4,6}}(?:-\d{{3,4}})?(?![ \t]*\d)|\d{{1,3}}\.?º(?:[ \t]?[A-Za-z](?![\w]))?"
            # a German floor "3. OG links", a sector "F-7/2", a digital address "(GA-058-6712)"
            rf"|\d{{1,2}}\.[ \t]?(?:OG|Stock|Etage|EG|DG)(?:[ \t]+(?:links|rechts|mitte))?(?![\w])"
            rf"|[A-Za-z]{{1,2}}-\d{{1,3}}(?:/\d{{1,2}})?(?![\w])|[A-Z][a-z]{{0,5}}:\d{{1,4}}(?![\w])"
            rf"|\((?=[^)\n]{{0,14}}\d)[A-Z0-9][A-Z0-9\- ]{{3,12}}\)"
            rf"|{house}(?![ \t]*[\d(+])(?!\w)|{ordinal}(?!\w)"
            # a street in lower case after a flat or a house number: "flat 9 kings court"
            rf"|(?:[^\W\d_][\w'’.\-]*[ \t]+){{1,2}}(?i:{street})(?!\w)"
            rf"|(?:{particle}[ \t]+)?{capital}\.?|(?i:{street})(?!\w)"
            # a town in lower case where the address ends: "... george st sydney", "..., reading"
            rf"|{_LOWER_TOWN})"
        )
        self._address_before = re.compile(
            rf"(?<![\w/.\-])(?:(?:{unit_part}|{house}|{capital}\.?)"
            rf"(?:,[ \t]*|[ \t]*\n[ \t]*|[ \t]+))+$"
        )
        self._address_cue = re.compile(
            rf"{_phrases(cues.address_cues)}[ \t]*(?:is[ \t]+|:[ \t]*|-[ \t]*)?", flags
        )
        self._address_end = re.compile(
            r"[\n!?;]|\.(?:\s|$)|,?\s+(?:and|but|so|can|could|is|are|do|does|will|would"
            r"|what|how|when|if|please|i|i'm|im)\b",
            flags,
        )
        self._birth_cue = re.compile(
            rf"{_phrases(cues.birth_cues)}(?:['’]s)?[ \t]*(?:(?:is|was|on|in|the|of|date|=)[ \t]+"
            rf"|[:\-–][ \t]*|,[ \t]*)*",
            flags,
        )
        self._id_cue = _cue_then(cues.id_cues, "number|num|no|nr|is|was", flags)
        self._reference_cue = _cue_then(
            cues.reference_cues, "number|num|no|nr|code|id|is|was", flags
        )
        self._phone_cue = _cue_then(cues.phone_cues, "number|no|is|on|at", flags)
        # "555 0112 is my desk line"
        self._phone_cue_after = re.compile(
            rf"[ \t]+(?:is|=|-)?[ \t]*(?:my|our|the|his|her)?[ \t]*(?:[^\W\d_]+[ \t]+)?"
            rf"(?:{_phrases(cues.phone_cues)})",
            flags,
        )
        spoken_digit = rf"(?:{_phrases(cues.spoken_digits)}|\d+)"
        repeat = _phrases(cues.spoken_repeats)
        self._repeats = {word: times for times, word in enumerate(cues.spoken_repeats, 2)}
        self._spoken_digits = frozenset(cues.spoken_digits)
        spoken_one = rf"(?:{repeat}[ \t\-]+)?{spoken_digit}"
        self._spoken_number = re.compile(
            rf"(?:{_phrases(cues.spoken_prefixes)}[ \t]+)?{spoken_one}(?:[ \t,\-]+{spoken_one})+",
            flags,
        )
        self._date_fillers = frozenset(cues.spoken_date_fillers)
        self._leading_fillers = re.compile(
            rf"(?:{_phrases(cues.spoken_date_fillers)}[ \t]+)*", flags
        )
        self.sentence_sign_offs = frozenset(cues.sentence_sign_offs)
        self.short_titles = frozenset(cues.short_titles)
        date_word = (
            rf"(?:{_phrases((*cues.spoken_date_words, *cues.spoken_digits))}|{_MONTHS}|\d{{1,4}})"
        )
        self._spoken_date = re.compile(rf"{date_word}(?:[ \t,\-]+{date_word})+", flags)
        self._finders: tuple[Callable[[str], Iterator[Span]], ...] = (
            self._emails,
            self._numbers,
            self._spoken_numbers,
            self._national_ids,
            self._cued_ids,
            self._birth_dates,
            self._addresses,
            self._names,
        )

    # ---- the whole --------------------------------------------------------------------------

    def find(self, text: str) -> list[Span]:
        if not isinstance(text, str) or not text:
            return []
        spans = merged([span for finder in self._finders for span in finder(text)])
        if self.model is None:
            return spans
        return merged(spans + list(self._learned(self.model, text, spans)))

    def redact(self, text: str) -> str:
        if not isinstance(text, str):
            return text
        try:
            spans = self.find(text)
        except Exception:  # noqa: BLE001 - never expected; fail closed rather than leak
            return UNREADABLE
        for span in reversed(spans):
            text = text[: span.start] + span.placeholder + text[span.end :]
        return text

    def _learned(self, model: SpanModel, text: str, found: list[Span]) -> Iterator[Span]:
        """The model's spans, less the numbers the rules know are no one's and the names made
        only of words that are no name without a cue ("near Austin", "Max two sessions", "so
        Will Power is key"); one that overlaps a rule's span takes its kind (the rules know
        "DOB 19900304" is a birth date)."""
        harmless = list(self._harmless_numbers(text))
        for learned in model.find(text):
            span = Span(learned.kind, learned.start, learned.end)
            piece = text[span.start : span.end]
            if (
                _overlapping(span, harmless)
                or _YEAR_ALONE.fullmatch(piece)
                or (span.kind == NAME and self._never_a_name_alone(piece))
            ):
                continue
            rule = _overlapping(span, found)
            yield Span(rule.kind, span.start, span.end) if rule else span

    def _never_a_name_alone(self, piece: str) -> bool:
        return all(
            lower in self.name_stoplist
            or lower in self.names_of_things
            or (is_common_word(lower) and not is_first_name(lower) and not is_surname(lower))
            for lower in (word.lower() for word in _SPACES.split(piece.strip()))
        )

    def _harmless_numbers(self, text: str) -> Iterator[Span]:
        for match in _DIGIT_RUN.finditer(text):
            if self._no_ones_number(text, match.group(), match.start()):
                yield Span(ID_NUMBER, match.start(), match.end())

    def _no_ones_number(self, text: str, run: str, start: int) -> bool:
        """An order or invoice number, a business's free number: no one's phone or ID."""
        return self._after(self._reference_cue, text, start) or bool(_TOLL_FREE.match(run))

    # ---- kinds ------------------------------------------------------------------------------

    def _emails(self, text: str) -> Iterator[Span]:
        if "@" not in text and "at" not in text.lower():
            return
        for match in _EMAIL.finditer(text):
            yield Span(EMAIL, match.start(), match.end())

    def _numbers(self, text: str) -> Iterator[Span]:
        """Runs of digits: cards (by their check digit), ID numbers after their cue, and phone
        numbers (international, with a trunk zero, or long enough)."""
        for match in _DIGIT_RUN.finditer(text):
            run = match.group()
            digits = re.sub(r"\D", "", run)
            start, end = match.span()
            # a bracket of its own is not part of the number: "(call 0207...)"
            if run.endswith(")") and "(" not in run:
                end -= 1
            if run.startswith("(") and ")" not in run:
                start += 1
            kind = self._number_kind(text, run, digits, start)
            if kind == PHONE:
                extension = _EXTENSION.match(text, end)
                end = extension.end() if extension else end
            if kind:
                yield Span(kind, start, end)

    def _number_kind(self, text: str, run: str, digits: str, start: int) -> str | None:
        card = 13 <= len(digits) <= 19 and luhn_valid(digits)
        if (
            card
            or _SSN.fullmatch(run)
            or (len(digits) >= 5 and self._after(self._id_cue, text, start))
        ):
            return ID_NUMBER
        if self._after(self._birth_cue, text, start):
            return None
        if len(digits) > 15 or (len(digits) >= 13 and not run.startswith(("+", "00"))):
            # too long for a phone number: a mistyped card, an account; hidden all the same
            return ID_NUMBER
        if self._no_ones_number(text, run, start):
            return None
        if self._is_phone(run, digits) or (
            len(digits) >= 6
            and (
                self._after(self._phone_cue, text, start)
                or self._phone_cue_after.match(text, start + len(run))
            )
        ):
            return PHONE
        return None

    @staticmethod
    def _is_phone(run: str, digits: str) -> bool:
        if run.startswith(("+", "00")):
            return 8 <= len(digits) <= 15
        if re.fullmatch(r"\d{1,4}", run) or re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", run):
            return False
        if run.startswith(("0", "(0")):
            return 9 <= len(digits) <= 12
        if re.fullmatch(r"\(?\d{3}\)?[ .\-]?\d{3}[ .\-]\d{4}", run):
            return True
        return 9 <= len(digits) <= 12 and not re.search(r"\d{5,}\.\d", run)

    def _national_ids(self, text: str) -> Iterator[Span]:
        for pattern in (_SSN, _UK_NATIONAL_INSURANCE, _MIXED_ID):
            for match in pattern.finditer(text):
                yield Span(ID_NUMBER, match.start(), match.end())
        for match in _IBAN.finditer(text):
            if iban_valid(match.group()) or self._after(self._id_cue, text, match.start()):
                yield Span(ID_NUMBER, match.start(), match.end())

    def _cued_ids(self, text: str) -> Iterator[Span]:
        for cue in self._id_cue.finditer(text):
            token = _ID_TOKEN.match(text, cue.end())
            if token:
                value = token.group()
                # stop at the first word without a digit after the first token
                words = value.split(" ")
                if not re.search(r"\d", words[0]) and not re.fullmatch(r"[A-Z]{1,3}", words[0]):
                    # a word, not a number's letters: "Visa ending 5781", "card says 11/12"
                    continue
                kept = [words[0]]
                for word in words[1:]:
                    if not re.search(r"\d", word):
                        # the check letter of a national insurance number: "QQ 12 34 56 C"
                        if len(word) == 1 and word.isalpha() and word.isupper():
                            kept.append(word)
                        break
                    kept.append(word)
                value = " ".join(kept)
                if sum(char.isdigit() for char in value) >= 3 and not self._is_amount(value):
                    yield Span(ID_NUMBER, token.start(), token.start() + len(value))

    @staticmethod
    def _is_amount(value: str) -> bool:
        return bool(re.fullmatch(r"\d{1,4}(?:[.,]\d+)?|\d{1,4}-\d{1,4}", value))

    def _spoken_numbers(self, text: str) -> Iterator[Span]:
        """Numbers said aloud to a phone's dictation: "plus four four seven nine one one ...",
        "nine eight two zero one double four seven six three" (seven digits or more, two of
        them in words at least)."""
        for match in self._spoken_number.finditer(text):
            digits, spoken, times = 0, 0, 1
            for token in re.findall(r"[^\W_]+", match.group().lower()):
                if token in self._repeats:
                    times = self._repeats[token]
                elif token.isdigit():
                    digits, times = digits + len(token) * times, 1
                elif token in self._spoken_digits:
                    digits, spoken, times = digits + times, spoken + 1, 1
            if digits >= 7 and spoken >= 2:
                after_id = self._after(self._id_cue, text, match.start())
                if not self._after(self._birth_cue, text, match.start()):
                    yield Span(ID_NUMBER if after_id else PHONE, match.start(), match.end())

    def _birth_dates(self, text: str) -> Iterator[Span]:
        for cue in self._birth_cue.finditer(text):
            date = _DATE.match(text, cue.end())
            if date:
                yield Span(DATE_OF_BIRTH, date.start(), date.end())
            else:
                yield from self._spoken_date_at(text, cue.end())
        for date in _FULL_DATE.finditer(text):
            year = _YEAR.search(date.group())
            if not year:
                continue
            # a year of two digits from 30 on is last century's: "14/02/95"
            number = int(year.group())
            if number in _BIRTH_YEARS or (len(year.group()) == 2 and number >= _LAST_CENTURY):
                yield Span(DATE_OF_BIRTH, date.start(), date.end())

    def _spoken_date_at(self, text: str, position: int) -> Iterator[Span]:
        """A birth date said aloud after its cue: "July fourth nineteen ninety", "the fourteenth
        of march nineteen eighty two", "twelve twelve two thousand"."""
        date = self._spoken_date.match(text, position)
        if not date:
            return
        words = re.findall(r"[^\W_]+", date.group().lower())
        while words and words[-1] in self._date_fillers:
            words.pop()
        if sum(word not in self._date_fillers for word in words) < 2:
            return
        # up to the last word that is no filler ("... of", "... and")
        end = date.start() + date.group().lower().rfind(words[-1]) + len(words[-1])
        start = self._leading_fillers.match(text, position, end).end()  # type: ignore[union-attr]
        yield Span(DATE_OF_BIRTH, start, end)

    def _addresses(self, text: str) -> Iterator[Span]:
        reached = 0  # anchors inside an address already found are not extended again

        def around(start: int, end: int, before: bool = False) -> Span:
            nonlocal reached
            if start < reached:
                return Span(ADDRESS, start, end)
            span = self._address_around(text, start, end, before)
            reached = max(reached, span.end)
            return span

        for match in self._street.finditer(text):
            words = match.group("words").split()
            if not any(
                word.lower() in self.not_names and word.lower() not in _IN_STREET_NAMES
                for word in words
            ):
                yield around(match.start(), match.end())
        for pattern in (self._street_before, self._street_ending, self._street_then_number):
            reached = 0
            for match in pattern.finditer(text):
                span = around(
                    match.start(), match.end(), before=pattern is self._street_then_number
                )
                if re.search(r"\d", text[span.start : span.end]):
                    yield span
        reached = 0
        for match in self._unit.finditer(text):
            # with the street before the flat or district: "45 Nguyen Hue, District 1, HCMC"
            span = around(match.start(), match.end(), before=True)
            if span.end > match.end() and re.search(r"[^\W\d_]{3}", text[match.end() : span.end]):
                yield span
        for postcode in (
            _UK_POSTCODE,
            _LOWER_UK_POSTCODE,
            _CANADIAN_POSTCODE,
            _US_STATE_ZIP,
            _PO_BOX,
        ):
            reached = 0
            for match in postcode.finditer(text):
                yield around(match.start(), match.end(), before=postcode is not _PO_BOX)
        for cue in self._address_cue.finditer(text):
            end = self._address_end.search(text, cue.end())
            stop = end.start() if end else len(text)
            stop = min(stop, cue.end() + 100)
            value = text[cue.end() : stop].rstrip(" \t,.")
            if value and (re.search(r"\d", value) or self._street_word.search(value)):
                yield Span(ADDRESS, cue.end(), cue.end() + len(value))

    def _address_around(self, text: str, start: int, end: int, before: bool = False) -> Span:
        """An address found from its street (or postcode), with the flat, town and postcode
        that follow it, and with `before`, the street and town before a postcode."""
        limit = start + _LONGEST_ADDRESS
        while end < limit:
            piece = self._address_piece.match(text, end)
            if not piece or not self._address_word(piece.group()):
                break
            end = piece.end()
        if before:
            window_start = max(0, start - 80)
            earlier = self._address_before.search(text[window_start:start])
            if earlier:
                # from after the last word that is no place's ("Kind regards\nJo\n12 ...")
                begin = earlier.start()
                for word in re.finditer(r"[^\W\d_][\w'’\-]*", earlier.group()):
                    if self._not_a_place(word.group().lower()):
                        begin = earlier.start() + word.end()
                gap = re.match(r"[\s,.]*", text[window_start + begin : start])
                start = window_start + begin + (gap.end() if gap else 0)
        return Span(ADDRESS, start, end)

    def _address_word(self, piece: str) -> bool:
        words = piece.strip(" \t\n,-–/").split()
        if words and words[-1].islower():
            # a town typed in lower case: no clause's or sentence's words ("..., thanks")
            return not any(word in self.not_names or word in self.not_places for word in words)
        word = piece.strip(" \t\n,-–/.").lower()
        if (
            len(words) > 1
            and self._street_word.fullmatch(words[-1])
            and any(self._not_a_place(part.lower()) for part in words[:-1])
        ) or (words[0] == "in" and any(self._not_a_place(part.lower()) for part in words[1:])):
            # "... at St Mary's": a sentence's words before a street word
            return False
        # on the next line, a capitalised word that starts a sentence is no town: "\nCan you"
        return word not in self.not_places and not (
            "\n" in piece and (self._not_a_place(word) or word in self.number_cues)
        )

    def _not_a_place(self, word: str) -> bool:
        return word in self.not_names and word not in _IN_STREET_NAMES

    def _names(self, text: str) -> Iterator[Span]:
        spans: list[Span] = []
        for cue in self._strong_intro.finditer(text):
            # a form's label alone on its line, the name on the next: "SURNAME\nOKONKWO"
            label = _LABEL_LINE_END.match(text, cue.end())
            found = self._name_at(text, label.end() if label else cue.end(), any_case=True)
            spans += found + self._given_names_after_surnames(text, found)
        for cue in self._capital_intro.finditer(text):
            label = _LABEL_LINE_END.match(text, cue.end())
            position = label.end() if label else cue.end()
            found = self._name_at(text, position, any_case=False, lower_alone=True)
            # "Dear Data Protection Officer": words, none a listed name
            named = [span for span in found if not self._only_words(text[span.start : span.end])]
            spans += named + self._given_names_after_surnames(text, named)
            spans += [] if found else self._first_name_that_is_a_word(text, cue.end())
        for cue in self._relative.finditer(text):
            spans += self._name_at(
                text, cue.end(), any_case=False, expected=True
            ) or self._lower_name_at(text, cue.end(), listed_only=True)
        for cue in self._title.finditer(text):
            # the title goes into the span: "Dr Smith" is one name; after a title in lower
            # case, which may be a word ("my sister Mirela"), only the name: "nurse Bill",
            # "dr mehta"
            found = self._name_at(text, cue.start(), any_case=False, gap=False)
            if not found and cue.group()[0].islower():
                found = self._name_at(text, cue.end(), any_case=False, gap=False, expected=True)
                found = found or self._lower_name_at(
                    text,
                    cue.end(),
                    listed_only=False,
                    # "dr lees", "mrs young": after a short title, a listed surname that is a word
                    surnames=cue.group().strip().rstrip(".").lower() in self.short_titles,
                )
            spans += found
        for cue in self._sign_off.finditer(text):
            # "my best friend", "I love it": a word that signs off only where a line or a
            # sentence ends before it
            if self._sentence_word(text, cue):
                continue
            spans += self._name_at(text, cue.end(), any_case=True, at_end=True, gap=False)
        for cue in self._dash_sign_off.finditer(text):
            spans += self._name_at(text, cue.end(), any_case=False, at_end=True, gap=False)
        for cue in self._tail.finditer(text):
            # last words in capitals are seldom a name: "..., UK", "... LOL"; after a comma,
            # only after contact details: "+48 601 234 567, Magda", not "Juvederm, Restylane"
            before = text[max(0, cue.start() - 30) : cue.start()].split()
            after_contact = bool(before) and bool(re.search(r"[\d@)]", before[-1]))
            after_sign_off = bool(
                self._sign_off.search(text, max(0, cue.start() - 25), cue.start())
            )
            if cue.group("separator") == "," and not (after_contact or after_sign_off):
                continue
            if not re.match(r"[A-Z]{2,}\b", text[cue.end() : cue.end() + 8]):
                spans += self._name_at(text, cue.end(), any_case=False, at_end=True, gap=False)
        for cue in self._possessive.finditer(text):
            word = cue.group(1)
            if self._may_be_name(word) and word.lower() not in self.not_unknown_names:
                spans.append(Span(NAME, cue.start(1), cue.end(1)))
        for cue in _MESSAGE_START.finditer(text):
            for span in self._name_at(text, cue.end(), any_case=False, gap=False):
                if _ABOUT_A_PERSON.match(text, span.end):
                    spans.append(span)
        for words in self._capitalised_words.finditer(text):
            # "Yuki Tanaka here", "Gabriel Moreau speaking"
            previous = text[max(0, words.start() - 12) : words.start()].split()
            if previous and previous[-1].lower() in _BEFORE_A_PLACE:
                continue
            if self._followers.match(text, words.end()):
                spans += self._name_at(
                    text, words.start(), any_case=False, gap=False
                ) or self._name_of_words(words)
        spans += self._listed_names(text)
        spans += self._unknown_names(text)
        spans += self._spelled_names(text)
        spans += [
            Span(NAME, match.start(1), match.end(1))
            for match in _NAME_AFTER_A_NUMBER.finditer(text)
            if all(self._plain_name(word) for word in match.group(1).split())
        ]
        spans += self._bare_name(text)
        spans += self._lower_opening_names(text)
        spans += self._lower_case_after_cue(text)
        spans += self._and_another(text, spans)
        yield from spans
        yield from self._repeated(text, spans)

    # ---- the name list ------------------------------------------------------------------------

    def _listed_first_name(self, word: str) -> bool:
        return word.lower() not in self.not_unknown_names and is_first_name(word)

    def _listed_names(self, text: str) -> list[Span]:
        """Capitalised first names of the name list (bot/privacy/gazetteer.py) without a cue:
        mid-sentence ("can Anna call me back"), or at a sentence's start with something
        showing a person ("Anna Kowalski, 1 session", "Anna said"); with the surname or other
        capitalised words after them ("Anna Kowalski")."""
        if _title_case(text):
            return []
        words = list(_LISTED_WORD.finditer(text))
        spans = []
        index = 0
        while index < len(words):
            match = words[index]
            word = _POSSESSIVE.sub("", match.group())
            index += 1
            if not _capitalised(word) or not self._listed_first_name(word):
                continue
            start, end = match.start(), match.start() + len(word)
            initial = bool(_SENTENCE_END.search(text, 0, start)) or not text[:start].strip()
            previous_word = _word_before(text, words, index - 1)
            previous = previous_word.lower()
            if not initial and previous in _BEFORE_A_PLACE_NAME:
                continue
            # a word of a place's or a brand's name: "Dubai Marina"
            if not initial and previous in self.names_of_things and _capitalised(previous_word):
                continue
            if self._street_after.match(text, end):
                continue
            # the surname (or more names) after it: "Anna Kowalski", "Mary Ann Lee"
            following: list[tuple[int, int]] = []
            while index < len(words) and len(following) < 2:
                after = words[index]
                between = text[end if not following else following[-1][1] : after.start()]
                value = _POSSESSIVE.sub("", after.group())
                if not re.fullmatch(r"[ \t]+", between) or not self._name_part(value, initial):
                    break
                following.append((after.start(), after.start() + len(value)))
                index += 1
                if value != after.group():
                    break
            last = following[-1][1] if following else end
            if initial and not following and not _AFTER_A_PERSON.match(text, end):
                continue
            if self._street_after.match(text, last):
                continue
            spans.append(Span(NAME, start, last))
        spans += self._aged(text, words)
        spans += self._opening_names(text)
        spans += self._before_a_surname(text, words)
        spans += self._word_name_before_a_surname(text, words)
        return spans

    def _unknown_word(self, word: str) -> bool:
        """Capitalised, and no common word, brand, medicine, place or cue: a name's shape."""
        word = _POSSESSIVE.sub("", word)
        lower = word.lower()
        return (
            len(word) >= 2
            and _capitalised(word)
            and lower not in self.not_unknown_names
            # "Saturdays", "Botoxes"
            and not (lower.endswith("s") and lower[:-1] in self.not_unknown_names)
            and word.lower().strip("'’") not in _PARTICLES
            and self._may_be_name(word)
            and not is_common_word(word)
            and not self._street_word.fullmatch(word)
        )

    def _and_an_unknown_name(self, text: str, end: int) -> bool:
        """Whether "and" and another capitalised word that is no common one follow: "Hiroshi
        and Sakura Yamamoto"."""
        other = _AND_A_NAME.match(text, end)
        return bool(other) and self._unknown_word(other.group(1))  # type: ignore[union-attr]

    def _sentence_word(self, text: str, cue: re.Match) -> bool:
        """Whether a sign-off that is a word of a sentence too is one here: after a word ("my
        best friend"), or with a lower-case word right after it ("love handles"); not "Love,
        anna" or "Love\nAnna"."""
        word = cue.group().split()[0].strip(",.!:-–—").lower() if cue.group().split() else ""
        if word not in self.sentence_sign_offs:
            return False
        after_a_word = bool(re.search(r"\w[ \t]+$", text[: cue.start() + 1]))
        unpunctuated = not re.search(r"[,.!:\-–—\n]", cue.group())
        return after_a_word or (unpunctuated and text[cue.end() : cue.end() + 1].islower())

    @staticmethod
    def _spelled_names(text: str) -> list[Span]:
        """A word spelled out letter by letter: "H A R R O W", "k-o-w-a-l-s-k-i"."""
        return [Span(NAME, match.start(), match.end()) for match in _SPELLED.finditer(text)]

    def _bare_name(self, text: str) -> list[Span]:
        """A message that is only a name in lower case, as a reply: "karim" (a listed name
        no dictionary holds), "dimitra papadopoulou" (two or three words no dictionary holds,
        each shaped like a word: not "zxqv blorp", not a typo like "sesions")."""
        words = [word.group() for word in _LISTED_WORD.finditer(text)]
        bare = text.strip(" \t\n.!,")
        if not 1 <= len(words) <= 3 or bare.lower() != bare:
            return []
        if re.sub(r"[\s.!,]", "", text) != "".join(words):
            return []
        if any(
            len(word) < 3 or word in self.not_unknown_names or self._drawn_out(word)
            for word in words
        ):
            return []
        # "pain", "cost", "weight loss": words, though surnames too; a slot may hold one
        unknown = [not any(is_common_word(part) for part in word.split("-")) for word in words]
        if len(words) == 1:
            found = unknown[0] and (self._listed_first_name(words[0]) or is_surname(words[0]))
        else:
            found = any(unknown) and all(
                self._listed_first_name(word) or (is_unknown and _SPOKEN_SHAPE.fullmatch(word))
                for word, is_unknown in zip(words, unknown, strict=True)
            )
        if not found:
            return []
        start = text.index(words[0])
        return [Span(NAME, start, start + len(bare))]

    def _drawn_out(self, word: str) -> bool:
        """A word with its end drawn out: "hii", "heyyy", "okk", "yesss" (not "matt")."""
        short = re.sub(r"(\w)\1+$", r"\1", word)
        return (
            short != word
            and not is_first_name(word)
            and (is_common_word(short) or short in self.not_unknown_names)
        )

    def _lower_opening_names(self, text: str) -> list[Span]:
        """Lower-case words that open a message before "here" and are no common words (or a
        listed first name and such words): "olga petrova here", "tunde here"."""
        spans = []
        for match in _LOWER_OPENING_NAME.finditer(text):
            words = match.group("name").split()
            if all(
                word not in self.not_unknown_names
                and self._may_be_name(word)
                and (not is_common_word(word) or self._listed_first_name(word))
                for word in words
            ):
                spans.append(Span(NAME, match.start("name"), match.end("name")))
        return spans

    def _unknown_names(self, text: str) -> list[Span]:
        """A capitalised word that is no common English word (bot/privacy/dictionary.py), no
        brand, medicine or place (`known_terms`) and no cue, mid-sentence ("my cousin Ngozi
        Okonkwo", "ask Haddad") or at a sentence's start with a comma, "here" or another such
        word after it ("Ngozi, ...", "Ngozi Okonkwo here"); with the capitalised words and
        particles after it ("Lena van der Berg", "Ana de la Cruz")."""
        if not _mostly_english(text):
            return []
        words = list(_LISTED_WORD.finditer(text))
        spans = []
        index = 0
        while index < len(words):
            match = words[index]
            index += 1
            if not self._unknown_word(match.group()):
                continue
            start = match.start()
            # capitals say nothing in a line in title case ("What Will It Cost In Leeds")
            if _title_case(_line_of(text, start)):
                continue
            initial = bool(_SENTENCE_END.search(text, 0, start)) or not text[:start].strip()
            previous_word = _word_before(text, words, index - 1)
            previous = previous_word.lower()
            if not initial and previous in _BEFORE_AN_UNKNOWN_PLACE:
                continue
            # a word of a brand's or a place's name: "Dubai Marina", "Botox Cosmetic"
            if not initial and previous in self.names_of_things and _capitalised(previous_word):
                continue
            # "in Lagos or Abuja": a second place after "or"/"and"
            if (
                previous in ("or", "and", "&")
                and index >= 4
                and _capitalised(words[index - 3].group())
                and words[index - 4].group().lower() in _BEFORE_AN_UNKNOWN_PLACE
            ):
                continue
            end = start + len(_POSSESSIVE.sub("", match.group()))
            # the rest of the name: capitalised words, particles between them
            parts = 0
            while index < len(words) and parts < 3:
                ahead = index
                while ahead < len(words) - 1 and words[ahead].group() in _PARTICLES:
                    ahead += 1
                if any(
                    not re.fullmatch(
                        r"[ \t]+",
                        text[(words[i - 1].end() if i > index else end) : words[i].start()],
                    )
                    for i in range(index, ahead + 1)
                ):
                    break
                after = words[ahead]
                value = _POSSESSIVE.sub("", after.group())
                if (
                    not _capitalised(value)
                    or value.lower() in self.not_unknown_names
                    or self._street_word.fullmatch(value)
                    or not self._may_be_name(value)
                ):
                    break
                end = after.start() + len(value)
                parts += 1
                index = ahead + 1
                if value != after.group():
                    break
            if self._street_after.match(text, end) or _EPONYM_FOLLOWER.match(text, end):
                continue
            first_end = start + len(_POSSESSIVE.sub("", match.group()))
            if (
                initial
                and not parts
                and not _AFTER_AN_OPENING_NAME.match(text, first_end)
                and not self._and_an_unknown_name(text, first_end)
            ):
                continue
            if initial and parts and not _AFTER_AN_OPENING_NAME.match(text, end):
                # "Ngozi Okonkwo, ...": both words unknown ones, or something after them
                pieces = text[start:end].split()
                if not all(self._unknown_word(piece) for piece in pieces if piece[0].isupper()):
                    continue
            spans.append(Span(NAME, start, end))
        return spans

    def _before_a_surname(self, text: str, words: list[re.Match]) -> list[Span]:
        """Mid-sentence, a capitalised word that is no common word before a listed surname:
        a name from beyond the first-name list ("I came with Oleksandr Petrenko")."""
        spans = []
        for index in range(1, len(words) - 1):
            first, second = words[index], words[index + 1]
            previous = words[index - 1].group().lower()
            if (
                _capitalised(first.group())
                and _capitalised(second.group())
                and re.fullmatch(r"[ \t]+", text[first.end() : second.start()])
                and not _SENTENCE_END.search(text, 0, first.start())
                and previous not in _BEFORE_A_PLACE | _BEFORE_A_PLACE_NAME
                and first.group().lower() not in _PARTICLES
                and self._plain_name(first.group())
                and self._plain_name(second.group())
                # "the Data Protection Officer": a common word before a surname is no name
                and (is_first_name(first.group()) or not is_common_word(first.group()))
                and is_surname(second.group())
                and not self._street_word.fullmatch(second.group())
                and not self._street_after.match(text, second.end())
                and not _title_case(text)
            ):
                spans.append(Span(NAME, first.start(), second.end()))
        return spans

    def _word_name_before_a_surname(self, text: str, words: list[re.Match]) -> list[Span]:
        """Mid-sentence, a first name that is also a word, capitalised, before a surname that
        is none: "her nurse, Will Thornton, said", "my partner Summer Hayes"."""
        spans = []
        for index in range(len(words) - 1):
            first, second = words[index], words[index + 1]
            name, surname = first.group(), _POSSESSIVE.sub("", second.group())
            if (
                _capitalised(name)
                and name.lower() in self.first_name_stoplist
                and is_first_name(name)
                # "Will" is a verb too: only with a listed surname
                and (name.lower() not in self.not_names or is_surname(surname))
                and re.fullmatch(r"[ \t]+", text[first.end() : second.start()])
                and not _SENTENCE_END.search(text, 0, first.start())
                and text[: first.start()].strip()
                and _capitalised(surname)
                and (is_surname(surname) or self._unknown_word(surname))
                and not is_common_word(surname)
                and surname.lower() not in self.not_unknown_names
                and not self._street_after.match(text, second.start() + len(surname))
                and not _EPONYM_FOLLOWER.match(text, second.start() + len(surname))
                and not _title_case(_line_of(text, first.start()))
            ):
                spans.append(Span(NAME, first.start(), second.start() + len(surname)))
        return spans

    def _name_part(self, word: str, initial: bool) -> bool:
        """A word after a listed first name that is part of the name: a listed surname or first
        name, or mid-sentence any capitalised word that is not a common one."""
        if not _capitalised(word) or word.lower() in self.name_stoplist:
            return False
        return is_surname(word) or is_first_name(word) or not initial

    def _aged(self, text: str, words: list[re.Match]) -> list[Span]:
        """A capitalised word with an age after it, listed or not: "..., and Priya, 34"."""
        spans = []
        for match in words:
            word = match.group()
            if self._plain_name(word) and _AGE_AFTER_A_NAME.match(text, match.end()):
                start = match.start()
                # and the word before: "..., Aarav Sharma, dob ..."
                before = re.search(r"([^\W\d_][\w'’\-]*)[ \t]+$", text[max(0, start - 40) : start])
                if before and self._plain_name(before.group(1)):
                    start -= len(before.group())
                spans.append(Span(NAME, start, match.end()))
        return spans

    def _plain_name(self, word: str) -> bool:
        """Capitalised and no cue, brand or place: may be a name from beyond the list."""
        return (
            _capitalised(word)
            and word.lower() not in self.not_unknown_names
            and self._may_be_name(word)
        )

    def _opening_names(self, text: str) -> list[Span]:
        """Two or three capitalised words opening a message or a line, one of them a listed
        first name or surname, closed by punctuation: "Ibrahim Diallo. how much ..."."""
        spans = []
        for start in _MESSAGE_START.finditer(text):
            for span in self._name_at(text, start.end(), any_case=False, gap=False):
                words = text[span.start : span.end].split()
                if (
                    len(words) >= 2
                    and re.match(r"[ \t]*[.,:!]", text[span.end :])
                    and all(self._plain_name(word) for word in words)
                    and any(is_first_name(word) or is_surname(word) for word in words)
                    and not self._street_word.search(text[span.start : span.end])
                ):
                    spans.append(span)
        return spans

    def _and_another(self, text: str, spans: list[Span]) -> list[Span]:
        """A capitalised word after a name found and "and": "my mate Stefan and Kasia"."""
        found = []
        for span in spans:
            other = _AND_A_NAME.match(text, span.end)
            if (
                other
                and self._may_be_name(other.group(1))
                and other.group(1).lower() not in self.name_stoplist
            ):
                found.append(Span(NAME, other.start(1), other.end(1)))
        return found

    def _lower_case_after_cue(self, text: str) -> list[Span]:
        """A lower-case name after an introduction: a listed first name ("im kevin", "this is
        jess"), or any word a name's follower shows to be one ("its priya here")."""
        spans = []
        for cue in self._capital_intro.finditer(text):
            position = _GAP.match(text, cue.end()).end()  # type: ignore[union-attr]
            match = _LISTED_WORD.match(text, position)
            if not match or not match.group().islower():
                continue
            word = match.group()
            if word in self.name_stoplist or not self._may_be_name(word):
                continue
            followed = _NAME_FOLLOWER.match(text, match.end())
            # in another language ("je suis douillette") any word is unknown to the dictionary
            unknown = (
                not is_common_word(word)
                and word not in self.not_unknown_names
                and _mostly_english(text, share=0.5, known=self.known_terms)
            )
            if self._listed_first_name(word) or followed or unknown:
                end = match.end()
                # a surname after it, when the name ends there: "im kevin walsh, 41"
                surname = re.match(r"[ \t]+([^\W\d_][\w'’\-]*)(?=[ \t]*(?:[,.!?\n]|$))", text[end:])
                if (
                    surname
                    and surname.group(1).islower()
                    and surname.group(1) not in self.name_stoplist
                    and is_surname(surname.group(1))
                ):
                    end += surname.end()
                else:
                    # one that is no common word, wherever it stands: "im rahul sharma n i ..."
                    end = self._end_of_lower_surname(text, end)
                spans.append(Span(NAME, match.start(), end))
        return spans

    def _name_all_the_same(
        self, text: str, word: re.Match, value: str, titled: bool, words: list
    ) -> bool:
        """Whether a capitalised word that looks like another word ("May", "Jan", "Aisling")
        is a name's all the same: first after a title or a relative, and no cue word or a
        listed first name ("Dr. May Tan", "my mum May"); or in the middle of a name, a listed
        first name with more of the name after it ("Hendrik Jan de Vries")."""
        if not words:
            if value.lower() not in self.not_names:
                return titled
            # "My Mom Said It Was Fine": in title case a capital shows nothing
            return titled and is_first_name(value) and not _title_case(_line_of(text, word.start()))
        # a name that is also a word ("Jan", "May"), not any word a census lists ("My")
        return (
            value.lower() in self.first_name_stoplist
            and value.lower() not in _SMALL_WORDS
            and is_first_name(value)
            and bool(self._name_goes_on.match(text, word.start() + len(value)))
        )

    @staticmethod
    def _only_words(name: str) -> bool:
        parts = re.findall(r"[^\W\d_][\w'’\-]*", name)
        return len(parts) >= 2 and all(
            is_common_word(part) and not (is_first_name(part) or is_surname(part)) for part in parts
        )

    def _first_name_that_is_a_word(self, text: str, position: int) -> list[Span]:
        """After an introduction, a listed first name that is also a word, with what shows it
        to be a name after it: "I'm Will and I wanted ...", "I'm Grace, 34"."""
        position = _GAP.match(text, position).end()  # type: ignore[union-attr]
        word = _LISTED_WORD.match(text, position)
        if (
            word
            and _capitalised(word.group())
            and is_first_name(word.group())
            and _NAME_FOLLOWER.match(text, word.end())
        ):
            return [Span(NAME, word.start(), word.end())]
        return []

    @staticmethod
    def _given_names_after_surnames(text: str, found: list[Span]) -> list[Span]:
        """After a surname in capitals, the given names: "GONZALEZ, Maria Jose"."""
        spans = []
        for span in found:
            surname = text[span.start : span.end]
            given = _GIVEN_NAMES.match(text, span.end)
            if surname.isupper() and len(surname) > 2 and given:
                spans.append(Span(NAME, span.start, given.end()))
        return spans

    def _lower_name_at(
        self, text: str, position: int, listed_only: bool, surnames: bool = False
    ) -> list[Span]:
        """A lower-case name after a relative or a title: a listed first name ("my husband
        mark") or, unless `listed_only`, a word no dictionary holds ("dr mehta"); with a
        lower-case surname after it."""
        # an initial first: "dr. s. ramachandran"
        initial = _LOWER_INITIAL.match(text, position)
        word = _LISTED_WORD.match(text, initial.end() if initial else position)
        if not word or not word.group().islower():
            return []
        value = word.group()
        if value in self.not_names or value in self.not_person_words:
            return []
        unknown = not is_common_word(value) and len(value) >= 3
        surname = surnames and is_surname(value) and len(value) >= 3
        if not (is_first_name(value) or surname or (unknown and not listed_only)):
            return []
        end = self._end_of_lower_surname(text, word.end())
        return [Span(NAME, initial.start() if initial else word.start(), end)]

    def _end_of_lower_surname(self, text: str, end: int) -> int:
        """After a lower-case name ending at `end`, the end of a lower-case word after it that
        no dictionary holds, a surname ("rahul sharma"); else `end`."""
        other = _LOWER_SURNAME.match(text, end)
        if (
            other
            and other.group(1) not in self.not_unknown_names
            and not is_common_word(other.group(1))
        ):
            return other.end()
        return end

    def _name_of_words(self, words: re.Match) -> list[Span]:
        """Capitalised words before "here" or "speaking" that start with a listed first name
        that is also a word: "Will Turner here", "Grace Okafor speaking"."""
        parts = words.group().split()
        if not 2 <= len(parts) <= 3 or not is_first_name(parts[0]):
            return []
        if any(
            word.lower() in self.not_unknown_names
            or not (is_surname(word) or self._unknown_word(word))
            for word in parts[1:]
        ):
            return []
        return [Span(NAME, words.start(), words.end())]

    def _may_be_name(self, word: str) -> bool:
        lower = word.lower()
        if lower in self.not_names:
            return False
        return len(lower) < 6 or not lower.endswith(self.not_name_endings)

    def _repeated(self, text: str, spans: list[Span]) -> Iterator[Span]:
        """Every other place a name found stands in the message ("Ingrid ... Ingrid has")."""
        words = {
            word
            for span in spans
            for word in re.findall(r"[^\W\d_][\w\-]+", text[span.start : span.end])
            if word[0].isupper() and word.lower() not in self.not_names | self.titles
        }
        for word in words:
            for match in re.finditer(rf"(?<![\w]){re.escape(word)}(?![\w])", text):
                yield Span(NAME, match.start(), match.end())

    def _name_at(
        self,
        text: str,
        position: int,
        any_case: bool,
        at_end: bool = False,
        gap: bool = True,
        lower_alone: bool = False,
        expected: bool = False,
    ) -> list[Span]:
        """Up to four name words from `position` (capitalised unless `any_case`); with
        `at_end`, only when nothing but punctuation follows them on their line; with
        `lower_alone`, one lower-case word followed by an age ("im priya, 34"); with `expected`,
        where a name is sure to stand (after "my friend"), a capitalised word that looks like
        another word ("my friend Aisling", "my mum May")."""
        if gap:
            position = _GAP.match(text, position).end()  # type: ignore[union-attr]
        words: list[tuple[int, int]] = []
        cursor = position
        lower_first = False
        titled = expected
        while len(words) < 4:
            word = _NAME_WORD.match(text, cursor)
            if not word:
                break
            value = word.group().rstrip(".")
            initial = len(value) == 1
            if not words and value.lower() in self.titles and value[0].isupper():
                # "my GP Dr. Patel": the title goes with the name; "Thanks Dr" has none
                title = _TITLE_GAP.match(text, word.start() + len(value))
                if not title:
                    break
                cursor = title.end()
                position = word.start()
                titled = True
                continue
            capital = value[0].isupper()
            if not capital and words and value.lower() in _PARTICLES:
                # "Ana de la Cruz", "Ahmed bin Khalid": a particle between two parts of a name
                following = _PARTICLE_THEN_NAME.match(text, word.start())
                if following:
                    cursor = following.end("last")
                    continue
            if (
                not (initial and (words or _dotted_word(word)))
                and not self._may_be_name(value)
                and not (capital and self._name_all_the_same(text, word, value, titled, words))
            ):
                break
            if not capital and not words and lower_alone and not any_case:
                if _AGE_AFTER.match(text, word.start() + len(value)):
                    words.append((word.start(), word.start() + len(value)))
                break
            if not capital and (not any_case or (words and not lower_first)):
                break
            if not words:
                lower_first = not capital
            # an initial in lower case only after a sure cue: "name on booking: t. okafor"
            if initial and not words and not capital and not (any_case and _dotted_word(word)):
                break
            dotted = word.group().endswith(".") and (initial or "." in value)
            end = word.end() if dotted else word.start() + len(value)
            words.append((word.start(), end))
            spaces = _SPACES.match(text, end)
            if not spaces:
                break
            cursor = spaces.end()
        if not words:
            return []
        start, end = min(position, words[0][0]), words[-1][1]
        # a lone one-letter word is no name
        if end - start < 2:
            return []
        # "Bia (Beatriz Santos)": the name in brackets too
        bracket = _BRACKETED_NAME.match(text, end)
        if bracket:
            end = bracket.end()
        if at_end and not _LINE_END.match(text, end):
            return []
        return [Span(NAME, start, end)]

    @staticmethod
    def _after(cue: re.Pattern, text: str, position: int, reach: int = 40) -> bool:
        """Whether a cue ends right before `position` (within a few words)."""
        window = text[max(0, position - reach) : position]
        return any(match.end() == len(window) for match in cue.finditer(window))


def _word_before(text: str, words: list[re.Match], index: int) -> str:
    """The word before words[index] when only spaces stand between them ("in Leeds"), else
    nothing ("book me in, Aditi": the comma parts them)."""
    if index < 1:
        return ""
    before = words[index - 1]
    return before.group() if not text[before.end() : words[index].start()].strip() else ""


def _dotted_word(word: re.Match) -> bool:
    return word.group().endswith(".")


def _line_of(text: str, position: int) -> str:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start : end if end >= 0 else len(text)]


def _capitalised(word: str) -> bool:
    """Starts with a capital and is not all capitals ("Anna", "Hye-jin"; not "anna", "UK")."""
    return word[:1].isupper() and (len(word) == 1 or not word.replace("-", "").isupper())


def _mostly_english(text: str, share: float = 0.7, known: frozenset[str] = frozenset()) -> bool:
    """Whether most lower-case words are English ones (or `known` words: "pls", "im"): in
    German ("zahlt die Kasse was?") a capitalised noun says nothing of a name."""
    words = set(_LOWER_WORD.findall(text))
    if len(words) < 3:
        return True
    return sum(is_common_word(word) or word in known for word in words) >= share * len(words)


def _title_case(text: str) -> bool:
    """Most words capitalised, small words too or every word ("What Will It Cost In Leeds",
    "Hyaluronic Acid Price List"): capitals say nothing there. Not a form's line or a short
    message with a name in it ("Contact person: Kwame Mensah", "Appointment for Kofi Boateng
    please")."""
    words = re.findall(r"[^\W\d_]+", text)
    if len(words) < 4 or sum(word[0].isupper() for word in words) < 0.6 * len(words):
        return False
    return all(word[0].isupper() for word in words) or any(
        word.lower() in _SMALL_WORDS and word[0].isupper() for word in words[1:]
    )


def _overlapping(span: Span, others: Iterable[Span]) -> Span | None:
    return next(
        (other for other in others if other.start < span.end and span.start < other.end), None
    )


def merged(spans: list[Span]) -> list[Span]:
    """Overlapping spans as one, of the longest's kind (the most specific on a tie)."""
    result: list[Span] = []
    group: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if group and span.start >= max(s.end for s in group):
            result.append(_one(group))
            group = []
        group.append(span)
    if group:
        result.append(_one(group))
    return result


def _one(group: list[Span]) -> Span:
    best = min(group, key=lambda s: (-(s.end - s.start), _SPECIFICITY[s.kind]))
    return Span(best.kind, min(s.start for s in group), max(s.end for s in group))


@cache
def default_redactor() -> Redactor:
    return Redactor(language_cues().personal_data, load_span_model())


@cache
def rules_redactor() -> Redactor:
    """The rules without the learned model, to measure what the model adds."""
    return Redactor(language_cues().personal_data)


def find_personal_data(text: str) -> list[Span]:
    """The personal data in a text, in order, overlapping finds merged."""
    return default_redactor().find(text)


def redact(text: str) -> str:
    """The text with each piece of personal data replaced by its placeholder; a non-string
    comes back as it is."""
    return default_redactor().redact(text)


def redact_event(event: dict) -> dict:
    """A deep copy of a Rasa event (its `as_dict()`) with every string a person wrote
    redacted: texts, parse data, entity values, slot values, metadata. Identifiers (event
    type, intent and action names, ids, timestamps, channel, policy) are kept, and so is what
    the bot said: its words are domain.yml's and the knowledge base's, whose templates take
    no patient text, and redacting them would only spoil sources and clinic details."""
    if not isinstance(event, dict):
        return event
    if event.get("event") == BOT_EVENT:
        return copy.deepcopy(event)
    try:
        copied: object = copy.deepcopy(event)
    except Exception:  # noqa: BLE001 - an odd object inside; rebuild what can be rebuilt
        copied = _plain(event)
    redacted = _redacted(copied, all_text=False)
    return redacted if isinstance(redacted, dict) else {}


def _redacted(value: object, all_text: bool) -> object:
    redactor = default_redactor()
    if isinstance(value, str):
        return redactor.redact(value)
    if isinstance(value, dict):
        return {
            key: item
            if not all_text and key in IDENTIFIER_KEYS
            else _redacted(item, all_text or key in _ALL_TEXT_KEYS)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(_redacted(item, all_text) for item in value)
    return value


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return repr(value)
