from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Each kind of email, and the permission that makes it concern someone (None:
# anyone with an account). Permissions are named, not imported: this app
# depends on no other app of the project.
KINDS = {
    "review_requests": "articles.publish_article",
    "my_articles": None,
    "rights_requests": "takedowns.decide_notice",
}


class NotificationSettings(models.Model):
    """Which emails a volunteer wants. No row means every one of them: an account
    receives what concerns it until its holder says otherwise."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    review_requests = models.BooleanField(
        _("articles à relire"),
        default=True,
        help_text=_("Un courriel quand un article est soumis à la relecture."),
    )
    my_articles = models.BooleanField(
        _("suite donnée à mes articles"),
        default=True,
        help_text=_(
            "Un courriel quand un de vos articles est publié, programmé ou vous est "
            "renvoyé en brouillon (avec le commentaire de l'éditeur)."
        ),
    )
    rights_requests = models.BooleanField(
        _("demandes des ayants droit"),
        default=True,
        help_text=_(
            "Un courriel à chaque nouvelle demande ou nouveau message d'un ayant droit, "
            "et le rappel des demandes en attente."
        ),
    )

    class Meta:
        verbose_name = _("préférences de notification")
        verbose_name_plural = _("préférences de notification")

    def __str__(self):
        return str(self.user)
