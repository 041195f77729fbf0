from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Recherche")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Content apps declare their indexes in ``search_indexes.py``.
        autodiscover_modules("search_indexes")

        # Every save of an indexed (or watched) model reaches the index.
        from search.indexer import connect_signals

        connect_signals()
