"""The editorial workflow: draft -> in review -> published (now or scheduled) ->
unpublished. Each transition checks the current state and the user's permission,
saves through ``Article.save`` (so a revision is kept) and writes an
``ArticleEvent``. Views, admin actions and commands all call these functions.

Each step emails the people it concerns once the transaction commits (through
the ``notifications`` app, which keeps only those who want that email and never
the person who acted): an article submitted, to the editors; published,
scheduled or sent back (with the editor's comment), to its writers."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, ArticleEvent
from notifications import services as notifications
from photos.services import check_publishable

Status = Article.Status
PUBLISH_PERMISSION = "articles.publish_article"
EDIT_ANY_PERMISSION = "articles.edit_any_article"


# What each recorded step did, as editors read it in the history (the actions
# of ``ArticleEvent.action`` and the revisions' change reasons).
ACTIONS = {
    "submit": gettext_lazy("soumis à la relecture"),
    "return": gettext_lazy("renvoyé en brouillon"),
    "publish": gettext_lazy("publié"),
    "schedule": gettext_lazy("programmé"),
    "unpublish": gettext_lazy("dépublié"),
    "restore": gettext_lazy("version restaurée"),
    "import": gettext_lazy("importé"),
}


def action_label(action: str | None) -> str:
    """The French verb of a recorded action ("restore 12" is a restore)."""
    key = (action or "").split(" ", 1)[0]
    return str(ACTIONS.get(key, action or "—"))


class TransitionError(Exception):
    """A transition that the article's current state does not allow."""


def is_own(user, article: Article) -> bool:
    if article.pk is None or user.pk is None:
        return True
    return article.created_by_id == user.pk or article.authors.filter(user=user).exists()


def can_edit(user, article: Article | None) -> bool:
    """Editors edit any article; a writer edits only their own drafts."""
    if not user.has_perm("articles.change_article"):
        return False
    if article is None or user.has_perm(EDIT_ANY_PERMISSION):
        return True
    return article.status == Status.DRAFT and is_own(user, article)


def can_view(user, article: Article) -> bool:
    """Who may see an unpublished article: its writers and the editors."""
    if user.has_perm(EDIT_ANY_PERMISSION):
        return True
    return user.has_perm("articles.view_article") and is_own(user, article)


def can_publish(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def _locked(article: Article) -> Article:
    """Re-read the row under a lock so that two transitions cannot interleave."""
    return Article.objects.select_for_update().get(pk=article.pk)


def _record(article: Article, *, by, action: str, previous: str, note: str = "") -> None:
    article._change_reason = action
    if by is not None and by.pk:
        article._history_user = by  # the revision names who, in a request or not
    article.save()
    ArticleEvent.objects.create(
        article=article,
        actor=by if by is not None and by.pk else None,
        action=action,
        from_status=previous,
        to_status=article.status,
        note=note[:500],
    )


def _check_state(article: Article, allowed: set[str]) -> str:
    if article.status not in allowed:
        raise TransitionError(
            _("Impossible depuis l'état « %(status)s ».") % {"status": article.get_status_display()}
        )
    return article.status


@transaction.atomic
def submit_for_review(*, article: Article, by) -> Article:
    article = _locked(article)
    if not can_edit(by, article):
        raise PermissionDenied
    previous = _check_state(article, {Status.DRAFT})
    article.status = Status.REVIEW
    _record(article, by=by, action="submit", previous=previous)
    _notify(article, action="submit", by=by)
    return article


@transaction.atomic
def return_to_draft(*, article: Article, by, note: str = "") -> Article:
    if not can_publish(by):
        raise PermissionDenied
    article = _locked(article)
    previous = _check_state(article, {Status.REVIEW, Status.SCHEDULED})
    article.status = Status.DRAFT
    note = note.strip()[:500]
    _record(article, by=by, action="return", previous=previous, note=note)
    _notify(article, action="return", by=by, note=note)
    return article


@transaction.atomic
def publish(*, article: Article, by, at: datetime.datetime | None = None) -> Article:
    """Publish now, or at ``at`` when it is in the future (the article then appears
    on its own at that time: ``published()`` compares with now)."""
    if not can_publish(by):
        raise PermissionDenied
    article = _locked(article)
    previous = _check_state(
        article, {Status.DRAFT, Status.REVIEW, Status.SCHEDULED, Status.ARCHIVED}
    )
    problems = photo_problems(article)
    if problems:
        raise TransitionError(" ".join(problems))
    now = timezone.now()
    if at is not None and at > now:
        article.status, article.published_at = Status.SCHEDULED, at
    else:
        article.status = Status.PUBLISHED
        # A republished article keeps its original date, hence its address.
        if at is not None or article.published_at is None or article.published_at > now:
            article.published_at = at or now
    action = "schedule" if article.status == Status.SCHEDULED else "publish"
    _record(article, by=by, action=action, previous=previous)
    _notify(article, action=action, by=by)
    return article


@transaction.atomic
def unpublish(*, article: Article, by, note: str = "") -> Article:
    if not can_publish(by):
        raise PermissionDenied
    article = _locked(article)
    previous = _check_state(article, {Status.PUBLISHED, Status.SCHEDULED})
    article.status = Status.ARCHIVED
    _record(article, by=by, action="unpublish", previous=previous, note=note)
    return article


def photo_problems(article: Article) -> list[str]:
    """Every photo an article shows must have a credit and an alt text."""
    photos = [p for p in [article.lead_photo] if p is not None]
    photos += [item.photo for item in article.gallery_items.select_related("photo")]
    photos += list(article.body_photos.all())
    return check_publishable(photos)


@transaction.atomic
def restore_revision(*, article: Article, history_id: int, by) -> Article:
    """Bring back an earlier revision's fields; the restore is itself a new revision."""
    if not can_edit(by, article):
        raise PermissionDenied
    record = article.history.get(history_id=history_id)
    restored = record.instance
    current = _locked(article)
    for field in ("title", "slug", "standfirst", "body", "section_id", "lead_photo_id"):
        setattr(current, field, getattr(restored, field))
    current._change_reason = f"restore {history_id}"
    current._history_user = by
    current.save()
    return current


# Emails ---------------------------------------------------------------------------

EMAILS = {
    # action: (subject, template, kind of email, to whom)
    "submit": (
        gettext_lazy("À relire : « %(title)s »"),
        "notifications/email/article_submitted.txt",
        "review_requests",
        "editors",
    ),
    "publish": (
        gettext_lazy("Votre article est publié : « %(title)s »"),
        "notifications/email/article_published.txt",
        "my_articles",
        "writers",
    ),
    "schedule": (
        gettext_lazy("Votre article est programmé : « %(title)s »"),
        "notifications/email/article_published.txt",
        "my_articles",
        "writers",
    ),
    "return": (
        gettext_lazy("Votre article vous est renvoyé : « %(title)s »"),
        "notifications/email/article_returned.txt",
        "my_articles",
        "writers",
    ),
}


def writers(article: Article):
    """The accounts that wrote ``article``: whoever created it and its authors'."""
    return (
        get_user_model()
        .objects.filter(Q(pk=article.created_by_id) | Q(author_profile__articles=article))
        .distinct()
    )


def editors():
    """The accounts that may publish (and so review) articles."""
    return notifications.users_with_permission(PUBLISH_PERMISSION)


def _notify(article: Article, *, action: str, by, note: str = "") -> None:
    subject, template, kind, audience = EMAILS[action]
    people = editors() if audience == "editors" else writers(article)
    recipients = notifications.addresses(people, kind=kind, actor=by)
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):  # links and dates as readers see them
        context = {
            "article": article,
            "actor": display_name(by),
            "note": note,
            "scheduled": action == "schedule",
            "when": article.published_at,
            "admin_url": notifications.absolute(
                reverse("admin:articles_article_change", args=[article.pk])
            ),
            "public_url": notifications.absolute(article.get_absolute_url())
            if action == "publish"
            else "",
        }
    notifications.send(
        subject=subject,
        params={"title": article.title},
        template=template,
        context=context,
        recipients=recipients,
    )


def display_name(user) -> str:
    """How a volunteer is named to colleagues: full name, else username."""
    if user is None or not user.pk:
        return str(_("la rédaction"))
    return user.get_full_name().strip() or user.get_username()
