"""Amounts in Hindi words, Indian style: 12500050 paise -> 'एक लाख पच्चीस हज़ार रुपये और पचास
पैसे मात्र', as a cheque or a bill is written in Hindi.

The numbers 0 to 99 each have their own word in Hindi (इक्यावन, not "fifty-one"), so they are a
table; above that the groups are सौ (hundred), हज़ार (thousand), लाख (lakh) and करोड़ (crore),
the crores counted in the same words (एक सौ करोड़ is ₹100 crore, the largest amount kirana
takes). num2words has no Hindi; the maintained Indian-language library we tried
(indic-numtowords) fails on ten-digit amounts such as ₹100 crore, so kirana writes its own.
"""

from __future__ import annotations

UNITS = [
    "शून्य",
    "एक",
    "दो",
    "तीन",
    "चार",
    "पाँच",
    "छह",
    "सात",
    "आठ",
    "नौ",
    "दस",
    "ग्यारह",
    "बारह",
    "तेरह",
    "चौदह",
    "पंद्रह",
    "सोलह",
    "सत्रह",
    "अठारह",
    "उन्नीस",
    "बीस",
    "इक्कीस",
    "बाईस",
    "तेईस",
    "चौबीस",
    "पच्चीस",
    "छब्बीस",
    "सत्ताईस",
    "अट्ठाईस",
    "उनतीस",
    "तीस",
    "इकतीस",
    "बत्तीस",
    "तैंतीस",
    "चौंतीस",
    "पैंतीस",
    "छत्तीस",
    "सैंतीस",
    "अड़तीस",
    "उनतालीस",
    "चालीस",
    "इकतालीस",
    "बयालीस",
    "तैंतालीस",
    "चवालीस",
    "पैंतालीस",
    "छियालीस",
    "सैंतालीस",
    "अड़तालीस",
    "उनचास",
    "पचास",
    "इक्यावन",
    "बावन",
    "तिरेपन",
    "चौवन",
    "पचपन",
    "छप्पन",
    "सत्तावन",
    "अट्ठावन",
    "उनसठ",
    "साठ",
    "इकसठ",
    "बासठ",
    "तिरेसठ",
    "चौंसठ",
    "पैंसठ",
    "छियासठ",
    "सड़सठ",
    "अड़सठ",
    "उनहत्तर",
    "सत्तर",
    "इकहत्तर",
    "बहत्तर",
    "तिहत्तर",
    "चौहत्तर",
    "पचहत्तर",
    "छिहत्तर",
    "सतहत्तर",
    "अठहत्तर",
    "उन्यासी",
    "अस्सी",
    "इक्यासी",
    "बयासी",
    "तिरासी",
    "चौरासी",
    "पचासी",
    "छियासी",
    "सत्तासी",
    "अट्ठासी",
    "नवासी",
    "नब्बे",
    "इक्यानवे",
    "बानवे",
    "तिरानवे",
    "चौरानवे",
    "पंचानवे",
    "छियानवे",
    "सत्तानवे",
    "अट्ठानवे",
    "निन्यानवे",
]
assert len(UNITS) == 100

# (size, word), largest first; what is left below 100 is a word of UNITS.
GROUPS = ((10_000_000, "करोड़"), (100_000, "लाख"), (1_000, "हज़ार"), (100, "सौ"))


def number_in_words(number: int) -> str:
    """0 -> 'शून्य', 125000 -> 'एक लाख पच्चीस हज़ार', 1000000000 -> 'एक सौ करोड़'."""
    if number < 0:
        raise ValueError("a number in words is not negative")
    if number < 100:
        return UNITS[number]
    words = []
    for size, word in GROUPS:
        count, number = divmod(number, size)
        if count:
            words += [number_in_words(count), word]
    if number:
        words.append(UNITS[number])
    return " ".join(words)


def rupees_in_words(paise: int) -> str:
    """An amount as written on a bill in Hindi: 'एक लाख पच्चीस हज़ार रुपये मात्र',
    'पचहत्तर पैसे मात्र', 'दो सौ रुपये और पचास पैसे मात्र'; a negative amount starts 'ऋण'."""
    rupees, rest = divmod(abs(paise), 100)
    if rupees and rest:
        text = f"{number_in_words(rupees)} रुपये और {number_in_words(rest)} पैसे"
    elif rest:
        text = f"{number_in_words(rest)} पैसे"
    else:
        text = f"{number_in_words(rupees)} रुपये"
    sign = "ऋण " if paise < 0 else ""
    return f"{sign}{text} मात्र"
