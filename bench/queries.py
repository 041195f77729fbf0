"""The 495 queries of bench/search.py, built deterministically from the synthetic
archive's vocabulary (bench/synthetic.py's :class:`Prose`), genre names and
authors: the same seed gives the same queries.

Kinds, and how many:

* ``1 word`` (75): frequent, middling and rare words; a quarter typed without
  accents;
* ``2 words`` (50), ``3 words`` (35): middling words, all required;
* ``phrase`` (35): a quoted run of 2-3 consecutive words of the demo archive;
* ``filter`` (60): words with ``tag:``, ``auteur:``, ``annee:`` (a year or a
  range), and a few filters alone (newest first);
* ``OU`` (20): ``a OU b``, ``a b OU c``;
* ``exclusion`` (25): ``a -b``, ``a b -c``, ``a -"b c"``;
* ``few results`` (150): what finds fewer than 3 articles, where "Vouliez-vous
  dire" is computed: a word with a typing slip (a letter left out, swapped,
  doubled or replaced), alone or after a rare word, a name the archive does
  not hold;
* ``absent phrase`` (45): a quoted phrase the archive does not hold, of words
  it holds: two middling words, a frequent word then a middling one, words of
  a real run in the wrong order, an elided article before a word it never
  precedes (the costly case: every word is found, the phrase nowhere).

With the last two kinds, more than a third of the queries find fewer than 3
results, as on a real archive.
"""

import random

from bench.synthetic import Prose, elide
from search.analysis import fold, is_stop_word

COUNTS = {
    "1 word": 75,
    "2 words": 50,
    "3 words": 35,
    "phrase": 35,
    "filter": 60,
    "OU": 20,
    "exclusion": 25,
    "few results": 150,
    "absent phrase": 45,
}
UNKNOWN_NAMES = (
    "Ysolde", "Kerhervé", "Vaillancourt", "Okonkwo", "Brzezinski", "Thibodeaux", "Ljungberg",
    "Quarteroni", "Abernathy", "Delacroix-Ngata", "Zubiaurre", "Hoogstraten", "Pétrovna",
)  # fmt: skip


def content_words(prose: Prose) -> list[str]:
    """The vocabulary's searchable words, most frequent first."""
    return [
        word
        for word in prose.words
        if len(word) >= 4 and word.replace("-", "").isalpha() and not is_stop_word(word)
    ]


def build_queries(
    prose: Prose, tags: list[str], authors: list[str], seed: int = 7
) -> list[tuple[str, str]]:
    """(kind, query) pairs, ``sum(COUNTS.values())`` of them."""
    rng = random.Random(seed)
    words = content_words(prose)
    frequent, middling, rare = words[:300], words[300:2000], words[2000:]
    common = words[30:1500]

    def pick(pool: list[str], k: int) -> list[str]:
        return rng.sample(pool, k)

    queries: list[tuple[str, str]] = []
    for i in range(COUNTS["1 word"]):
        pool = frequent if i % 3 == 0 else middling if i % 5 else rare
        word = rng.choice(pool)
        queries.append(("1 word", fold(word) if i % 4 == 3 else word))
    queries += [("2 words", " ".join(pick(common, 2))) for _ in range(COUNTS["2 words"])]
    queries += [("3 words", " ".join(pick(common, 3))) for _ in range(COUNTS["3 words"])]
    phrases = [
        fragment
        for fragment in prose.fragments
        if not all(is_stop_word(w) for w in fragment[:3]) and all(w.isalpha() for w in fragment[:3])
    ]
    for _ in range(COUNTS["phrase"]):
        fragment = rng.choice(phrases)
        queries.append(("phrase", '"' + elide(" ".join(fragment[: rng.randint(2, 3)])) + '"'))
    for i in range(COUNTS["filter"]):
        word = rng.choice(common)
        form = i % 6
        if form == 0:
            query = f'{word} tag:"{rng.choice(tags)}"'
        elif form == 1:
            query = f'{word} auteur:"{rng.choice(authors)}"'
        elif form == 2:
            query = f"{word} annee:{rng.randint(1996, 2025)}"
        elif form == 3:
            start = rng.randint(1996, 2020)
            query = f"{word} {rng.choice(common)} annee:{start}..{start + rng.randint(1, 5)}"
        elif form == 4:
            query = f'{word} tag:"{rng.choice(tags[:20])}" annee:{rng.randint(2005, 2025)}..'
        else:
            query = rng.choice(
                [f'tag:"{rng.choice(tags)}"', f'auteur:"{rng.choice(authors)}" annee:2015..2020']
            )
        queries.append(("filter", query))
    for i in range(COUNTS["OU"]):
        a, b, c = pick(common, 3)
        queries.append(("OU", f"{a} OU {b}" if i % 2 else f"{a} {b} OU {c}"))
    for i in range(COUNTS["exclusion"]):
        a, b, c = pick(common, 3)
        if i % 3 == 0:
            query = f"{a} -{b}"
        elif i % 3 == 1:
            query = f"{a} {b} -{c}"
        else:
            fragment = rng.choice(phrases)
            query = f'{a} -"{elide(" ".join(fragment[:2]))}"'
        queries.append(("exclusion", query))
    queries += few_results(rng, words)
    queries += absent_phrases(rng, words, phrases)
    assert len(queries) == sum(COUNTS.values())
    return queries


def slip(rng: random.Random, word: str) -> str:
    """The word as a hurried reader types it: a letter left out, two swapped,
    one doubled or replaced."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiourstnl") + word[i + 1 :]


def few_results(rng: random.Random, words: list[str]) -> list[tuple[str, str]]:
    middling, rare = words[300:2000], words[2000:] or words[-200:]
    out = []
    for i in range(COUNTS["few results"]):
        if i % 3 == 0:
            query = slip(rng, rng.choice([w for w in middling if len(w) >= 5]))
        elif i % 3 == 1:
            query = f"{rng.choice(rare)} {slip(rng, rng.choice([w for w in rare if len(w) >= 5]))}"
        else:
            query = f"{fold(rng.choice(UNKNOWN_NAMES))} {fold(rng.choice(middling))}"
        out.append(("few results", query))
    return out


def absent_phrases(
    rng: random.Random, words: list[str], phrases: list[tuple[str, ...]]
) -> list[tuple[str, str]]:
    frequent, middling = words[:300], words[300:2000]
    out = []
    for i in range(COUNTS["absent phrase"]):
        form = i % 4
        if form == 0:
            text = " ".join(rng.sample(middling, 2))
        elif form == 1:
            text = f"{rng.choice(frequent)} {rng.choice(middling)}"
        elif form == 2:
            fragment = rng.choice([p for p in phrases if len(set(p[:3])) == 3])
            text = " ".join(reversed(fragment[:3]))
        else:
            word = rng.choice([w for w in middling if w[0] in "aeiouéè"])
            text = f"l'{word} {rng.choice(frequent)}"
        out.append(("absent phrase", f'"{elide(text)}"'))
    return out
