"""Who receives which email, and sending it once the database work is done.

``articles`` and ``takedowns`` choose the people an event concerns; this module
keeps those who want that kind of email (``NotificationSettings``), have an
address and an active account, and are not the person who acted, then sends
through the ``send_each`` task enqueued on commit: a rolled-back change sends
nothing and a slow mail server never holds a request."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from notifications import tasks
from notifications.models import KINDS, NotificationSettings


def absolute(path: str) -> str:
    """An absolute link: SITE_URL, or the request's address in development."""
    from config.site_url import site_url

    return site_url() + path


def wants(user, kind: str) -> bool:
    """Whether ``user`` wants the emails of ``kind`` (yes until they say no)."""
    row = NotificationSettings.objects.filter(user_id=user.pk).first()
    return True if row is None else getattr(row, kind)


def opted_in(users: QuerySet, kind: str) -> QuerySet:
    """``users`` without those who turned ``kind`` off."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of email: {kind}")
    return users.exclude(**{f"notification_settings__{kind}": False})


def users_with_permission(permission: str) -> QuerySet:
    """Accounts holding ``permission`` (by a group, directly, or as superusers)."""
    app_label, codename = permission.split(".")
    granted = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    users = get_user_model().objects.filter(
        Q(groups__permissions__in=granted) | Q(user_permissions__in=granted) | Q(is_superuser=True)
    )
    return users.distinct()


def addresses(users: QuerySet, *, kind: str, actor=None) -> list[str]:
    """The addresses to write to: active accounts with an email that want
    ``kind``, never the person who acted."""
    users = opted_in(users.filter(is_active=True).exclude(email=""), kind)
    if actor is not None and actor.pk:
        users = users.exclude(pk=actor.pk)
    emails = set(users.values_list("email", flat=True))
    emails.discard(getattr(actor, "email", "") or None)
    return sorted(emails)


def send(*, subject, template: str, context: dict, recipients: Iterable[str], params=None) -> None:
    """Render ``template`` (plain text) and ``subject`` (a lazy string, with
    ``params``) in the site's language, whoever acted, and send them to each
    recipient once the current transaction commits."""
    recipients = list(recipients)
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, {**email_context(), **context})
        subject = str(subject) % params if params else str(subject)
    transaction.on_commit(
        lambda: tasks.send_each.enqueue(subject=subject, body=body, recipients=recipients)
    )


def email_context() -> dict:
    return {
        "SITE_NAME": settings.SITE_NAME,
        "settings_url": absolute(reverse("notifications:settings")),
    }


@transaction.atomic
def save_settings(*, user, values: dict) -> NotificationSettings:
    """Store ``user``'s choices; kinds not in ``values`` keep their setting."""
    row, _created = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    for kind in KINDS:
        if kind in values:
            setattr(row, kind, bool(values[kind]))
    row.save()
    return row
