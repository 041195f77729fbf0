"""The emails of the workflow and the links they carry: the sender's private
tracking link (derived from the notice, only its hash stored), the deciders and
authors to write to, the statement of reasons announced to each. Every email
leaves through the ``send_email`` task, enqueued on commit."""

import base64
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from notifications import services as notification_settings
from photos.models import Photo
from takedowns import tasks
from takedowns.models import DECIDE_PERMISSION, Notice, token_hash
from takedowns.services.transitions import Reasons

logger = logging.getLogger("takedowns.services")
TRACKING_SALT = "takedowns.tracking-token"


def tracking_token(notice: Notice) -> str:
    """The private tracking token of a confirmed notice: a keyed hash (SECRET_KEY)
    of its number and reception time, 32 bytes like a random token, so that later
    emails (decision, missing information) can repeat the link while only its
    hash is stored."""
    # In microseconds: the same whatever time zone object the database gives back.
    message = f"{notice.pk}:{round(notice.received_at.timestamp() * 1_000_000)}"
    digest = salted_hmac(TRACKING_SALT, message, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def tracking_url(notice: Notice) -> str | None:
    """The sender's tracking link, or None when it cannot be rebuilt (a token drawn
    at random before tokens were derived, a changed SECRET_KEY, an anonymised
    notice): the emails then point to the acknowledgement's link."""
    if notice.received_at is None or not notice.tracking_token_hash:
        return None
    token = tracking_token(notice)
    if token_hash(token) != notice.tracking_token_hash:
        return None
    return _absolute(reverse("takedowns:tracking", args=[token]))


def notice_for_token(token: str) -> Notice | None:
    if not token or len(token) > 100:
        return None
    return Notice.objects.filter(tracking_token_hash=token_hash(token)).first()


def _absolute(path: str) -> str:
    # The request's address in development (an email sent from a form links to
    # the server that sent it), SITE_URL in production and in commands.
    from config.site_url import site_url

    return site_url() + path


def _email_context() -> dict:
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "EDITOR_IN_CHIEF": settings.EDITOR_IN_CHIEF,
        "RECONSIDERATION_DAYS": settings.TAKEDOWN_RECONSIDERATION_DAYS,
    }


def _send(subject: str, body: str, recipients: Iterable[str]) -> None:
    """Every email of this app leaves through the ``send_email`` task, enqueued
    once the current transaction commits (at once outside one): a rolled-back
    decision sends nothing, and a slow mail server never holds a request or a
    lock. With a worker backend (``TASKS_BACKEND``), the worker sends it."""
    subject, body, recipients = str(subject), str(body), list(recipients)
    transaction.on_commit(
        lambda: tasks.send_email.enqueue(subject=subject, body=body, recipients=recipients)
    )


def _send_to_sender(notice: Notice, *, subject: str, template: str, context: dict) -> None:
    if not notice.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, {"notice": notice, **_email_context(), **context})
    _send(subject, body, [notice.email])


def decider_emails() -> list[str]:
    """Active users allowed to decide (the "Rédacteur en chef" group), unless
    they turned these emails off ("Mes notifications", ``notifications`` app)."""
    app_label, codename = DECIDE_PERMISSION.split(".")
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    users = users.filter(
        Q(groups__permissions=permission) | Q(user_permissions=permission) | Q(is_superuser=True)
    )
    users = notification_settings.opted_in(users, "rights_requests")
    return sorted({user.email for user in users})


def _notify_deciders(notice: Notice, *, subject: str, template: str) -> None:
    recipients = decider_emails()
    if not recipients:
        logger.warning("Notice %s: no decider to notify (none, or none wants it)", notice.pk)
        return
    with translation.override(settings.LANGUAGE_CODE):
        admin_url = _absolute(reverse("admin:takedowns_notice_change", args=[notice.pk]))
        body = render_to_string(
            template, {"notice": notice, "admin_url": admin_url, **_email_context()}
        )
    _send(subject, body, recipients)


def author_emails(photos: Iterable[Photo]) -> list[str]:
    """Emails of the volunteer authors of every article showing these photos."""
    emails = set()
    for photo in photos:
        for article in photo.where_used().prefetch_related("authors__user"):
            for author in article.authors.all():
                if author.user and author.user.is_active and author.user.email:
                    emails.add(author.user.email)
    return sorted(emails)


def _announce(notice: Notice, reasons: Reasons, *, photos: list[Photo], interim=False) -> None:
    """The statement of reasons, to the sender and to the authors concerned
    (the latter without anything about the sender)."""
    context = {"reasons": reasons, "interim": interim, "photos": photos}
    _send_to_sender(
        notice,
        subject=_("Demande n° %(ref)s : %(what)s")
        % {
            "ref": notice.reference,
            "what": _("mesure provisoire") if interim else _("décision"),
        },
        template="takedowns/email/decision.txt",
        context={**context, "tracking_url": tracking_url(notice)},
    )
    recipients = author_emails(photos)
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "takedowns/email/authors.txt",
                {"notice_reference": notice.reference, **_email_context(), **context},
            )
        _send(
            _("Une photo de vos articles : dossier n° %(ref)s") % {"ref": notice.reference},
            body,
            recipients,
        )
