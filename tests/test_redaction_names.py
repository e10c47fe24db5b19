"""Names found with the name list (bot/privacy/gazetteer.py, the `names` package's US Census
first names and surnames) and kept apart from common words: our own examples, made up without
reading either test half of the blind set (tests/privacy/)."""

from __future__ import annotations

import time

import pytest

from bot.privacy import find_personal_data, redact
from bot.privacy.gazetteer import first_names, folded, is_first_name, is_surname, surnames


def test_the_lists_come_from_the_package_once():
    assert len(first_names()) > 5000 and len(surnames()) > 80000
    assert first_names() is first_names()
    assert {"james", "mary", "anna"} <= first_names()
    assert {"smith", "kowalski", "nguyen"} <= surnames()


def test_a_name_is_looked_up_folded():
    assert folded("Chloé") == "chloe" and folded("O'Brien") == "obrien"
    assert is_first_name("Chloé") and is_first_name("ANNA")
    # a hyphenated name by its first part
    assert is_first_name("Hye-jin") and is_first_name("Anne-Marie")
    assert is_surname("Kowalski") and not is_surname("Mesotherapy")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a listed first name mid-sentence, with a surname or more after it
        ("could Marta ring me tomorrow about it", "Marta"),
        ("I went with Joanna Nowak last spring", "Joanna Nowak"),
        ("did Brenda get bruising after hers", "Brenda"),
        ("is it safe for Rebecca's skin", "Rebecca"),
        ("my appointment is with Dr Adeyemi on the 4th", "Dr Adeyemi"),
        # at a sentence's start with something showing a person
        ("Joanna Nowak, 2 sessions on the scalp please", "Joanna Nowak"),
        ("Derek said the needles were tiny", "Derek"),
        ("hello there. Melissa here, quick question", "Melissa"),
        ("Gwen, 52, wondering about neck lines", "Gwen"),
        # lower case after an introduction
        ("im brandon, will it sting much", "brandon"),
        ("this is megan again", "megan"),
        ("its anjali here from the chat", "anjali"),
        ("hi im oscar walsh, 38", "oscar walsh"),
        # hyphenated and accented
        ("my cousin Min-seo wants to come", "Min-seo"),
        ("Renée and I are curious", "Renée"),
        ("could Zoë book for the two of us", "Zoë"),
        # names from beyond the list: a cue, an age, "and"
        ("we are Svetlana and Olumide, 29 and 31", "Svetlana"),
        ("my neighbour Oleksandr and Dagny both had it", "Dagny"),
        ("bringing a friend, Tendai, 27, is that ok", "Tendai"),
    ],
)
def test_names_are_found(text, name):
    assert name not in redact(text), redact(text)
    assert "[NAME]" in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "Will it hurt?",
        "May I ask how long it lasts?",
        "Grace period for cancelling a booking?",
        "is there a clinic in London",
        "Botox or mesotherapy, which is better?",
        "Jade roller after the session?",
        "Summer is coming, is it too sunny for meso",
        "Rose hip oil on the face after?",
        "What Will It Cost In Leeds",
        "is there a clinic in Chelsea or near Austin",
        "Hope it doesn't swell. Mark my words I'll be nervous",
        "Penny for your thoughts on dermapen",
        "I love it. Max two sessions a month?",
        "im nervous, is it a fine needle",
        "this is weird",
        "its fine honestly",
        "hi there, question about pricing",
        "St John's wort and retinol together?",
        "Angel wings tattoo near the area, is it fine",
        "Sandy skin texture after",
        "OK GRACE PERIOD",
    ],
)
def test_common_words_are_not_names(text):
    assert [span.kind for span in find_personal_data(text)] == [], redact(text)


def test_the_name_list_keeps_redaction_fast():
    messages = [
        "could Marta ring me tomorrow about it",
        "Joanna Nowak, 2 sessions on the scalp please",
        "im gareth, will it sting and how long is the downtime after meso on the face",
        "Will it hurt? May I ask how long it lasts, and is there a clinic in London",
    ] * 50
    redact(messages[0])  # the lists are read once, on the first use
    started = time.perf_counter()
    for message in messages:
        redact(message)
    assert (time.perf_counter() - started) / len(messages) < 0.001


@pytest.mark.parametrize(
    ("text", "secret", "kind"),
    [
        # greetings in a first language, "that's me", a particle after a cue
        ("merhaba, Kerem Aydın. is it painful", "Kerem Aydın", "NAME"),
        ("thats me, Rohan Mehta", "Rohan Mehta", "NAME"),
        ("Hello, Omar bin Rashid, a question", "Omar bin Rashid", "NAME"),
        # a message opening with a name, a listed surname in it
        ("Lamine Sarr. what does it cost for the scalp", "Lamine Sarr", "NAME"),
        # two capitalised words before a date of birth
        ("Lina Haddad, dob 03/04/1990", "Lina Haddad", "NAME"),
        ("im chidi and i have a question", "chidi", "NAME"),
        # rooms, blocks, districts, ordinal streets, longer postcodes, a town in lower case
        ("Room 12, Block 4, 9 Nanjing Road, Shanghai", "Room 12", "ADDRESS"),
        ("deliver it to 12 Le Loi, District 3, Saigon", "12 Le Loi", "ADDRESS"),
        ("No. 14, 2nd Main Street, Jayanagar, Bangalore 560041", "No. 14", "ADDRESS"),
        ("Rua do Ouro 12, 1100-060 Lisboa", "1100-060 Lisboa", "ADDRESS"),
        ("send to flat 3b 22 hollow lane leeds ls6 1aa", "leeds ls6 1aa", "ADDRESS"),
        # a town in lower case where an address ends, a street in lower case after a flat
        ("po box 778 gaborone", "gaborone", "ADDRESS"),
        ("456 Elm street springfield il 62704", "springfield", "ADDRESS"),
        ("flat 9 kings court, 33 station road", "kings court", "ADDRESS"),
        ("unit #05-67, 10 orchard road singapore 238841", "05-67", "ADDRESS"),
        ("Av. Paulista, 1578 - Bela Vista, São Paulo", "Bela Vista", "ADDRESS"),
        # a name in lower case after a title or a relative, or one that is also a word
        ("is dr mehta in today", "mehta", "NAME"),
        ("nurse Bill was lovely", "Bill", "NAME"),
        ("my husband mark wants to come too", "mark", "NAME"),
        ("booked under faith okoro", "faith okoro", "NAME"),
        ("Will Turner here, can i book", "Will Turner", "NAME"),
        # a short message or a form's line with a name is not title case; a modal verb
        # opening a question is no place's name
        ("Contact person: Kwame Mensah", "Kwame", "NAME"),
        ("Appointment for Kofi Boateng please", "Kofi Boateng", "NAME"),
        ("Could Fernanda call me back?", "Fernanda", "NAME"),
        # the parts of a birth date apart, more countries' ID numbers
        ("DOB - 12 01 1956", "12 01 1956", "DATE_OF_BIRTH"),
        ("NHI ZAC5361", "ZAC5361", "ID_NUMBER"),
        ("PESEL 90010112345", "90010112345", "ID_NUMBER"),
        # a contact card's phone after a colon, a birth date with a month in another language
        ("BEGIN:VCARD\nTEL;CELL:+61 412 555 019\nEND:VCARD", "+61", "PHONE"),
        ("née le 14 juillet 1988", "14 juillet 1988", "DATE_OF_BIRTH"),
        ("Hospital no: KGH-0091822", "KGH-0091822", "ID_NUMBER"),
        # a first name that is also a word, where a name must stand
        ("my aunt June said it helped", "June", "NAME"),
        ("can I see Dr. Hope Adeyemi again", "Hope", "NAME"),
        ("Name: Pieter Jan van Dijk", "Jan", "NAME"),
        ("I'm Will and I have a question about the scalp", "Will", "NAME"),
        ("Best,\nA.K. Osei", "A.", "NAME"),
        # a title in another language
        ("la dottoressa Ferraro dice 5 sedute", "Ferraro", "NAME"),
        # addresses written over lines, in another country's order, a PO box in another language
        ("Send it to:\n7 The Maltings\nThame\nOX9 3JX", "The Maltings", "ADDRESS"),
        ("Cumhuriyet Cad. No:12 D:4, Şişli/İstanbul", "Cumhuriyet Cad. No:12 D:4", "ADDRESS"),
        ("Postfach 4410, 80331 München", "Postfach 4410", "ADDRESS"),
        ("Bahnhofstraße 9, 2. OG rechts, 60311 Frankfurt am Main", "am Main", "ADDRESS"),
        # dictated: numbers and dates in words, a name spelled out, an e-mail's joiners
        ("ring me on oh seven seven double oh nine one two three four five", "double", "PHONE"),
        ("born on the third of june nineteen eighty seven", "nineteen", "DATE_OF_BIRTH"),
        ("my bday's march third ninety one", "third", "DATE_OF_BIRTH"),
        ("surname is H A R R O W", "H A R R O W", "NAME"),
        ("its spelled k-o-w-a-l-s-k-i", "k-o-w", "NAME"),
        ("email sara underscore lopez at gmail dot com", "sara", "EMAIL"),
        ("email me: ramon dot cruz at yahoo dot com dot ph", "ph", "EMAIL"),
        # a bare reply that is a name; names in other languages' phrasing
        ("dimitra papadopoulou", "dimitra", "NAME"),
        ("karim", "karim", "NAME"),
        ("salam, esmi Layla Haddad", "Layla", "NAME"),
        ("Kavya bol rahi hoon, slots free?", "Kavya", "NAME"),
        # a Malay street, a Moroccan flat
        ("No 8, Jalan Ampang, 50450 Kuala Lumpur", "Jalan Ampang", "ADDRESS"),
        # a form read by a camera: labels on their own lines, surname first in capitals
        ("SURNAME\nOKONKWO\nGIVEN NAMES\nCHIDINMA GRACE", "CHIDINMA", "NAME"),
        ("Surname: Nakamura Given name: Haruto Date of birth: 1988.07.21", "Haruto", "NAME"),
        ("Patient: GONZALEZ, Maria Jose  MRN: 00-44-1982", "Maria Jose", "NAME"),
        # an initial in lower case, a relative's word as a title, a name before "(my ...)"
        ("dr. s. ramachandran referred me", "ramachandran", "NAME"),
        ("I went with Grandma Beatrice to her appointment", "Beatrice", "NAME"),
        ("Olga (my sister) had bruising", "Olga", "NAME"),
        # birth dates written together, with a two-digit year, or with dashes and a month
        ("DOB 19900304", "19900304", "DATE_OF_BIRTH"),
        ("im a 14/02/95 baby", "14/02/95", "DATE_OF_BIRTH"),
        ("dob 3-Mar-90", "3-Mar-90", "DATE_OF_BIRTH"),
        # ID cards read by a camera, in other languages and scripts
        ("Nom: DUBOIS\nPrénoms: CLAIRE, HÉLÈNE\nSexe: F", "HÉLÈNE", "NAME"),
        ("Sukunimi / Efternamn\nLEHTONEN\nEtunimet / Förnamn\nMIKKO", "LEHTONEN", "NAME"),
        ("姓名 王芳\n出生 1985年3月12日", "1985年3月12日", "DATE_OF_BIRTH"),
        ("姓名 王芳\n出生 1985年3月12日", "王芳", "NAME"),
        ("Henkilötunnus\n131052-308T", "131052-308T", "ID_NUMBER"),
        # family lists, a partner introduced with "is", a name in brackets after a number
        ("my sons Tariq and Bilal both want it", "Bilal", "NAME"),
        ("my partner is Summer Khan and she will come too", "Summer Khan", "NAME"),
        ("text me +44 7700 900123 (Rhiannon)", "Rhiannon", "NAME"),
        ("Yours faithfully,\nmargit olsen", "margit", "NAME"),
        ("pls bill my card, im arjun krishnaswamy", "krishnaswamy", "NAME"),
        # a town after "in", an address going on after a comma on the next line
        ("she lives on Calle Mayor 22, 3º B in Alcalá de Henares", "Alcalá", "ADDRESS"),
        ("ADDRESS: 15 ADEOLA ODEKU STREET,\nIKOYI, LAGOS", "IKOYI", "ADDRESS"),
        # mid-sentence, a first name that is also a word before a surname that is none
        ("her nurse at the clinic, Will Thornton, said to ask", "Will", "NAME"),
        ("ask for Faith Okafor at reception", "Faith", "NAME"),
        # a lower-case initial after a sure cue, a listed surname after a short title, a flat
        # before the house number with a slash
        ("name on booking: t. okafor", "okafor", "NAME"),
        ("this is sandra from reception at dr lees", "lees", "NAME"),
        ("unit 3 / 45 smith st, fitzroy", "45 smith st", "ADDRESS"),
    ],
)
def test_names_and_addresses_beyond_the_list(text, secret, kind):
    assert secret not in redact(text), redact(text)
    assert f"[{kind}]" in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hi, I'd like to book a consultation",
        "order number 558812345 has not arrived",
        "invoice no. 204417788 is wrong",
        "The page at example.com/help is down",
        "Hyaluronic Acid. is it in the cocktail?",
        "im tired and i want results",
        # a contraction without its apostrophe after a title, a relative's verb, a clause
        # after an address
        "my doctor doesnt know",
        "my friend recommended it",
        "my sister will come with me",
        "booked under my husband's name",
        "Hyaluronic Acid Price List For Face",
        "What Will It Cost In Leeds",
        # a business's free number, a card's last digits, cue words and brands
        "they texted me from 0800 555 0199, is that you?",
        "I paid with my Visa ending 4821",
        "is it covered by Medicare here?",
        "the Tel on your site is wrong",
        "I'm referring my sister to you",
        "Where is the Riverside branch?",
        "Dear Data Protection Officer, please delete my chats",
        "my cousin paid 300 for it",
        "hii",
        "okk",
        "i need one or two sessions, maybe three",
        "born and raised in leeds, is that relevant",
        "it costs two hundred and fifty per session",
        "invoice INV-2024-00817 is wrong",
        "thanks so much, god bless",
        "est-ce que ça fait mal? je suis douillette haha",
        "i have type A B blood",
        "can she come along, she's my best friend",
        "dr. s. referred me",
        "appt 12/05/26 ok?",
        "order 20240315 has not come",
        "Do you take Klarna or Clearpay?",
        "I love the Rose Gold Glow facial",
        "the dr near me charges how much",
        # a bare reply that is gibberish or a typo, not a name
        "zxqv blorp",
        "sesions",
        # a greeting's typo, Spanish "yes", a heading in title case
        "helo",
        "goodnight",
        "si claro",
        "Delete My Information",
        # a topic's id held in a slot: "pain" and "cost" are surnames too
        "pain",
        "cost",
    ],
)
def test_numbers_pages_and_contractions_are_not_personal(text):
    assert find_personal_data(text) == [], redact(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ask Tunde Bello about it", "Tunde Bello"),
        ("a nurse named Xiu did mine", "Xiu"),
        ("she is called Adaeze", "Adaeze"),
    ],
)
def test_a_listed_surname_or_a_naming_word_shows_a_name(text, name):
    assert name not in redact(text), redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "is the Kings Road branch open late?",
        "we went to Hong Kong for it",
        "is La Roche Posay ok after",
        "I called Monday about it",
    ],
)
def test_places_brands_and_days_are_not_names(text):
    assert [span.kind for span in find_personal_data(text)] == [], redact(text)


# ---- names beyond the name list: capitalised words that are no common English word ----------


def test_the_dictionary_comes_from_the_package_once():
    from bot.privacy.dictionary import common_words, is_common_word

    assert len(common_words()) > 80000 and common_words() is common_words()
    assert is_common_word("Tired") and is_common_word("clinics") and is_common_word("Don't")
    assert is_common_word("self-conscious")
    assert not is_common_word("Okonkwo") and not is_common_word("Haddad")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("my cousin Ngozi Okonkwo wants to come along", "Ngozi Okonkwo"),
        ("can I ask for Dr Haddad when I book", "Haddad"),
        ("I was treated by Lena van der Berg last year", "Lena van der Berg"),
        ("is it fine to bring Oyelaran along", "Oyelaran"),
        ("I booked with Siobhan McAllister for friday", "McAllister"),
        ("the nurse was Aoibheann O'Neill and she was lovely", "O'Neill"),
        ("my manager Khalid bin Rashid recommended you", "Khalid bin Rashid"),
        ("I came with Itzel de la Cruz to the consultation", "Itzel de la Cruz"),
        ("Okwuosa, can you tell me the price", "Okwuosa"),
        ("Thandeka Mthembu here, about the hair sessions", "Thandeka Mthembu"),
        ("did Wanjiru's bruising go down quickly", "Wanjiru"),
        # at a sentence's start: said, "and" another such word, a line of its own
        ("Oluwaseun said the scalp one tingled", "Oluwaseun"),
        ("Kwabena and Efua Mensah - can we come together", "Kwabena"),
        ("Ruairi Coughlan\n3 Abbey Road, Galway", "Ruairi Coughlan"),
        # in lower case: after "im" though no listed first name, or before "here"
        ("im arjun mehrotra n my question is about the price", "arjun mehrotra"),
        ("svetlana ivanova here, quick one about hair meso", "svetlana ivanova"),
        # Cyrillic, with an e-mail address after it
        ("Светлана Иванова, пишите на s.ivanova@mail.ru", "Светлана Иванова"),
    ],
)
def test_an_unknown_capitalised_word_mid_sentence_is_a_name(text, name):
    assert name not in redact(text), redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "Will it hurt?",
        "Is Botox the same?",
        "NCTF 135HA or Dermaheal for fine lines",
        "a clinic on Harley Street",
        "I'm tired",
        "Mark on my cheek after the session",
        "is Profhilo better than Aqualyx for the chin",
        "do you have clinics in Lagos or Abuja",
        "I take Ozempic, is that a problem",
        "my hair is at 3 on the Norwood scale",
        "can I book for Saturdays only",
        "Is it ok If I drink after",
        "zahlt die Kasse was dafür?",
        "MesoGuide said it was fine",
        "Salut, is it vegan?",
        "Nani's birthday is soon, can I get a voucher",
        "is there a clinic near Abu Dhabi Corniche",
        "Virginia or Maryland, which is nearer",
    ],
)
def test_words_brands_and_places_are_not_unknown_names(text):
    assert [span.kind for span in find_personal_data(text) if span.kind == "NAME"] == [], redact(
        text
    )


def test_the_unknown_name_rule_stays_fast():
    texts = [
        "my cousin Ngozi Okonkwo wants to come along, is Botox the same as meso?",
        "Hi, I'm thinking about NCTF for fine lines under my eyes, how long does it last?",
    ]
    for text in texts:
        redact(text)  # the lists are loaded once
    start = time.perf_counter()
    for _ in range(200):
        for text in texts:
            redact(text + " ")
    per_message = (time.perf_counter() - start) / 400
    assert per_message < 0.002, per_message


def test_an_address_takes_a_town_after_in_but_not_a_month():
    assert redact("I moved to 10 Baker St in January") == "I moved to [ADDRESS] in January"
