from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The project itself: site-wide behaviour that belongs to no content app."""

    name = "config"
    verbose_name = "Site"

    def ready(self):
        from config import derived, pagecache

        pagecache.connect_signals()
        derived.connect_signals()
