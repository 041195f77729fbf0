"""A synthetic archive for benchmarks: N articles of a French culture magazine
spread over 1995-2026, with sections, authors, genre tags and credited photos.

Deterministic: the same ``n`` and ``seed`` give the same rows, so timings and
query counts can be compared between runs and machines.

Rows are written with ``bulk_create``, which skips ``Article.save()``: the
fields it would compute (``publication_date``, a ``slug`` unique per day, a
sanitised ``body``) are filled in here, and the body is built as clean ``<p>``
HTML in the first place.

The words it draws from are in ``bench/synthetic_words.py``; the longer French
text (``demo_prose``) in ``bench/synthetic_prose.py``.

Usage, on an empty, migrated database (never the one you work with)::

    DATA_DIR=/tmp/archive .venv/bin/python manage.py migrate
    DATA_DIR=/tmp/archive .venv/bin/python bench/synthetic.py --articles 20000
"""

import argparse
import datetime
import io
import itertools
import math
import os
import random
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
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
from bench.synthetic_prose import DEMO_ARTICLES, Prose, demo_prose, elide  # noqa: E402
from bench.synthetic_words import (  # noqa: E402
    ADJECTIVES,
    AGENCIES,
    EVENTS,
    FIRST_NAMES,
    GENRES,
    LAST_NAMES,
    NEWS,
    QUOTES,
    SECTIONS,
    VERDICTS,
    WORDS,
    WORK_HEADS,
    WORK_TAILS,
    _body,
    _sentence,
    _title,
    _work_title,
)
from photos.models import Photo, credit_slug  # noqa: E402

# What other benchmarks use, wherever it is written.
__all__ = [
    "ADJECTIVES", "AGENCIES", "DEFAULT_ARTICLES", "DEMO_ARTICLES", "EVENTS", "FIRST_NAMES",
    "GENRES", "LAST_NAMES", "NEWS", "QUOTES", "SECTIONS", "VERDICTS", "WORDS", "WORK_HEADS",
    "WORK_TAILS", "Planted", "Prose", "_body", "_published_at", "_sentence", "_title",
    "_work_title", "archive_is_empty", "build_archive", "demo_prose", "elide",
]  # fmt: skip

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
