"""Forged POSTs (acceptance "Security tests", 1).

Every state-changing admin URL is enumerated from ``admin.site._registry``: the
add/change/delete/history views of each ModelAdmin, their custom URLs
(``get_urls``: workflow transitions, simple_history's revert, the photo upload,
the takedown decisions, taggit's merge…) and their actions (POST to the
changelist with ``action=`` and ``_selected_action=``). A coverage test fails
as soon as a registered ModelAdmin grows a URL or an action that no case below
describes, so a new door cannot be added without saying who may use it.

Each (role, case) pair a role must not use is POSTed with a valid CSRF token
(``Client(enforce_csrf_checks=True)``, token taken from a real form page) and
must be refused (302 to the login page for anonymous visitors; 403, 404, 405
or Django's refusal redirect for staff) *and* leave a snapshot of the database
(row count and hash of every row of the project's apps, auth and the admin
log) and of stored files unchanged. For one allowed role per case, a positive
control proves the same POST does change something (so the refusals are not
vacuous), and that the same POST without the CSRF token is refused (403).

The public URLs (every non-admin pattern of the URLconf) are POSTed as an
anonymous visitor with a valid token: with a forged confirmation signature or
tracking token, or to read-only pages, nothing may change."""

import hashlib
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from taggit.models import Tag

from articles import workflow
from articles.admin import TRANSITIONS
from articles.models import Article, ArticleEvent, Author, GenreTag
from imports.models import OldAddress
from photos.models import Photo
from takedowns import services
from takedowns.admin import ACTIONS as NOTICE_ACTIONS
from takedowns.models import Event, Evidence, Notice
from tests.articles.test_admin import form_data as article_form
from tests.factories import (
    CHIEF,
    EDITOR,
    WRITER,
    ArticleFactory,
    AuthorFactory,
    PhotoFactory,
    SectionFactory,
    UserFactory,
)
from tests.photos import images
from tests.photos.test_admin import fields as photo_fields
from tests.photos.test_admin import many as many_photos
from tests.security.conftest import changes, csrf_client, module_transaction, snapshot

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "writer", "editor", "chief"]
STAFF = frozenset({"writer", "editor", "chief"})
EDITORS = frozenset({"editor", "chief"})
CHIEF_ONLY = frozenset({"chief"})
NOBODY = frozenset()
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
REFUSED = {403, 404, 405}


# The world every case runs against ------------------------------------------------


@dataclass
class World:
    users: dict
    articles: dict
    photo: Photo
    hidden_photo: Photo
    uncredited_photo: Photo
    section: object
    empty_section: object
    author: Author
    tag: GenreTag
    taggit_tag: Tag
    article_event: ArticleEvent
    notice: Notice
    evidence: Evidence
    event: Event
    incomplete_token: str
    signature: str
    group: Group


def _submit(photo, email, **overrides):
    data = {
        "name": "Jeanne Objectif",
        "email": email,
        "capacity": Notice.Capacity.PHOTOGRAPHER,
        "kind": Notice.Kind.WITHDRAW,
        "explanation": "Cette photo est de moi et je n'ai jamais autorisé sa publication.",
        "original_work": "https://objectif-photo.fr/portfolio/festival-2019",
        "good_faith": True,
        "photos": [photo],
        **overrides,
    }
    return services.submit_notice(**data)


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker, security_settings):
    """Built once for the module inside a transaction rolled back at its end:
    each test runs in a savepoint of it (as Django's TestCase.setUpTestData)."""
    with module_transaction(django_db_blocker, security_settings):
        yield build_world()


@pytest.fixture
def world(_module_world, db) -> World:
    cache.clear()
    return _module_world


def build_world() -> World:
    writer = UserFactory(username="redactrice", role=WRITER)
    writer_author = AuthorFactory(name="Rédactrice", user=writer)
    other = UserFactory(username="autre-redactrice", role=WRITER)
    users = {
        "anonymous": None,
        "writer": writer,
        "editor": UserFactory(username="editeur", role=EDITOR),
        "chief": UserFactory(username="cheffe", email="cheffe@example.org", role=CHIEF),
        # Not a role: the account the chief may not touch, and a group beyond the roles.
        "root": UserFactory(username="racine", is_superuser=True),
    }
    Group.objects.create(name="Administrateurs").permissions.add(
        *Permission.objects.filter(content_type__app_label="auth")
    )
    draft = {"status": Article.Status.DRAFT, "published_at": None}
    own_review = ArticleFactory(title="En relecture", created_by=writer, **draft)
    own_review.authors.add(writer_author)
    workflow.submit_for_review(article=own_review, by=writer)  # writes an ArticleEvent
    published = ArticleFactory(title="Publié", created_by=other, tags=["Polar"])
    published.title = "Publié, corrigé"  # a second revision to revert to the first
    published.save()
    articles = {
        "own_draft": ArticleFactory(title="Mon brouillon", created_by=writer, **draft),
        "own_review": Article.objects.get(pk=own_review.pk),
        "others_draft": ArticleFactory(title="Brouillon d'une autre", created_by=other, **draft),
        "published": published,
    }
    articles["own_draft"].authors.add(writer_author)
    photo = PhotoFactory()
    notice = _submit(photo, "jeanne@objectif-photo.fr",
                     evidence=[(SimpleUploadedFile("licence.pdf", PDF), "application/pdf",
                                hashlib.sha256(PDF).hexdigest())])  # fmt: skip
    services.confirm_notice(notice=notice)
    incomplete = _submit(photo, "paul@objectif-photo.fr", original_work="")
    incomplete_token = services.confirm_notice(notice=incomplete)
    # The link emailed to the sender (emails leave on commit, never here).
    signature = services._sign(_submit(photo, "lea@objectif-photo.fr"))
    OldAddress.objects.create(path="/ancienne-adresse/", article=published)
    return World(
        users=users,
        articles=articles,
        photo=photo,
        hidden_photo=PhotoFactory(status=Photo.Status.HIDDEN),
        uncredited_photo=PhotoFactory(credit=""),
        section=published.section,
        empty_section=SectionFactory(name="Rubrique vide"),
        author=AuthorFactory(name="Camille Critique"),
        tag=GenreTag.objects.get(name="Polar"),
        taggit_tag=Tag.objects.create(name="ancien", slug="ancien"),
        article_event=ArticleEvent.objects.get(article=own_review),
        notice=Notice.objects.get(pk=notice.pk),
        evidence=Evidence.objects.get(notice=notice),
        event=Event.objects.filter(notice=notice).first(),
        incomplete_token=incomplete_token,
        signature=signature,
        group=Group.objects.get(name=WRITER),
    )


# Cases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    model: str  # ModelAdmin's model label, "" for site-wide and public URLs
    pattern: str  # the URL pattern (or "action:<name>") this case covers
    url: object  # World -> str
    data: object = lambda w: {}  # World -> dict
    allowed: frozenset = NOBODY  # roles that may do it
    control: str | None = None  # an allowed role for which it must change something
    readonly: bool = False  # a view that changes nothing whoever asks


def _admin(name, *args):
    return lambda w: reverse(f"admin:{name}", args=[a(w) if callable(a) else a for a in args])


def _article(key):
    return lambda w: w.articles[key].pk


def _first_revision(key):
    def url(w):
        article = w.articles[key]
        first = article.history.order_by("history_id").first()
        return f"/admin/articles/article/{article.pk}/history/{first.history_id}/"

    return url


ARTICLE_TARGETS = {
    # target: roles that may edit it (its writer while it is a draft, editors always)
    "own_draft": STAFF,
    "own_review": EDITORS,
    "others_draft": EDITORS,
    "published": EDITORS,
}
ARTICLE_CONTROL = {"own_draft": "writer", "others_draft": "editor"}


def _forged_article(key):
    return lambda w: article_form(w.articles[key], title="Titre forgé", loaded_version="")


def article_cases():
    label = "articles.Article"
    yield Case("article add", label, "add/", _admin("articles_article_add"),
               lambda w: article_form(Article(title="Forgé", section=w.section), slug="",
                                      loaded_version=""),
               STAFF, control="writer")  # fmt: skip
    for key, allowed in ARTICLE_TARGETS.items():
        control = ARTICLE_CONTROL.get(key)
        yield Case(f"article change [{key}]", label, "<path:object_id>/change/",
                   _admin("articles_article_change", _article(key)), _forged_article(key),
                   allowed, control=control)  # fmt: skip
        yield Case(f"article revert [{key}]", label, "^([^/]+)/history/([^/]+)/$",
                   _first_revision(key), _forged_article(key), allowed,
                   control=control)  # fmt: skip
        yield Case(f"article history [{key}]", label, "<path:object_id>/history/",
                   _admin("articles_article_history", _article(key)), readonly=True)  # fmt: skip
        yield Case(f"article compare [{key}]", label, "<int:pk>/compare/",
                   _admin("articles_article_compare", _article(key)), readonly=True)  # fmt: skip
        yield Case(f"article object url [{key}]", label, "<path:object_id>/",
                   lambda w, key=key: f"/admin/articles/article/{w.articles[key].pk}/",
                   readonly=True)  # fmt: skip
        for action in TRANSITIONS:
            may = allowed if action == "submit" else EDITORS
            transition_control = {
                ("submit", "own_draft"): "writer",
                ("publish", "own_review"): "editor",
                ("return", "own_review"): "editor",
                ("unpublish", "published"): "editor",
            }.get((action, key))
            yield Case(f"article transition {action} [{key}]", label,
                       "<int:pk>/transition/<str:action>/",
                       _admin("articles_article_transition", _article(key), action),
                       lambda w: {"at": ""}, may, control=transition_control)  # fmt: skip
    for key in ("own_draft", "published"):
        yield Case(f"article delete [{key}]", label, "<path:object_id>/delete/",
                   _admin("articles_article_delete", _article(key)), lambda w: {"post": "yes"},
                   EDITORS, control="editor" if key == "published" else None)  # fmt: skip
    yield Case("article action delete_selected", label, "action:delete_selected",
               _admin("articles_article_changelist"),
               lambda w: {"action": "delete_selected", "post": "yes",
                          "_selected_action": [w.articles["published"].pk,
                                               w.articles["others_draft"].pk]},
               EDITORS, control="editor")  # fmt: skip
    yield Case("article changelist", label, "", _admin("articles_article_changelist"),
               readonly=True)  # fmt: skip
    yield Case("article genre suggestions", label, "genres/", _admin("articles_article_tags"),
               lambda w: {"q": "Po"}, readonly=True)  # fmt: skip
    # The photo chooser (photos/chooser.py), mounted by the article admin.
    chooser = "articles_photo_chooser"
    yield Case("photo chooser dialog", label, "photos/choisir/", _admin(chooser),
               readonly=True)  # fmt: skip
    yield Case("photo chooser list", label, "photos/choisir/liste/", _admin(f"{chooser}_list"),
               lambda w: {"q": "Po"}, readonly=True)  # fmt: skip
    yield Case("photo chooser info", label, "photos/choisir/infos/", _admin(f"{chooser}_info"),
               lambda w: {"ids": str(w.photo.pk)}, readonly=True)  # fmt: skip
    yield Case("photo chooser upload", label, "photos/choisir/envoyer/",
               _admin(f"{chooser}_upload"),
               lambda w: photo_fields(upload=images.upload("c.jpg", images.jpeg(6, (640, 480)))),
               STAFF, control="writer")  # fmt: skip


def simple_model_cases(label, url_prefix, target, data, add_change, delete, changelist_data=None):
    """add / change / delete / history / object URL / delete_selected of a plain ModelAdmin."""
    yield Case(f"{label} add", label, "add/", _admin(f"{url_prefix}_add"), data,
               add_change, control=min(add_change, default=None))  # fmt: skip
    yield Case(f"{label} change", label, "<path:object_id>/change/",
               _admin(f"{url_prefix}_change", lambda w: target(w).pk), data, add_change,
               control=min(add_change, default=None))  # fmt: skip
    yield Case(f"{label} delete", label, "<path:object_id>/delete/",
               _admin(f"{url_prefix}_delete", lambda w: target(w).pk), lambda w: {"post": "yes"},
               delete, control=min(delete, default=None))  # fmt: skip
    yield Case(f"{label} history", label, "<path:object_id>/history/",
               _admin(f"{url_prefix}_history", lambda w: target(w).pk), readonly=True)  # fmt: skip
    yield Case(f"{label} object url", label, "<path:object_id>/",
               lambda w: reverse(f"admin:{url_prefix}_change",
                                 args=[target(w).pk]).removesuffix("change/"),
               readonly=True)  # fmt: skip
    yield Case(f"{label} action delete_selected", label, "action:delete_selected",
               _admin(f"{url_prefix}_changelist"),
               lambda w: {"action": "delete_selected", "post": "yes",
                          "_selected_action": [target(w).pk]},
               delete, control=min(delete, default=None))  # fmt: skip
    yield Case(f"{label} changelist", label, "", _admin(f"{url_prefix}_changelist"),
               changelist_data or (lambda w: {}),
               add_change if changelist_data else NOBODY,
               control=min(add_change, default=None) if changelist_data else None,
               readonly=not changelist_data)  # fmt: skip


def photo_action(name, target="photo", **extra):
    return lambda w: {"action": name, "_selected_action": [getattr(w, target).pk],
                      "apply": "yes", **extra}  # fmt: skip


def photo_cases():
    label = "photos.Photo"
    prefix = "photos_photo"
    yield Case("photo add", label, "add/", _admin(f"{prefix}_add"),
               lambda w: photo_fields(upload=images.upload("a.jpg", images.jpeg(4, (640, 480)))),
               STAFF, control="writer")  # fmt: skip
    yield Case("photo change", label, "<path:object_id>/change/",
               _admin(f"{prefix}_change", lambda w: w.photo.pk),
               lambda w: photo_fields(credit="© Forgé / Photo : Jo Martin"), STAFF,
               control="writer")  # fmt: skip
    yield Case("photo delete", label, "<path:object_id>/delete/",
               _admin(f"{prefix}_delete", lambda w: w.photo.pk),
               lambda w: {"post": "yes"})  # fmt: skip
    yield Case("photo history", label, "<path:object_id>/history/",
               _admin(f"{prefix}_history", lambda w: w.photo.pk), readonly=True)  # fmt: skip
    yield Case("photo object url", label, "<path:object_id>/",
               lambda w: f"/admin/photos/photo/{w.photo.pk}/", readonly=True)  # fmt: skip
    yield Case("photo upload many", label, "ajout-multiple/", _admin(f"{prefix}_upload_many"),
               lambda w: many_photos(files=[images.upload("m.jpg", images.jpeg(5, (640, 480)))]),
               STAFF, control="writer")  # fmt: skip
    changelist = _admin(f"{prefix}_changelist")
    yield Case("photo changelist", label, "", changelist, readonly=True)
    credit = {"credit": "© Agence / Photo : Lou Perez", "photographer": "Lou Perez", "agency": ""}
    yield Case("photo action edit_credits", label, "action:edit_credits", changelist,
               photo_action("edit_credits", **credit), STAFF, control="writer")  # fmt: skip
    # Hiding, showing again and withdrawing (files deleted for good) are the
    # measures of a takedown: not for writers, who may not even delete a photo.
    yield Case("photo action hide", label, "action:hide", changelist, photo_action("hide"),
               EDITORS, control="editor")  # fmt: skip
    yield Case("photo action unhide", label, "action:unhide", changelist,
               photo_action("unhide", target="hidden_photo"), EDITORS,
               control="editor")  # fmt: skip
    yield Case("photo action withdraw", label, "action:withdraw", changelist,
               photo_action("withdraw", reason="Forgé"), EDITORS, control="editor")  # fmt: skip
    yield Case("photo action delete_selected", label, "action:delete_selected", changelist,
               lambda w: {"action": "delete_selected", "post": "yes",
                          "_selected_action": [w.photo.pk]})  # fmt: skip


REASONS = {"measure": "Mesure forgée", "facts": "Faits forgés", "ground": "Motif forgé"}


def notice_action_data(action):
    def data(w):
        values = {
            "identity": {"check": "Appel au standard de l'agence"},
            "verify": {"note": "Complet"},
            "information": {"missing": "La licence signée"},
            "credit": {**REASONS, "photos": [w.photo.pk],
                       "credit": "© Studio / Photo : Jeanne Objectif",
                       "photographer": "Jeanne Objectif", "agency": "Studio"},
            "close": {},
        }.get(action, {**REASONS, "photos": [w.photo.pk]})  # fmt: skip
        return {f"{action}-{k}": v for k, v in values.items()}

    return data


# Actions the notice's state ("reçue") allows: the chief's POST changes it.
NEW_NOTICE_ACTIONS = {"identity", "verify", "information", "hide", "withdraw", "credit", "reject"}


def takedown_cases():
    label = "takedowns.Notice"
    notice_pk = lambda w: w.notice.pk  # noqa: E731
    for action in NOTICE_ACTIONS:
        yield Case(f"notice decision {action}", label, "<int:pk>/action/<str:action>/",
                   _admin("takedowns_notice_action", notice_pk, action),
                   notice_action_data(action), CHIEF_ONLY,
                   control="chief" if action in NEW_NOTICE_ACTIONS else None)  # fmt: skip
    yield Case("notice evidence", label, "<int:pk>/piece/<int:evidence_pk>/",
               _admin("takedowns_notice_evidence", notice_pk, lambda w: w.evidence.pk),
               readonly=True)  # fmt: skip
    yield Case("notice changelist", label, "", _admin("takedowns_notice_changelist"),
               readonly=True)  # fmt: skip
    yield Case("notice add", label, "add/", _admin("takedowns_notice_add"),
               lambda w: {"name": "Forgé", "email": "f@example.org",
                          "status": "decided"})  # fmt: skip
    yield Case("notice change", label, "<path:object_id>/change/",
               _admin("takedowns_notice_change", notice_pk),
               lambda w: {"status": "decided", "outcome": "rejected"}, readonly=True)  # fmt: skip
    yield Case("notice delete", label, "<path:object_id>/delete/",
               _admin("takedowns_notice_delete", notice_pk), lambda w: {"post": "yes"})  # fmt: skip
    yield Case("notice history", label, "<path:object_id>/history/",
               _admin("takedowns_notice_history", notice_pk), readonly=True)  # fmt: skip
    yield Case("notice object url", label, "<path:object_id>/",
               lambda w: f"/admin/takedowns/notice/{w.notice.pk}/", readonly=True)  # fmt: skip
    yield Case("notice action delete_selected", label, "action:delete_selected",
               _admin("takedowns_notice_changelist"),
               lambda w: {"action": "delete_selected", "post": "yes",
                          "_selected_action": [w.notice.pk]})  # fmt: skip
    yield from simple_model_cases(
        "takedowns.Event", "takedowns_event", lambda w: w.event,
        lambda w: {"action": "forged", "to_status": "decided"}, NOBODY, NOBODY,
    )  # fmt: skip


def auth_cases():
    yield from simple_model_cases(
        "auth.Group", "auth_group", lambda w: w.group,
        lambda w: {"name": "Forgé", "permissions": [_decide_permission().pk]},
        NOBODY, NOBODY,
    )  # fmt: skip
    label, prefix = "auth.User", "auth_user"
    target = lambda w: w.users["writer"]  # noqa: E731
    yield Case("auth.User add", label, "add/", _admin(f"{prefix}_add"),
               lambda w: {"username": "intrus", "usable_password": "true",
                          "password1": "Mot-de-passe-123!", "password2": "Mot-de-passe-123!"},
               CHIEF_ONLY, control="chief")  # fmt: skip
    yield Case("auth.User change", label, "<path:object_id>/change/",
               _admin(f"{prefix}_change", lambda w: target(w).pk),
               lambda w: {"username": "redactrice", "first_name": "Rédactrice",
                          "email": "redactrice@example.org", "is_active": "on",
                          "groups": [Group.objects.get(name=EDITOR).pk]},
               CHIEF_ONLY, control="chief")  # fmt: skip
    yield from escalation_cases(label, prefix)
    yield Case("auth.User password", label, "<id>/password/",
               _admin("auth_user_password_change", lambda w: target(w).pk),
               lambda w: {"usable_password": "true", "password1": "Pirate-123!xyz",
                          "password2": "Pirate-123!xyz"},
               CHIEF_ONLY, control="chief")  # fmt: skip
    yield Case("auth.User delete", label, "<path:object_id>/delete/",
               _admin(f"{prefix}_delete", lambda w: target(w).pk),
               lambda w: {"post": "yes"})  # fmt: skip
    yield Case("auth.User history", label, "<path:object_id>/history/",
               _admin(f"{prefix}_history", lambda w: target(w).pk), readonly=True)  # fmt: skip
    yield Case("auth.User object url", label, "<path:object_id>/",
               lambda w: f"/admin/auth/user/{target(w).pk}/", readonly=True)  # fmt: skip
    yield Case("auth.User action delete_selected", label, "action:delete_selected",
               _admin(f"{prefix}_changelist"),
               lambda w: {"action": "delete_selected", "post": "yes",
                          "_selected_action": [target(w).pk]})  # fmt: skip
    yield Case("auth.User changelist", label, "", _admin(f"{prefix}_changelist"), readonly=True)


def _account(key, **data):
    """A change form of world.users[key] carrying ``data`` (callables get the world)."""

    def form(w):
        user = w.users[key]
        values = {k: v(w) if callable(v) else v for k, v in data.items()}
        return {"username": user.username, "email": user.email, **values}

    return form


def _other_group(w):
    return [Group.objects.get(name="Administrateurs").pk]


ESCALATIONS = {
    # case: (account, forged fields); nobody but a superuser may send any of them.
    "superuser flag": ("writer", {"is_superuser": "on", "is_staff": "on",
                                  "date_joined_0": "2024-01-01", "date_joined_1": "10:00:00",
                                  "groups": lambda w: [w.group.pk]}),
    "raw permissions": ("writer", {"user_permissions": lambda w: [_decide_permission().pk]}),
    "other group": ("writer", {"groups": _other_group}),
    "own superuser flag": ("chief", {"is_superuser": "on"}),
    "own raw permissions": ("chief", {"user_permissions": lambda w: [_decide_permission().pk]}),
    "own groups": ("chief", {"groups": lambda w: [Group.objects.get(name=CHIEF).pk,
                                                  *_other_group(w)]}),
    "own active flag": ("chief", {"is_active": "on", "first_name": "Cheffe"}),
    "superuser's account": ("root", {"first_name": "Piraté", "groups": lambda w: [w.group.pk]}),
}  # fmt: skip


def escalation_cases(label, prefix):
    """The chief manages accounts and roles only: forged rights are refused (403)."""
    for name, (key, data) in ESCALATIONS.items():
        yield Case(f"auth.User change [{name}]", label, "<path:object_id>/change/",
                   _admin(f"{prefix}_change", lambda w, key=key: w.users[key].pk),
                   _account(key, **data))  # fmt: skip
    yield Case("auth.User add [superuser flag]", label, "add/", _admin(f"{prefix}_add"),
               lambda w: {"username": "intrus", "usable_password": "true",
                          "password1": "Mot-de-passe-123!", "password2": "Mot-de-passe-123!",
                          "is_superuser": "on", "groups": _other_group(w)})  # fmt: skip
    yield Case("auth.User password [superuser's account]", label, "<id>/password/",
               _admin("auth_user_password_change", lambda w: w.users["root"].pk),
               lambda w: {"usable_password": "true", "password1": "Pirate-123!xyz",
                          "password2": "Pirate-123!xyz"})  # fmt: skip


def taggit_cases():
    yield from simple_model_cases(
        "taggit.Tag", "taggit_tag", lambda w: w.taggit_tag,
        lambda w: {"name": "forgé", "slug": "forge",
                   "taggit-taggeditem-content_type-object_id-TOTAL_FORMS": "0",
                   "taggit-taggeditem-content_type-object_id-INITIAL_FORMS": "0"},
        NOBODY, NOBODY,
    )  # fmt: skip
    changelist = _admin("taggit_tag_changelist")
    yield Case("taggit.Tag action render_tag_form", "taggit.Tag", "action:render_tag_form",
               changelist, lambda w: {"action": "render_tag_form",
                                      "_selected_action": [w.taggit_tag.pk]})  # fmt: skip
    yield Case("taggit.Tag merge", "taggit.Tag", "merge-tags/", _admin("taggit_tag_merge_tags"),
               lambda w: {"new_tag_name": "Fusion forgée"})  # fmt: skip


def editorial_cases():
    yield from simple_model_cases(
        "articles.ArticleEvent", "articles_articleevent", lambda w: w.article_event,
        lambda w: {"action": "publish", "to_status": "published", "note": "forgé"}, NOBODY, NOBODY,
    )  # fmt: skip
    yield from simple_model_cases(
        "articles.Section", "articles_section", lambda w: w.empty_section,
        lambda w: {"name": "Rubrique forgée", "slug": "rubrique-forgee", "description": "",
                   "position": "3"},
        EDITORS, CHIEF_ONLY,
        changelist_data=lambda w: {
            "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000", "form-0-id": w.empty_section.pk,
            "form-0-position": "42", "_save": "Enregistrer"},
    )  # fmt: skip
    yield from simple_model_cases(
        "articles.Author", "articles_author", lambda w: w.author,
        lambda w: {"name": "Auteur forgé", "slug": "auteur-forge", "bio": "forgé", "user": ""},
        EDITORS, CHIEF_ONLY,
    )  # fmt: skip
    yield from simple_model_cases(
        "articles.GenreTag", "articles_genretag", lambda w: w.tag,
        lambda w: {"name": "Genre forgé", "slug": "genre-forge"}, EDITORS, EDITORS,
    )  # fmt: skip


def import_cases():
    yield from simple_model_cases(
        "imports.OldAddress", "imports_oldaddress",
        lambda w: OldAddress.objects.get(path="/ancienne-adresse/"),
        lambda w: {"path": "/adresse-forgee/", "article": w.articles["published"].pk},
        EDITORS, EDITORS,
    )  # fmt: skip


def credit_queue_cases():
    label, prefix = "photos.PhotoToCredit", "photos_phototocredit"
    yield from simple_model_cases(
        label, prefix, lambda w: w.uncredited_photo, lambda w: {}, NOBODY, NOBODY
    )
    yield Case("photo queue credit", label, "action:credit_selected",
               _admin(f"{prefix}_changelist"),
               photo_action("credit_selected", target="uncredited_photo", credit="© Forgé"),
               EDITORS, control="editor")  # fmt: skip


def site_cases():
    yield Case("admin password_change", "", "password_change/", _admin("password_change"),
               lambda w: {"old_password": "motdepasse-de-test", "new_password1": "Nouveau-123!xyz",
                          "new_password2": "Nouveau-123!xyz"},
               STAFF, control="writer")  # fmt: skip


# Apps whose admin no editorial role may use at all (asserted below): every URL
# and action of their ModelAdmins is refused to everyone but superusers.
PROJECT_APPS = {"articles", "photos", "takedowns", "auth", "taggit", "imports"}


def foreign_admin_cases():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in PROJECT_APPS:
            continue
        label, prefix = model._meta.label, f"{model._meta.app_label}_{model._meta.model_name}"
        target = lambda w, model=model: model._default_manager.first() or model(pk=1)  # noqa: E731
        yield from simple_model_cases(label, prefix, target, lambda w: {}, NOBODY, NOBODY)
        for name in model_admin.actions or []:
            name = getattr(name, "__name__", name)
            yield Case(f"{label} action {name}", label, f"action:{name}",
                       _admin(f"{prefix}_changelist"),
                       lambda w, name=name, target=target: {
                           "action": name, "_selected_action": [target(w).pk]})  # fmt: skip


CASES = [
    *foreign_admin_cases(),
    *article_cases(),
    *editorial_cases(),
    *photo_cases(),
    *takedown_cases(),
    *auth_cases(),
    *import_cases(),
    *credit_queue_cases(),
    # taggit registers an admin for its own Tag model (the site uses GenreTag).
    *(taggit_cases() if Tag in admin.site._registry else []),
    *site_cases(),
]
CASES_BY_ID = {case.id: case for case in CASES}
assert len(CASES_BY_ID) == len(CASES), "duplicate case ids"

# Vulnerabilities found by these tests, reported with their fix: the pair is
# expected to fail until the fix is applied (strict: then the mark must go).
REVERT = (
    "simple_history's revert view (SimpleHistoryAdmin.history_form_view) only checks "
    "has_view_or_change_permission on the historical row, and a writer has view_article: "
    "their POST saves the old revision over any article (status and date included)"
)
PHOTO_ACTIONS = (
    "PhotoAdmin's hide/unhide/withdraw actions declare no permissions, so every user who "
    "can see the changelist (writers: view/change_photo) may hide, show again or withdraw "
    "(delete the files of) any photo"
)
TAG_MERGE = (
    "taggit's TagAdmin.merge_tags_view checks no permission (admin_view only checks "
    "is_staff): any staff POST creates a taggit Tag; the site uses GenreTag, not taggit.Tag"
)
# (case, role) pairs known to be vulnerable, as strict xfails; empty when all is fixed.
KNOWN: dict = {}


def _denied_params():
    for case in CASES:
        if case.readonly:
            continue
        for role in ROLES:
            if role in case.allowed:
                continue
            marks = []
            if (case.id, role) in KNOWN:
                marks = [pytest.mark.xfail(strict=True, reason=KNOWN[case.id, role])]
            yield pytest.param(role, case.id, id=f"{role} | {case.id}", marks=marks)


def _readonly_params():
    return [pytest.param(case.id, id=case.id) for case in CASES if case.readonly]


def _control_params():
    for case in CASES:
        if case.control:
            yield pytest.param(case.control, case.id, id=f"{case.control} | {case.id}")


def _post(world, role, case, *, with_token=True):
    client = csrf_client(world.users[role]) if with_token else _no_token_client(world, role)
    data = case.data(world)
    if with_token:
        data = {**data, "csrfmiddlewaretoken": client.csrf_token}
    before = snapshot()
    response = client.post(case.url(world), data)
    return response, before, snapshot()


def _no_token_client(world, role):
    client = Client(enforce_csrf_checks=True)
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def _decide_permission():
    return Permission.objects.get(codename="decide_notice")


@pytest.mark.parametrize(("role", "case_id"), list(_denied_params()))
def test_forged_post_is_refused_and_changes_nothing(world, role, case_id):
    case = CASES_BY_ID[case_id]
    response, before, after = _post(world, role, case)
    assert changes(before, after) == [], f"{role} changed data through {case.url(world)}"
    if role == "anonymous":
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    elif response.status_code == 302:
        # Django's own refusals: "object does not exist" (to the index) and
        # "no action selected" (back to the changelist); the snapshot above is the proof.
        assert response["Location"].startswith("/admin/"), response["Location"]
    elif case.pattern.startswith("action:") and response.status_code == 200:
        # An action the user may not run is not even offered: the changelist is
        # shown again, without it.
        action = case.pattern.removeprefix("action:")
        assert f'<option value="{action}"' not in response.content.decode()
    else:
        assert response.status_code in REFUSED, response.status_code


@pytest.mark.parametrize("case_id", _readonly_params())
def test_post_to_read_only_admin_view_changes_nothing_whoever_sends_it(world, case_id):
    """Views that only show things (history, compare, evidence download, object
    redirect…): a POST from any role changes nothing; anonymous visitors are
    sent to the login page (the evidence view answers 404 to anyone else)."""
    case = CASES_BY_ID[case_id]
    for role in ROLES:
        response, before, after = _post(world, role, case)
        assert changes(before, after) == [], role
        assert response.status_code < 500, role
        if role == "anonymous" and case.id != "notice evidence":
            assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize(("role", "case_id"), list(_control_params()))
def test_allowed_role_without_csrf_token_is_refused_but_with_it_succeeds(
    world, role, case_id, django_capture_on_commit_callbacks
):
    """Positive control: the forged data above is valid (this role's POST changes
    something), and the same POST without a CSRF token is a 403 changing nothing."""
    case = CASES_BY_ID[case_id]
    response, before, after = _post(world, role, case, with_token=False)
    assert response.status_code == 403
    assert changes(before, after) == []
    response, before, after = _post(world, role, case)
    assert response.status_code in (200, 302), response.status_code
    assert changes(before, after), f"{role}'s POST to {case.url(world)} changed nothing"


# Completeness: every URL and action of every registered ModelAdmin has a case --------


def test_every_admin_url_and_action_is_covered():
    covered = {(case.model, case.pattern) for case in CASES}
    missing = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        for pattern in model_admin.get_urls():
            if isinstance(pattern, URLPattern) and (label, str(pattern.pattern)) not in covered:
                missing.append(f"{label} {pattern.pattern}")
        actions = [getattr(a, "__name__", a) for a in model_admin.actions or []]
        for name in [*actions, *(name for name, _f in admin.site.actions)]:
            if (label, f"action:{name}") not in covered:
                missing.append(f"{label} action {name}")
    assert missing == [], "admin URLs or actions without a forged-POST case: " + ", ".join(missing)


def test_no_role_has_any_permission_on_foreign_admin_apps():
    foreign = {m._meta.app_label for m in admin.site._registry} - PROJECT_APPS
    granted = Permission.objects.filter(
        group__name__in=[WRITER, EDITOR, CHIEF], content_type__app_label__in=foreign
    )
    assert list(granted.values_list("codename", flat=True)) == []


def test_every_role_is_refused_somewhere_and_the_report_lists_the_pairs():
    pairs = [p.values for p in _denied_params()]
    assert {role for role, _case in pairs} == set(ROLES)
    assert len(pairs) >= 150


# Public URLs ------------------------------------------------------------------------


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        else:
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield prefix + str(entry.pattern), name


def _public_kwargs(world):
    article = world.articles["published"]
    date = article.publication_date
    photo = world.photo
    return {
        "articles:archive-year": {"year": f"{date.year}"},
        "articles:archive-month": {"year": f"{date.year}", "month": f"{date.month:02d}"},
        "articles:archive-day": {"year": f"{date.year}", "month": f"{date.month:02d}",
                                 "day": f"{date.day:02d}"},
        "articles:detail": {"year": f"{date.year}", "month": f"{date.month:02d}",
                            "day": f"{date.day:02d}", "slug": article.slug},
        "articles:section": {"slug": world.section.slug},
        "articles:section-rss": {"slug": world.section.slug},
        "articles:section-atom": {"slug": world.section.slug},
        "articles:tag": {"slug": world.tag.slug},
        "articles:tag-rss": {"slug": world.tag.slug},
        "articles:tag-atom": {"slug": world.tag.slug},
        "articles:author": {"slug": world.author.slug},
        "articles:preview": {"pk": world.articles["others_draft"].pk},
        "photos:credits": {"slug": photo.photographer_slug or "jeanne-objectif"},
        "sitemap-section": {"section": "articles"},
        # Forged secrets: a confirmation signature and a tracking token nobody was sent.
        "takedowns:confirm": {"signature": world.signature[:-6] + "AAAAAA"},
        "takedowns:tracking": {"token": "A" * 43},
    }  # fmt: skip


def _public_data(world):
    return {
        "takedowns:tracking": {"kind": "complement", "text": "Complément forgé"},
        "set_language": {"language": "en", "next": "/"},
    }


# The notice form is the one public form anyone may post: see the CSRF tests below.
PUBLIC_ALLOWED = {"takedowns:notice"}


def public_patterns():
    for regex, name in _walk(get_resolver().url_patterns):
        if not regex.startswith("admin/") and name not in PUBLIC_ALLOWED:
            yield regex, name


@pytest.mark.parametrize(("regex", "name"), list(public_patterns()), ids=lambda v: v or "-")
def test_anonymous_post_to_public_url_changes_nothing(world, regex, name):
    if not name:  # the media files (SERVE_MEDIA): a file of the world
        url = world.photo.image.url
    else:
        url = reverse(name, kwargs=_public_kwargs(world).get(name))
    client = csrf_client()
    data = {**_public_data(world).get(name, {}), "csrfmiddlewaretoken": client.csrf_token}
    before = snapshot()
    response = client.post(url, data)
    assert changes(before, snapshot()) == [], url
    assert response.status_code < 500
    if name in ("takedowns:confirm", "takedowns:tracking"):
        assert response.status_code == 404
    if name == "articles:preview":
        assert response.status_code in (404, 405)


PUBLIC_FORMS = {
    "notice form": (
        lambda w: reverse("takedowns:notice"),
        lambda w: {"name": "Jeanne Objectif", "email": "jo@objectif-photo.fr",
                   "capacity": "photographer", "photo_ids": str(w.photo.pk), "kind": "withdraw",
                   "explanation": "Ma photo, publiée sans autorisation.",
                   "original_work": "https://objectif-photo.fr/1", "good_faith": "on"},
    ),
    "confirmation": (lambda w: reverse("takedowns:confirm", args=[w.signature]), lambda w: {}),
    "tracking complement": (
        lambda w: reverse("takedowns:tracking", args=[w.incomplete_token]),
        lambda w: {"kind": "complement", "text": "Voici l'œuvre originale."},
    ),
}  # fmt: skip


@pytest.mark.parametrize("form", sorted(PUBLIC_FORMS))
def test_public_form_without_csrf_token_is_refused_and_with_it_works(world, form):
    url, data = (make(world) for make in PUBLIC_FORMS[form])
    before = snapshot()
    assert Client(enforce_csrf_checks=True).post(url, data).status_code == 403
    assert changes(before, snapshot()) == []
    client = csrf_client()
    response = client.post(url, {**data, "csrfmiddlewaretoken": client.csrf_token})
    assert response.status_code == 302
    assert changes(before, snapshot())


def test_set_language_without_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 403 and "django_language" not in response.cookies
    client = csrf_client()
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": client.csrf_token}
    )
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"


def test_logout_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["editor"])
    assert client.post("/admin/logout/").status_code == 403
    assert client.get("/admin/").status_code == 200  # still logged in


def test_login_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/admin/login/", {"username": "editeur", "password": "motdepasse-de-test"}
    )
    assert response.status_code == 403
    assert client.get("/admin/").status_code == 302


def test_session_from_before_a_password_change_is_refused(world):
    """A forged or stolen session stops working once the password changes."""
    user = type(world.users["writer"]).objects.get(pk=world.users["writer"].pk)
    stolen = Client()
    stolen.force_login(user)
    user.set_password("Un-autre-123!xyz")
    user.save()
    assert stolen.get("/admin/").status_code == 302
