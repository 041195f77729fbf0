"""French stems: PyStemmer's Snowball, with the project's corrections.

Snowball reads text as written, accents and all. Readers do not type it so,
and Snowball's French cuts short words too far; so (see :func:`stems`):

* a word typed without accents gets its usual accented ending back before
  stemming (``declaree`` is stemmed as "declarée", ``premieres`` as
  "premières"), so that it meets its siblings written with accents
  ("déclaré", "premier");
* a word gets two stems when accents change the stem: the stem of the
  accented word, folded, and the stem of the word without accents;
* a stem shorter than :data:`MIN_STEM` letters is not trusted: Snowball cuts
  short words down to stems shared by unrelated words ("marais", "mars",
  "marie" -> "mar"; "série", "sera" -> "ser"), and readers never confuse
  them. Such a word is matched on its singular (:func:`singular`) instead, so
  "séries" still finds "série".

Part of :mod:`search.analysis`, which re-exports :func:`stems`; changing what
these functions return changes the index: raise
``search.analysis.ANALYSIS_VERSION``.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import lru_cache

import Stemmer

from search.folding import _LIGATURES, STOP_WORDS, exact_form

__all__ = ["MIN_STEM", "number_forms", "singular", "stems"]

_local = threading.local()


def _stem_word(word: str) -> str:
    # PyStemmer objects are not safe to share between threads.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("french")
    return stemmer.stemWord(word)


#: Stems shorter than this are not trusted (see the module docstring).
MIN_STEM = 4

# Endings a reader types without their accent, put back before stemming
# ("declaree" is read as "declarée", "premieres" as "premières").
_UNACCENTED_ENDINGS = (("eres", "ères"), ("ere", "ère"), ("ees", "ées"), ("ee", "ée"))


def _with_accented_ending(folded: str) -> str:
    for typed, accented in _UNACCENTED_ENDINGS:
        if folded.endswith(typed) and len(folded) > len(typed) + 1:
            return folded[: -len(typed)] + accented
    return folded


def singular(folded: str) -> str:
    """A folded word without its plural mark (a final s or x)."""
    return folded[:-1] if len(folded) > 2 and folded[-1] in "sx" else folded


def number_forms(folded: str) -> tuple[str, ...]:
    """A folded word in the singular and the plural (s), the word first."""
    other = singular(folded) if singular(folded) != folded else folded + "s"
    return (folded, other)


@lru_cache(maxsize=100_000)
def stems(word: str) -> tuple[str, ...]:
    """The stem(s) of one word, folded: one, or two when accents matter.

    The first is the stem of the accented word (typed without accents, its
    usual accented ending put back: "declaree" is stemmed as "declarée"), the
    second (if different) the stem of the word without accents, with that
    ending put back too. A stem shorter than :data:`MIN_STEM` is replaced by
    the word's singular. Empty for stop words.
    """
    folded = exact_form(word)
    if not folded or folded in STOP_WORDS:
        return ()
    guessed = _with_accented_ending(folded)
    accented = unicodedata.normalize("NFC", word.casefold().translate(_LIGATURES))
    accented = "".join(c for c in accented if c.isalnum())
    if accented == folded:
        accented = guessed
    first = exact_form(_stem_word(accented))
    second = exact_form(_stem_word(guessed))
    if first == second and folded.endswith("ers"):
        # Snowball keeps the "er" of a plural noun ("bergers" -> "berger") but
        # reads the singular as a verb ending ("berger" -> "berg"): the plural
        # also gets the singular's stem, so each finds the other.
        second = _stem_word(folded[:-1])
    found = [stem if len(stem) >= MIN_STEM else singular(folded) for stem in (first, second)]
    return tuple(dict.fromkeys(found))
