from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Emails to volunteers and each one's choice of which to receive.

    A low-level app: it imports no other app of the project (only ``config``);
    ``articles`` and ``takedowns`` import it to send their emails and to respect
    each person's preferences."""

    name = "notifications"
    verbose_name = _("Notifications")
