"""The 300 queries of bench/search.py, built deterministically from the synthetic
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
* ``exclusion`` (25): ``a -b``, ``a b -c``, ``a -"b c"``.
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
}


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
    assert len(queries) == sum(COUNTS.values())
    return queries
