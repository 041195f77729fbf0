"""Relevance benchmark: MRR@10 of judged French queries, per query set and per
backend, how often a right answer comes with a needless "Vouliez-vous dire", and
the false friends found (words a reader never confuses, matched all the same).

The judged set (``bench/judged.py``, :func:`~bench.judged.trust_set`) is made of
short texts written for it and of 300 queries in sets: exact words, other
inflections, no accents (including participles typed in another gender),
elisions with ' and ’, pasted titles, names (``auteur:``) and false friends.
Background articles of the synthetic archive's French surround them.

Runs in a throw-away DATA_DIR with SQLite (Whoosh only), or in DATABASE_URL when
it is set (then PostgreSQL too; ``--create-db`` creates that database and drops
it at the end), like bench/search.py.

    .venv/bin/python bench/relevance.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_relevance \\
        .venv/bin/python bench/relevance.py --create-db
"""

import argparse
import contextlib
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import throwaway  # noqa: E402
from bench.tables import print_rows  # noqa: E402

TOP = 10
FRIEND_DEPTH = 100  # results read for false friends
SUGGESTION_TARGET = 0.02
BACKGROUND = 2000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--background", type=int, default=BACKGROUND, help="synthetic articles")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--create-db", action="store_true", help="create DATABASE_URL's database")
    parser.add_argument("--keep", action="store_true", help="keep the DATA_DIR (and database)")
    parser.add_argument("--misses", action="store_true", help="print every query not answered")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    data_dir = tempfile.mkdtemp(prefix="pressarchive-bench-relevance-")
    os.environ["DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DEBUG", "0")
    try:
        with throwaway(args.create_db, args.keep):
            return run(args)
    finally:
        if args.keep:
            print(f"\nData kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def run(args) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.judged import trust_set
    from bench.synthetic import archive_is_empty

    call_command("migrate", verbosity=0, interactive=False)
    if not archive_is_empty():
        print("The database already holds an archive: the benchmark needs an empty one.")
        return 2
    stories, cases = trust_set()
    started = time.perf_counter()
    ids = build(stories, args.background, args.seed)
    print(
        f"Judged set: {len(stories)} stories, {len(cases)} queries, with {args.background:,} "
        f"background articles ({connection.vendor}), built in "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )
    names = ["whoosh", "postgres"] if connection.vendor == "postgresql" else ["whoosh"]
    results = {name: evaluate(name, cases, ids) for name in names}
    report(results, cases, args.misses)
    return 0


def build(stories, background: int, seed: int) -> dict[str, str]:
    """Write the stories and the background articles; story key -> article id."""
    import datetime
    import random

    from django.db import transaction
    from django.utils import timezone

    from articles.models import Article, Author, Section, ascii_slug
    from bench import synthetic

    rng = random.Random(seed)
    section, _ = Section.objects.get_or_create(slug="critique", defaults={"name": "Critique"})
    names = sorted({name for story in stories for name in story.authors})
    authors = {name: Author.objects.create(name=name, slug=ascii_slug(name)) for name in names}
    start = datetime.datetime(2010, 1, 1, 8, tzinfo=datetime.UTC)
    rows = [(s.key, s.title, s.standfirst, s.body) for s in stories]
    rows += [
        (
            None,
            synthetic._title(rng, "critique"),
            synthetic._sentence(rng, 12, 20),
            synthetic._body(rng),
        )  # fmt: skip
        for _ in range(background)
    ]
    rng.shuffle(rows)
    articles = []
    for n, (_key, title, standfirst, body) in enumerate(rows):
        at = start + datetime.timedelta(hours=7 * n)
        articles.append(
            Article(
                title=title,
                slug=f"{ascii_slug(title)[:180]}-{n}",
                standfirst=standfirst,
                body=body,
                section=section,
                status=Article.Status.PUBLISHED,
                published_at=at,
                publication_date=timezone.localtime(at).date(),
            )  # fmt: skip
        )
    with transaction.atomic():
        created = Article.objects.bulk_create(articles)
        ids = {key: str(a.pk) for (key, *_), a in zip(rows, created, strict=True) if key}
        link = Article.authors.through
        link.objects.bulk_create(
            link(article_id=ids[s.key], author_id=authors[name].pk)
            for s in stories
            for name in s.authors
        )
    return ids


def evaluate(name: str, cases, ids: dict[str, str]) -> list[dict]:
    from django.test import override_settings

    from search import backends, indexer
    from search.query import parse

    with override_settings(SEARCH_BACKEND=name):
        backends.reset()
        started = time.perf_counter()
        indexer.rebuild("articles")
        print(f"{name}: index rebuilt in {time.perf_counter() - started:.0f} s", flush=True)
        backend = backends.backend_for("articles")
        out = []
        for case in cases:
            results = backend.search(parse(case.query), per_page=TOP, facets=False, highlight=False)
            hits = [hit.id for hit in results.hits]
            wanted = {ids[key] for key in case.relevant}
            rank = next((n for n, hit in enumerate(hits, 1) if hit in wanted), None)
            friends = []
            if case.forbidden:
                deep = backend.search(parse(case.query), per_page=FRIEND_DEPTH, facets=False,
                                      highlight=False)  # fmt: skip
                found = {hit.id for hit in deep.hits}
                friends = [key for key in case.forbidden if ids[key] in found]
            out.append({"rank": rank, "suggestion": results.suggestion, "friends": friends,
                        "count": results.count})  # fmt: skip
        backends.reset()
    return out


def report(results: dict[str, list[dict]], cases, misses: bool) -> None:
    kinds = list(dict.fromkeys(case.kind for case in cases))
    names = list(results)
    rows = [("MRR@10", "queries", *names)]
    for kind in [*kinds, "all"]:
        chosen = [i for i, case in enumerate(cases) if kind in (case.kind, "all")]
        cells = [
            f"{statistics.mean(_rr(results[name][i]['rank']) for i in chosen):.3f}"
            for name in names
        ]
        rows.append((kind, str(len(chosen)), *cells))
    print()
    print_rows(rows)
    print()
    rows = [("", "target", *names)]
    cells = []
    for name in names:
        right = [r for r in results[name] if r["rank"] == 1]
        suggested = sum(r["suggestion"] is not None for r in right)
        cells.append(f"{suggested}/{len(right)} ({suggested / max(len(right), 1):.1%})")
    rows.append(("suggestion when first is right", f"< {SUGGESTION_TARGET:.0%}", *cells))
    friends = [sum(len(r["friends"]) for r in results[name]) for name in names]
    rows.append(("false-friend matches", "0", *map(str, friends)))
    print_rows(rows)
    for name in names:
        for case, result in zip(cases, results[name], strict=True):
            if result["friends"]:
                print(f"  {name}: {case.query!r} matches {', '.join(result['friends'])}")
            if result["rank"] == 1 and result["suggestion"]:
                print(f"  {name}: {case.query!r} right, yet suggests {result['suggestion']!r}")
        if misses:
            by_kind = defaultdict(list)
            for case, result in zip(cases, results[name], strict=True):
                if result["rank"] != 1:
                    by_kind[case.kind].append(f"{case.query!r} ({result['rank'] or '-'})")
            for kind, queries in by_kind.items():
                print(f"  {name} {kind}, not first: {'; '.join(queries)}")


def _rr(rank: int | None) -> float:
    return 1 / rank if rank else 0.0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
    sys.exit(130)
