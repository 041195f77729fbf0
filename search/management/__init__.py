from django.core.management.base import CommandError

from search.index import all_indexes, get


def chosen_indexes(name: str | None) -> list[str]:
    """The index named by ``--index``, or every registered one; a clean command
    error for an unknown name."""
    if name is None:
        return [index.name for index in all_indexes()]
    try:
        get(name)
    except KeyError:
        raise CommandError(f"Unknown index: {name}") from None
    return [name]
