"""Running import_articles from a test."""

from io import StringIO

from django.core.management import call_command


def run_import(*paths, **options) -> tuple[str, str]:
    """Import ``paths``; returns what the command wrote (stdout, stderr)."""
    out, err = StringIO(), StringIO()
    call_command(
        "import_articles", *map(str, paths), stdout=out, stderr=err, no_progress=True, **options
    )
    return out.getvalue(), err.getvalue()
