"""The load benchmark's archive: migrated, filled with the synthetic archive,
indexed and its static files collected, in the benchmark's own process under
the server's settings; then the paths each page kind loads."""

import argparse
import os
import random
import sys
import time
import urllib.parse

ARTICLE_URLS, TAG_URLS, SEARCH_URLS = 200, 50, 100


def build(args: argparse.Namespace) -> dict[str, list[str]]:
    """Migrate, fill, index and collect static files; return the paths to load."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections

    from bench import synthetic
    from search import backends

    if os.environ.get("DATABASE_URL"):
        db = settings.DATABASES["default"]
        print(
            f"WARNING: DATABASE_URL is set: the benchmark writes a synthetic archive into "
            f"{db['ENGINE'].rsplit('.', 1)[-1]} database {db['NAME']!r}.",
            file=sys.stderr,
        )
    call_command("migrate", verbosity=0, interactive=False)
    if not synthetic.archive_is_empty():
        raise SystemExit("The database already holds an archive: the benchmark needs an empty one.")
    started = time.perf_counter()
    synthetic.build_archive(args.articles, seed=args.seed)
    if args.analyze:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    call_command("rebuild_index", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(
        f"Archive: {args.articles:,} articles, indexed, static files collected in "
        f"{time.perf_counter() - started:.0f} s ({connection.vendor})."
    )
    paths = {
        "home": ["/"],
        "article": article_paths(args.seed),
        "tag": tag_paths(),
        "search": search_paths(args.seed),
    }
    backends.reset()
    connections.close_all()
    return paths


def article_paths(seed: int) -> list[str]:
    """200 articles spread over the whole archive (old and recent ones)."""
    from articles.models import Article

    ids = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(seed).sample(ids, ARTICLE_URLS)
    return [a.get_absolute_url() for a in Article.objects.filter(pk__in=chosen).order_by("pk")]


def tag_paths() -> list[str]:
    """50 genres from the most to the least used (the popular ones have thousands)."""
    from django.db.models import Count

    from articles.models import GenreTag

    tags = list(GenreTag.objects.annotate(n=Count("tagged_articles")).order_by("-n", "pk"))
    step = max(1, len(tags) // TAG_URLS)
    return [tag.get_absolute_url() for tag in tags[::step][:TAG_URLS]]


def search_paths(seed: int) -> list[str]:
    """100 different queries of one to three words, as readers type them."""
    from django.urls import reverse

    from bench import synthetic

    rng = random.Random(seed)
    genres = [genre.lower() for genre, _gender in synthetic.GENRES]
    adjectives = [masculine for masculine, _feminine in synthetic.ADJECTIVES]
    words = [w for w in synthetic.WORDS if len(w) > 4]
    makers = [
        lambda: rng.choice(genres),
        lambda: f"{rng.choice(genres)} {rng.choice(adjectives)}",
        lambda: rng.choice(words),
        lambda: f"{rng.choice(words)} {rng.choice(words)}",
        lambda: rng.choice(synthetic.WORK_HEADS).lower(),
        lambda: f"{rng.choice(synthetic.WORK_HEADS)} {rng.choice(synthetic.WORK_TAILS)}".lower(),
        lambda: rng.choice(synthetic.LAST_NAMES),
        lambda: f"{rng.choice(synthetic.EVENTS)}",
    ]
    queries: dict[str, None] = {}
    while len(queries) < SEARCH_URLS:
        queries.setdefault(rng.choice(makers)())
    page = reverse("search:page")
    return [f"{page}?{urllib.parse.urlencode({'q': q})}" for q in queries]
