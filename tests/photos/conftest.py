import pytest
from django.core.files.storage import default_storage

from photos import services
from tests.photos import images


def stored_files(folder: str = "") -> set[str]:
    """Every file in media storage, listed through the Storage API."""
    if folder and not default_storage.exists(folder):
        return set()
    dirs, files = default_storage.listdir(folder)
    found = {f"{folder}/{name}".lstrip("/") for name in files}
    for sub in dirs:
        found |= stored_files(f"{folder}/{sub}".lstrip("/"))
    return found


@pytest.fixture
def uploaded():
    """Upload a real generated JPEG through the service the admin uses."""

    def make(seed=1, size=(1200, 800), name="photo.jpg", data=None, **fields):
        fields.setdefault("alt_text", "Une scène de film")
        fields.setdefault("credit", f"© Studio {seed} / Photo : Jeanne Objectif")
        fields.setdefault("title", f"Photo {seed}")
        data = data if data is not None else images.jpeg(seed, size)
        return services.upload_photo(file=images.upload(name, data), **fields)

    return make


def urls_of(photo) -> list[str]:
    return [photo.image.url, *(r.file.url for r in photo.renditions.all())]


def names_of(photo) -> list[str]:
    return [photo.image.name, *(r.file.name for r in photo.renditions.all())]
