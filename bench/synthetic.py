"""A synthetic archive for benchmarks: N articles of a French culture magazine
spread over 1995-2026, with sections, authors, genre tags and credited photos.

Deterministic: the same ``n`` and ``seed`` give the same rows, so timings and
query counts can be compared between runs and machines.

Rows are written with ``bulk_create``, which skips ``Article.save()``: the
fields it would compute (``publication_date``, a ``slug`` unique per day, a
sanitised ``body``) are filled in here, and the body is built as clean ``<p>``
HTML in the first place.

Usage, on an empty, migrated database (never the one you work with)::

    DATA_DIR=/tmp/archive .venv/bin/python manage.py migrate
    DATA_DIR=/tmp/archive .venv/bin/python bench/synthetic.py --articles 20000
"""

import argparse
import datetime
import io
import itertools
import json
import math
import os
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image
from tqdm import tqdm

if __name__ == "__main__":
    # Run as a script: Django must be set up before the models can be imported.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()

from articles.models import Article, Author, GenreTag, Section, TaggedArticle, ascii_slug  # noqa: E402
from photos.models import Photo, credit_slug  # noqa: E402

DEFAULT_ARTICLES = 20_000
# A fixed end date keeps the archive reproducible; it is in the past, so every
# article is already published.
START = datetime.datetime(1995, 1, 1, 6, 0, tzinfo=datetime.UTC)
END = datetime.datetime(2026, 6, 30, 18, 0, tzinfo=datetime.UTC)
CHUNK = 1000
AUTHOR_COUNT = 60
TAG_COUNT = 300
PHOTO_COUNT = 200
LEAD_PHOTO_SHARE = 0.6
IMAGE_NAME = "bench/synthetic.jpg"

# (name, slug, weight): reviews and news make most of a culture magazine.
SECTIONS = [
    ("News", "news", 5),
    ("Critique", "critique", 8),
    ("Interview", "interview", 2),
    ("Dossier", "dossier", 1),
    ("Portrait", "portrait", 1),
    ("Chronique", "chronique", 2),
    ("Reportage", "reportage", 1),
    ("Agenda", "agenda", 1),
]
FIRST_NAMES = (
    "Camille", "Claire", "Louis", "Jeanne", "Hugo", "Léa", "Julien", "Manon", "Antoine", "Chloé",
    "Mathieu", "Inès", "Nicolas", "Sarah", "Thomas", "Élise", "Pierre", "Agathe", "Rémi", "Lucie",
    "Benoît", "Margaux", "Olivier", "Zoé", "Yann", "Hélène",
)  # fmt: skip
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Chevalier",
)  # fmt: skip
# Genres with their grammatical gender, so that "Comédie italienne" agrees.
GENRES = [
    ("Polar", "m"), ("Comédie", "f"), ("Drame", "m"), ("Documentaire", "m"),
    ("Thriller", "m"), ("Western", "m"), ("Science-fiction", "f"), ("Animation", "f"),
    ("Roman", "m"), ("Bande dessinée", "f"), ("Poésie", "f"), ("Essai", "m"),
    ("Rock", "m"), ("Jazz", "m"), ("Chanson", "f"), ("Opéra", "m"), ("Théâtre", "m"),
    ("Danse", "f"), ("Photographie", "f"), ("Série", "f"), ("Horreur", "f"),
    ("Mélodrame", "m"), ("Musique", "f"), ("Cinéma", "m"), ("Fantasy", "f"),
]  # fmt: skip
ADJECTIVES = [
    ("français", "française"), ("américain", "américaine"), ("japonais", "japonaise"),
    ("coréen", "coréenne"), ("italien", "italienne"), ("britannique", "britannique"),
    ("nordique", "nordique"), ("africain", "africaine"), ("indépendant", "indépendante"),
    ("expérimental", "expérimentale"), ("historique", "historique"),
    ("fantastique", "fantastique"), ("politique", "politique"), ("noir", "noire"),
    ("contemporain", "contemporaine"), ("classique", "classique"), ("allemand", "allemande"),
    ("psychédélique", "psychédélique"), ("latino-américain", "latino-américaine"),
    ("québécois", "québécoise"),
]  # fmt: skip
WORK_HEADS = (
    "La Nuit", "Le Silence", "Les Ombres", "L'Été", "La Mer", "Le Dernier Voyage", "Les Enfants",
    "La Maison", "Le Cri", "Les Lumières", "La Fugue", "Le Jardin", "Les Oiseaux", "La Chambre",
    "Le Passage", "L'Hiver", "La Frontière", "Le Mensonge", "Les Heures", "La Promesse",
)  # fmt: skip
WORK_TAILS = (
    "du port", "de Marseille", "sans fin", "d'automne", "des anges", "au bout du monde",
    "de la ville", "sans retour", "au bord du lac", "des autres", "du Nord", "d'Istanbul",
    "de minuit", "en mer", "à Lisbonne",
)  # fmt: skip
VERDICTS = (
    "un polar qui tient ses promesses", "la belle surprise de la rentrée",
    "un premier film maîtrisé", "une déception", "le chef-d'œuvre de l'année ?",
    "un retour en grâce", "trop sage pour convaincre", "une réussite fragile",
    "l'audace récompensée", "un exercice de style", "on a aimé, un peu", "une fresque ambitieuse",
)  # fmt: skip
QUOTES = (
    "Je filme ce que je ne comprends pas", "Tout part d'une image", "Le doute est mon moteur",
    "J'écris pour ne pas oublier", "La scène reste mon refuge", "Il faut savoir se taire",
    "Chaque disque est un adieu", "On ne sort jamais indemne d'un tournage",
)  # fmt: skip
EVENTS = (
    "Festival de Cannes", "Festival d'Angoulême", "Les Victoires de la musique",
    "Festival d'Avignon", "La Mostra de Venise", "Le Salon du livre", "Les Césars",
    "La Fête de la musique", "Les Eurockéennes",
)  # fmt: skip
NEWS = (
    "le palmarès", "la sélection officielle", "ce qu'il faut retenir", "les premières annonces",
    "une édition sous tension", "le bilan", "les coups de cœur de la rédaction",
)  # fmt: skip
AGENCIES = (
    "AFP", "Gamma", "Sipa", "Magnum", "Studio Harcourt", "Pathé", "Gaumont", "Wild Bunch", "Arte",
    "Le Pacte",
)  # fmt: skip
WORDS = (
    "le", "la", "les", "un", "une", "des", "du", "de", "et", "à", "dans", "sur", "avec", "pour",
    "sans", "mais", "ou", "donc", "car", "qui", "que", "dont", "film", "série", "roman", "récit",
    "scène", "plan", "image", "lumière", "musique", "voix", "silence", "personnage", "histoire",
    "réalisateur", "réalisatrice", "actrice", "acteur", "écrivain", "autrice", "chanteur",
    "groupe", "album", "disque", "chapitre", "regard", "mémoire", "temps", "ville", "nuit", "mer",
    "été", "hiver", "famille", "enfance", "amour", "guerre", "exil", "tendresse", "colère",
    "humour", "mélancolie", "violence", "beauté", "vérité", "mensonge", "désir", "peur", "espoir",
    "beau", "belle", "lent", "lente", "sombre", "lumineux", "lumineuse", "fragile", "juste",
    "drôle", "cruel", "cruelle", "étrange", "intime", "ample", "sobre", "précis", "précise", "vif",
    "vive", "tendre", "brutal", "profond", "profonde", "nouveau", "nouvelle", "dernier",
    "dernière", "premier", "première", "grand", "grande", "petit", "petite", "filme", "raconte",
    "montre", "écrit", "chante", "joue", "suit", "cherche", "trouve", "perd", "garde", "ouvre",
    "ferme", "traverse", "interroge", "refuse", "construit", "dévoile", "emporte", "touche",
    "bouscule", "rappelle", "toujours", "jamais", "encore", "souvent", "enfin", "peut-être",
    "presque", "trop", "très", "si", "aussi", "déjà", "ici", "ailleurs", "ensemble", "longtemps",
    "parfois", "vraiment",
)  # fmt: skip


@dataclass
class Pools:
    """Rows every article draws from, as ids, with the weights used to pick them
    (``section_ids`` in the order of ``SECTIONS``)."""

    section_ids: list[int]
    section_weights: list[int]
    author_ids: list[int]
    tag_ids: list[int]
    tag_cum_weights: list[float]
    photo_ids: list[int]


def archive_is_empty() -> bool:
    """Sections exist after ``migrate``; anything else means a real archive is here."""
    models = (Article, Author, GenreTag, Photo)
    return not any(model.objects.exists() for model in models)


def build_archive(
    n: int,
    seed: int = 7,
    progress: bool = True,
    prose: "Prose | None" = None,
    planted: Sequence["Planted"] = (),
) -> None:
    """Fill an empty database with ``n`` synthetic articles and what they refer to.

    ``prose``: write standfirsts and bodies with it (see :func:`demo_prose`)
    instead of the short default text. ``planted``: articles with a known text,
    part of the ``n``, spread evenly through the archive (ids in between the
    generated ones), e.g. the targets of judged search queries.
    """
    if not archive_is_empty():
        raise ValueError(
            "build_archive needs a database without articles, authors, tags or photos."
        )
    if len(planted) > n:
        raise ValueError("More planted articles than articles.")
    rng = random.Random(seed)
    # Planted article i goes after about (i + 1) / (len + 1) of the archive.
    slots = {(i + 1) * n // (len(planted) + 1): plant for i, plant in enumerate(planted)}
    with transaction.atomic():
        pools = _make_pools(rng)
        taken_slugs: dict[datetime.date, set[str]] = defaultdict(set)
        with tqdm(total=n, unit="article", disable=not progress, desc="archive") as bar:
            for start in range(0, n, CHUNK):
                size = min(CHUNK, n - start)
                plants = [slots.get(position) for position in range(start, start + size)]
                _create_articles(rng, pools, taken_slugs, size, prose, plants)
                bar.update(size)


def _make_pools(rng: random.Random) -> Pools:
    sections = _make_sections()
    tag_ids = _make_tags(rng)
    # Zipf-like popularity: a few genres are on thousands of articles, most on few.
    tag_weights = [1 / rank for rank in range(1, len(tag_ids) + 1)]
    return Pools(
        section_ids=[section.pk for section, _weight in sections],
        section_weights=[weight for _section, weight in sections],
        author_ids=_make_authors(rng),
        tag_ids=tag_ids,
        tag_cum_weights=list(itertools.accumulate(tag_weights)),
        photo_ids=_make_photos(rng),
    )


def _make_sections() -> list[tuple[Section, int]]:
    """The first four come from a data migration: reuse them by slug."""
    sections = []
    for position, (name, slug, weight) in enumerate(SECTIONS):
        section, _created = Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
        sections.append((section, weight))
    return sections


def _make_authors(rng: random.Random) -> list[int]:
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    authors = [
        Author(name=name, slug=ascii_slug(name, 120)) for name in rng.sample(names, AUTHOR_COUNT)
    ]
    return [author.pk for author in Author.objects.bulk_create(authors)]


def _make_tags(rng: random.Random) -> list[int]:
    names = [
        f"{genre} {masculine if gender == 'm' else feminine}"
        for genre, gender in GENRES
        for masculine, feminine in ADJECTIVES
    ]
    tags = [GenreTag(name=name, slug=ascii_slug(name, 95)) for name in rng.sample(names, TAG_COUNT)]
    return [tag.pk for tag in GenreTag.objects.bulk_create(tags)]


def _make_photos(rng: random.Random) -> list[int]:
    name, width, height, size = _sample_image()
    photos = [_photo(rng, name, width, height, size) for _ in range(PHOTO_COUNT)]
    return [photo.pk for photo in Photo.objects.bulk_create(photos)]


def _sample_image() -> tuple[str, int, int, int]:
    """One small real JPEG shared by every synthetic photo: the pages link to
    it and read its size, but nothing needs 200 different files."""
    if not default_storage.exists(IMAGE_NAME):
        buffer = io.BytesIO()
        Image.new("RGB", (160, 100), (120, 90, 60)).save(buffer, "JPEG", quality=80)
        default_storage.save(IMAGE_NAME, ContentFile(buffer.getvalue()))
    with default_storage.open(IMAGE_NAME) as file, Image.open(file) as image:
        width, height = image.size
    return IMAGE_NAME, width, height, default_storage.size(IMAGE_NAME)


def _photo(rng: random.Random, name: str, width: int, height: int, size: int) -> Photo:
    # bulk_create skips Photo.save(): the credit slugs are computed here.
    photographer = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    agency = rng.choice(AGENCIES)
    work = _work_title(rng)
    return Photo(
        image=name,
        title=work,
        alt_text=f"Une scène de « {work} »",
        caption=f"« {work} »",
        credit=f"© {agency} / Photo : {photographer}",
        photographer=photographer,
        photographer_slug=credit_slug(photographer),
        agency=agency,
        agency_slug=credit_slug(agency),
        source=Photo.Source.AGENCY,
        licence_kind=Photo.LicenceKind.AGENCY,
        width=width,
        height=height,
        file_size=size,
    )


def _create_articles(
    rng: random.Random,
    pools: Pools,
    taken_slugs: dict,
    size: int,
    prose: "Prose | None" = None,
    plants: Sequence["Planted | None"] = (),
) -> None:
    plants = list(plants) or [None] * size
    drafts = [_article(rng, pools, taken_slugs, prose, plant) for plant in plants]
    articles = Article.objects.bulk_create([article for article, _tags, _authors in drafts])
    tagged, authored = [], []
    author_link = Article.authors.through
    for article, (_draft, tag_ids, author_ids) in zip(articles, drafts, strict=True):
        tagged += [
            TaggedArticle(content_object_id=article.pk, tag_id=pk, published_at=article.listed_at)
            for pk in tag_ids
        ]
        authored += [author_link(article_id=article.pk, author_id=pk) for pk in author_ids]
    TaggedArticle.objects.bulk_create(tagged)
    author_link.objects.bulk_create(authored)


def _article(
    rng: random.Random,
    pools: Pools,
    taken_slugs: dict,
    prose: "Prose | None" = None,
    plant: "Planted | None" = None,
) -> tuple[Article, list, list]:
    """An unsaved article, with the tag ids and author ids to link it to."""
    index = rng.choices(range(len(SECTIONS)), weights=pools.section_weights)[0]
    title = _title(rng, SECTIONS[index][1])
    published_at = _published_at(rng)
    day = timezone.localtime(published_at, timezone.get_default_timezone()).date()
    if prose is None:
        standfirst, body = _sentence(rng, 20, 30), _body(rng)
    else:
        standfirst, body = prose.sentence(rng, 20, 30), prose.body(rng)
    if plant is not None:
        title = plant.title or title
        standfirst = plant.standfirst or standfirst
        body = plant.body(rng, body)
    article = Article(
        title=title,
        slug=_unique_slug(ascii_slug(title) or "article", taken_slugs[day]),
        standfirst=standfirst,
        body=body,
        section_id=pools.section_ids[index],
        status=Article.Status.PUBLISHED,
        published_at=published_at,
        publication_date=day,
        lead_photo_id=rng.choice(pools.photo_ids) if rng.random() < LEAD_PHOTO_SHARE else None,
    )
    authors = rng.sample(pools.author_ids, rng.randint(1, 2))
    return article, _pick_tags(rng, pools), authors


def _published_at(rng: random.Random) -> datetime.datetime:
    """The magazine publishes more every year: density grows linearly with time,
    so recent years hold about twice the average (over 1,000 articles at 20,000)."""
    moment = START + (END - START) * math.sqrt(rng.random())
    return moment.replace(second=0, microsecond=0)


def _unique_slug(base: str, taken: set[str]) -> str:
    """Same rule as ``Article._unique_slug``, against the slugs of that day."""
    candidates = itertools.chain([base], (f"{base[:190]}-{n}" for n in itertools.count(2)))
    slug = next(candidate for candidate in candidates if candidate not in taken)
    taken.add(slug)
    return slug


def _pick_tags(rng: random.Random, pools: Pools) -> list[int]:
    """1 to 4 distinct genres, popular ones more often."""
    wanted = rng.randint(1, 4)
    chosen: dict[int, None] = {}
    while len(chosen) < wanted:
        chosen.setdefault(rng.choices(pools.tag_ids, cum_weights=pools.tag_cum_weights)[0])
    return list(chosen)


def _title(rng: random.Random, section: str) -> str:
    if section == "critique":
        return f"« {_work_title(rng)} » : {rng.choice(VERDICTS)}"
    if section == "interview":
        person = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        return f"{person} : « {rng.choice(QUOTES)} »"
    if section in ("news", "agenda"):
        return f"{rng.choice(EVENTS)} : {rng.choice(NEWS)}"
    return f"{_work_title(rng)}, {rng.choice(VERDICTS)}"


def _work_title(rng: random.Random) -> str:
    return f"{rng.choice(WORK_HEADS)} {rng.choice(WORK_TAILS)}"


def _body(rng: random.Random) -> str:
    """About 300 words in 5 paragraphs of plain words: nothing for the sanitiser to change."""
    paragraphs = (
        " ".join(_sentence(rng, 10, 20) for _ in range(rng.randint(3, 5))) for _ in range(5)
    )
    return "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def _sentence(rng: random.Random, shortest: int, longest: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(shortest, longest))
    return " ".join(words).capitalize() + "."


# --- Longer, more realistic text: the demo archive's French ----------------------

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


@dataclass(frozen=True)
class Planted:
    """An article whose text is partly known: ``title``, ``standfirst`` (None:
    generated), and ``words`` put into its generated body (each once, in turn
    in each paragraph)."""

    title: str | None = None
    standfirst: str | None = None
    words: tuple[str, ...] = ()

    def body(self, rng: random.Random, generated: str) -> str:
        if not self.words:
            return generated
        paragraphs = generated.split("</p>\n<p>")
        for i, word in enumerate(self.words):
            at = i % len(paragraphs)
            head, _sep, rest = paragraphs[at].partition(". ")
            paragraphs[at] = f"{head} {word}. {rest}" if rest else f"{head} {word}"
        return "</p>\n<p>".join(paragraphs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--body-words",
        type=int,
        default=0,
        help="write bodies of about this many words in the demo archive's French "
        "(bench/search.py uses 600); 0: the short default text",
    )
    args = parser.parse_args()
    prose = demo_prose(args.body_words) if args.body_words else None
    build_archive(args.articles, seed=args.seed, prose=prose)


if __name__ == "__main__":
    main()
