"""Shared set-up for rights holders' requests: private folders under tmp_path,
a clean rate-limit cache, emails with links to the test server."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from PIL import Image

from photos import services as photo_services
from takedowns import services
from takedowns.models import Notice
from tests.factories import (
    CHIEF,
    EDITOR,
    WRITER,
    ArticleFactory,
    AuthorFactory,
    UserFactory,
)
from tests.photos import images

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _takedown_settings(settings, tmp_path):
    settings.PHOTO_PRIVATE_ROOT = tmp_path / "private" / "photos"
    settings.TAKEDOWN_PRIVATE_ROOT = tmp_path / "private" / "takedowns"
    settings.SITE_URL = "http://testserver"
    settings.SEARCH_INDEX_DIR = tmp_path / "index"  # indexing after commit stays here
    _reset_search_backends()
    cache.clear()
    yield
    cache.clear()


def _reset_search_backends():
    try:
        from search import backends
    except ImportError:  # pragma: no cover - the search app is optional here
        return
    if hasattr(backends, "reset"):
        backends.reset()


def smaller_copy(data: bytes) -> bytes:
    """What another page would show of the same picture: half size, recompressed."""
    image = Image.open(io.BytesIO(data))
    half = image.resize((image.width // 2, image.height // 2), Image.Resampling.BICUBIC)
    return images.encode(half, "JPEG", quality=60)


@pytest.fixture
def chief(db):
    return UserFactory(username="cheffe", email="cheffe@example.org", role=CHIEF)


@pytest.fixture
def editor(db):
    return UserFactory(username="editeur", role=EDITOR)


@pytest.fixture
def writer(db):
    return UserFactory(username="redactrice", role=WRITER)


@pytest.fixture
def upload(db):
    def make(seed=1, size=(1200, 800), data=None, **fields):
        fields.setdefault("alt_text", "Une scène de film")
        fields.setdefault("credit", f"© Studio {seed} / Photo : Jeanne Objectif")
        fields.setdefault("photographer", "Jeanne Objectif")
        fields.setdefault("title", f"Photo {seed}")
        data = data if data is not None else images.jpeg(seed, size)
        return photo_services.upload_photo(file=images.upload("photo.jpg", data), **fields)

    return make


@pytest.fixture
def published(db):
    """A published article showing ``photo`` as its lead photo, by an author
    who has an account."""

    def make(photo, title="Une critique", author_email="autrice@example.org", **kwargs):
        user = UserFactory(username=author_email.split("@")[0], email=author_email)
        author = AuthorFactory(user=user)
        return ArticleFactory(
            title=title,
            lead_photo=photo,
            authors=[author],
            published_at=kwargs.pop("published_at", datetime.datetime(2024, 5, 2, 9, tzinfo=PARIS)),
            **kwargs,
        )

    return make


def notice_data(photo=None, **overrides) -> dict:
    data = {
        "name": "Jeanne Objectif",
        "email": "jeanne@objectif-photo.fr",
        "organisation": "",
        "capacity": Notice.Capacity.PHOTOGRAPHER,
        "rights_holder": "",
        "kind": Notice.Kind.WITHDRAW,
        "explanation": "Cette photo est de moi et je n'ai jamais autorisé sa publication.",
        "original_work": "https://objectif-photo.fr/portfolio/festival-2019",
        "good_faith": True,
        "photos": [photo] if photo is not None else [],
    }
    data.update(overrides)
    return data


@pytest.fixture
def received(chief, django_capture_on_commit_callbacks):
    """A confirmed notice (in the queue) and its tracking token; its emails sent
    (they leave once the transaction commits)."""

    def make(photo=None, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            notice = services.submit_notice(**notice_data(photo, **overrides))
            token = services.confirm_notice(notice=notice)
        notice.refresh_from_db()
        return notice, token

    return make


def reasons(word="") -> services.Reasons:
    return services.Reasons(
        measure=f"Retrait de la photo n° concernée de toutes les pages {word}".strip(),
        facts="La photographe établit être l'autrice de la photo ; aucune licence n'a été trouvée.",
        ground="Droit d'auteur (art. L. 122-4 CPI) et engagement de la revue.",
    )
