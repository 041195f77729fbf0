"""Folding: what is left of a word when accents, case, ligatures and the
kind of apostrophe no longer count, and the French stop words. The base of
:mod:`search.analysis` (which re-exports these names) and
:mod:`search.stemming`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["APOSTROPHES", "ELISIONS", "STOP_WORDS", "exact_form", "fold", "is_stop_word"]

#: Characters readers and editors use as an apostrophe: straight, curly (’ and
#: ‘), backtick, acute accent, modifier letter, prime.
APOSTROPHES = "'’‘`´ʼ′"

#: Elided words, as folded text, dropped when followed by an apostrophe
#: ("l'affaire" -> "affaire", "jusqu’à" -> "à").
ELISIONS = frozenset("l m t n s j d c qu jusqu quoiqu lorsqu puisqu".split())  # noqa: SIM905

#: True French function words, folded. Deliberately small: no English words
#: (the "Orange is the New Black" problem) and no word that is also a content
#: word ("été", "est", "or", "an", "car", "mais"/"maïs", "si", "vers" stay).
STOP_WORDS = frozenset(
    """
    le la les l un une des du de d au aux
    et ou a en dans sur pour par avec sans chez
    ce cet cette ces c se s sa son ses leur leurs
    mon ma mes ton ta tes notre nos votre vos
    il elle ils elles on nous vous je j tu me m te t lui eux moi toi soi
    qui que qu quoi dont ne n pas plus y ni
    jusqu lorsqu puisqu quoiqu
    """.split()  # noqa: SIM905 - a word list reads better as words
)

_APOSTROPHE_TABLE = str.maketrans(dict.fromkeys(APOSTROPHES[1:], "'"))
# Letters NFKD does not decompose but a French reader types as plain ASCII.
_LIGATURES = str.maketrans(
    {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "ı": "i"}
)


def fold(text: str) -> str:
    """Lowercase, strip accents, expand ligatures, normalise apostrophes to '.

    Works on any text (not only words) and keeps everything else as is.
    """
    # Before NFKD: it would turn the acute accent "´" into a combining mark.
    text = text.translate(_APOSTROPHE_TABLE)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    # Compatibility characters may decompose to capitals ("ℌ" -> "H").
    return text.casefold().translate(_LIGATURES)


@lru_cache(maxsize=100_000)
def exact_form(word: str) -> str:
    """The folded, unstemmed form of a word: what the exact field holds.

    Only letters and digits survive, so apostrophes disappear
    ("aujourd’hui" -> "aujourdhui") and so do the odd symbols some
    compatibility characters decompose into ("½" -> "12").
    """
    return "".join(c for c in fold(word) if c.isalnum())


def is_stop_word(word: str) -> bool:
    return exact_form(word) in STOP_WORDS
