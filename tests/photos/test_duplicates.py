"""Perceptual hash (dHash): the same picture resized and recompressed is found;
a different picture is not; a withdrawn picture cannot come back."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from photos import imaging, services
from photos.models import Photo
from tests.photos import images
from tests.photos.conftest import stored_files

pytestmark = pytest.mark.django_db


def smaller_copy(data: bytes) -> bytes:
    """What a site copying our photo would serve: half the size, JPEG quality 60."""
    image = Image.open(io.BytesIO(data))
    half = image.resize((image.width // 2, image.height // 2), Image.Resampling.BICUBIC)
    return images.encode(half, "JPEG", quality=60)


def test_dhash_is_64_bits_and_stable():
    picture = images.picture(7)
    assert imaging.dhash(picture) == imaging.dhash(picture.copy())
    assert len(imaging.dhash(picture)) == 16
    assert imaging.hamming("0000000000000000", "ffffffffffffffff") == 64


def test_resized_recompressed_copy_is_a_likely_duplicate(uploaded):
    original_data = images.jpeg(1, (1200, 800))
    original = uploaded(1, data=original_data)
    copy = uploaded(1, data=smaller_copy(original_data), title="Copie")
    unrelated = uploaded(2)
    assert copy.likely_duplicates() == [original]
    assert original.likely_duplicates() == [copy]
    assert unrelated.likely_duplicates() == []
    assert imaging.hamming(original.phash, unrelated.phash) > 10


def test_copy_of_a_withdrawn_photo_is_refused(uploaded):
    original_data = images.jpeg(1, (1200, 800))
    original = uploaded(1, data=original_data, title="Affiche retirée", credit="© Agence X")
    services.withdraw_photo(photo=original, reason="Demande de l'agence X")
    before = stored_files()
    with pytest.raises(ValidationError) as refused:
        uploaded(1, data=smaller_copy(original_data), title="Nouvelle tentative")
    message = refused.value.messages[0]
    assert "ressemble à une photo retirée" in message
    assert "« Affiche retirée »" in message and "« © Agence X »" in message
    assert Photo.objects.count() == 1
    assert stored_files() == before
    assert uploaded(2).pk  # an unrelated picture is still welcome
