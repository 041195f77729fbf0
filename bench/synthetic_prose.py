"""Longer, more realistic text for the synthetic archive: a French generator
(``Prose``) built from the demo archive's words and phrases (``demo_prose``),
with French elisions (``elide``). No Django here."""

import itertools
import json
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.synthetic_words import ADJECTIVES, FIRST_NAMES, GENRES, LAST_NAMES, WORDS

DEMO_ARTICLES = Path(__file__).resolve().parent.parent / "demo" / "articles.jsonl"
# Words of the demo text, elided words and all ("l’homme", "qu'il", "Jean-Baptiste").
_DEMO_WORD = re.compile(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*")
# Elided forms, written out in full: the generator elides again where French does.
_ELIDED_FULL = {"l": "le", "d": "de", "qu": "que", "n": "ne", "s": "se", "c": "ce", "j": "je",
                "m": "me", "t": "te", "jusqu": "jusque", "lorsqu": "lorsque",
                "puisqu": "puisque"}  # fmt: skip
_ELIDE = re.compile(
    r"\b(le|la|de|que|ne|se|je|me|te|jusque|lorsque|puisque|ce(?= (?:est|était)\b))"
    r" (?=[aeiouyhàâäéèêëîïôöùûüœæAEIOUYHÀÂÉÈÊÎÔÛŒ])"
)
# Sentences mix runs of the demo's own words (real phrases, the way they are
# written) with words drawn from the vocabulary, most often the frequent ones.
FRAGMENT_SHARE = 0.35
ZIPF_EXPONENT = 1.0
ZIPF_OFFSET = 2.7  # Zipf-Mandelbrot: the first ranks a little less dominant
INFLECTED_SHARE = 0.3  # a plural is drawn this much less often than its singular


@dataclass
class Prose:
    """A French text generator: vocabulary with Zipfian weights (``words``,
    most frequent first), runs of consecutive words (``fragments``), and the
    length of a body."""

    words: list[str]
    cum_weights: list[float]
    fragments: list[tuple[str, ...]]
    body_words: int = 600
    paragraphs: tuple[int, int] = (5, 8)
    _total: float = field(init=False, repr=False, default=0.0)

    def __post_init__(self):
        self._total = self.cum_weights[-1]

    def draw(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum_weights, k=k)

    def sentence(self, rng: random.Random, shortest: int = 8, longest: int = 24) -> str:
        wanted = rng.randint(shortest, longest)
        words: list[str] = []
        while len(words) < wanted:
            if rng.random() < FRAGMENT_SHARE:
                words += rng.choice(self.fragments)
            else:
                words += self.draw(rng, rng.randint(2, 6))
            if len(words) < wanted and rng.random() < 0.2:
                words[-1] += ","
        text = elide(" ".join(words[: max(wanted, 2)]).rstrip(","))
        return text[:1].upper() + text[1:] + rng.choice("....!?")

    def body(self, rng: random.Random) -> str:
        """About ``body_words`` words in ``<p>`` paragraphs."""
        count = rng.randint(*self.paragraphs)
        per_paragraph = self.body_words / count
        paragraphs = []
        for _ in range(count):
            sentences, length = [], 0
            while length < per_paragraph - 8:  # the last sentence ends past it
                sentences.append(self.sentence(rng))
                length += sentences[-1].count(" ") + 1
            paragraphs.append(" ".join(sentences))
        return "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def elide(text: str) -> str:
    """French elisions ("le acteur" -> "l’acteur", "que il" -> "qu'il"), with the
    curly or the straight apostrophe: both occur in the demo archive."""

    def short(match: re.Match) -> str:
        word = match.group(1)
        head = word[:-1] if word not in ("la",) else "l"
        return head + ("’" if match.start() % 3 else "'")

    return _ELIDE.sub(short, text)


def demo_prose(body_words: int = 600, path: Path = DEMO_ARTICLES) -> Prose:
    """A :class:`Prose` built from the demo archive's titles, standfirsts and
    bodies: its words ranked by frequency, each with its plural, then the
    generator's own names and genres, weighted 1 / (rank + 2.7) (Zipf-Mandelbrot)."""
    counts: Counter = Counter()
    spellings: dict[str, Counter] = defaultdict(Counter)
    fragments: list[tuple[str, ...]] = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            for key in ("title", "standfirst", "body"):
                for sentence in re.split(r"[.!?;:«»()\n…]+", article[key]):
                    words = _demo_words(sentence)
                    for word in words:
                        counts[word.lower()] += 1
                        spellings[word.lower()][word] += 1
                    fragments += _fragments(words)
    # A word keeps its lowercase spelling unless the demo only ever capitalises it.
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    spelled = {w: w if w in spellings[w] else spellings[w].most_common(1)[0][0] for w in ranked}
    weights: dict[str, float] = {}
    for rank, word in enumerate(ranked, 1):
        weight = 1 / (rank + ZIPF_OFFSET) ** ZIPF_EXPONENT
        weights.setdefault(spelled[word], weight)
        plural = _plural(word, rank)
        if plural and plural not in counts and spelled[word] == word:
            weights.setdefault(plural, weight * INFLECTED_SHARE)
    tail = min(weights.values())
    extra = [w.lower() for w in WORDS] + [a for pair in ADJECTIVES for a in pair]
    extra += [genre.lower() for genre, _gender in GENRES] + list(FIRST_NAMES + LAST_NAMES)
    for word in sorted(set(extra) - set(weights)):
        weights[word] = tail
    words = sorted(weights, key=lambda w: (-weights[w], w))
    cum_weights = list(itertools.accumulate(weights[w] for w in words))
    return Prose(words, cum_weights, fragments, body_words=body_words)


def _demo_words(sentence: str) -> list[str]:
    words = []
    for match in _DEMO_WORD.finditer(sentence.replace("'", "’")):
        word = match.group()
        head, apostrophe, rest = word.partition("’")
        if apostrophe and head.lower() in _ELIDED_FULL and rest:
            words.append(_ELIDED_FULL[head.lower()])
            word = rest
        words.append(word)
    if words and words[0][:1].isupper() and words[0].lower() in STARTERS:
        words[0] = words[0].lower()
    return words


# Capitalised only because they start a sentence.
STARTERS = frozenset(
    """
    le la les un une des de du à au aux il elle ils elles on nous vous je ce cette ces
    mais et ou donc car pour dans sur avec sans chez en y a quand si tout tous toute
    son sa ses leur leurs qui que quelques chaque plus moins après avant
    """.split()  # noqa: SIM905 - a word list reads better as words
)


def _fragments(words: list[str]) -> list[tuple[str, ...]]:
    """Runs of 3 to 7 consecutive words of one sentence."""
    runs, i = [], 0
    while i + 3 <= len(words):
        size = min(3 + (i * 7 + len(words)) % 5, len(words) - i)
        runs.append(tuple(words[i : i + size]))
        i += size
    return runs


# Endings of conjugated verbs, infinitives and adverbs, which take no plural.
_NO_PLURAL = ("ent", "ait", "ais", "ont", "er", "ir", "ez", "ment", "ra", "ai", "oir", "ut")


def _plural(word: str, rank: int) -> str | None:
    """The regular plural of a noun or adjective, or None for words that have none
    (as far as a guess from the spelling goes; the most frequent words are function
    words)."""
    if rank <= 150 or len(word) < 4 or not word.isalpha() or word.lower() != word:
        return None
    if word[-1] in "sxz" or word.endswith(_NO_PLURAL):
        return None
    if word.endswith("al"):
        return word[:-2] + "aux"
    if word.endswith(("eau", "au", "eu")):
        return word + "x"
    return word + "s"
