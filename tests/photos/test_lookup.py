"""Finding a photo from a copy of its picture (photos.lookup): the lookup hash
survives resizing, recompression, a crop of a few percent and a mirror flip;
unrelated pictures do not match; the index follows the library's changes."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from photos import imaging, lookup
from photos import services as photo_services
from photos.models import Photo
from tests.photos import images

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index(settings, tmp_path):
    settings.PHOTO_PRIVATE_ROOT = tmp_path / "private"
    lookup.reset()
    yield
    lookup.reset()


def copy(picture: Image.Image, crop=(0, 0, 0, 0), scale=0.5, mirror=False, quality=60) -> bytes:
    w, h = picture.size
    left, top, right, bottom = crop
    box = (round(left * w), round(top * h), w - round(right * w), h - round(bottom * h))
    picture = picture.crop(box)
    picture = picture.resize((round(picture.width * scale), round(picture.height * scale)))
    if mirror:
        picture = picture.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return images.encode(picture, "JPEG", quality=quality)


def query(data: bytes, name="copie.jpg") -> lookup.Query:
    return lookup.analyse(images.upload(name, data))


def add(seed, **fields):
    fields.setdefault("alt_text", "Une scène")
    fields.setdefault("credit", f"© Studio {seed}")
    return photo_services.upload_photo(
        file=images.upload("photo.jpg", images.jpeg(seed, (1200, 800))), **fields
    )


def test_prepared_uploads_carry_a_lookup_hash_and_the_index_stores_missing_ones():
    prepared = imaging.prepare(images.picture(1, (1200, 800)), "JPEG")
    assert len(prepared.lookup_hash) == 64
    photo = add(1)
    lookup.index()
    assert Photo.objects.get(pk=photo.pk).lookup_hash


@pytest.mark.parametrize(
    "transform",
    [
        {},
        {"scale": 0.3, "quality": 40},
        {"crop": (0.05, 0.05, 0.05, 0.05)},
        {"crop": (0.05, 0, 0, 0.03), "mirror": True},
        {"crop": (0, 0.04, 0.05, 0), "scale": 0.8, "quality": 90},
        {"mirror": True, "scale": 0.35},
    ],
)
def test_transformed_copies_find_their_photo(transform):
    photos = [add(seed) for seed in (1, 2, 3)]
    found = lookup.find(query(copy(images.picture(2, (1200, 800)), **transform)))
    assert [m.photo_id for m in found] == [photos[1].pk]


def test_unrelated_pictures_find_nothing():
    for seed in range(1, 6):
        add(seed)
    for seed in range(100, 110):
        assert lookup.find(query(images.jpeg(seed, (900, 600)))) == []


def test_hash_differs_from_dhash_on_cropped_copies():
    """What the lookup hash is for: dHash of the whole picture moves beyond
    any safe threshold under a crop of 5 % per side; the lookup hash lines up."""
    picture = images.picture(7, (1200, 800))
    cropped = Image.open(io.BytesIO(copy(picture, crop=(0.05, 0.05, 0.0, 0.0))))
    stored = imaging.lookup_words(imaging.lookup_hash(picture))
    best = min(
        int(sum(int(w).bit_count() for w in (row ^ stored)))
        for row in imaging.lookup_candidates(cropped)
    )
    assert best <= lookup.MATCH_DISTANCE - 5
    whole = imaging.hamming(imaging.dhash(picture), imaging.dhash(cropped))
    assert whole > 6  # more than imports' "same picture" distance: dHash alone misses it


def test_index_follows_new_and_withdrawn_photos(django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(lookup, "FULL_CHECK_SECONDS", 0)  # changes other than new photos too
    first = add(1)
    assert [m.photo_id for m in lookup.find(query(images.jpeg(1, (600, 400))))] == [first.pk]
    second = add(2)  # added after the index was built
    assert [m.photo_id for m in lookup.find(query(images.jpeg(2, (600, 400))))] == [second.pk]
    with django_capture_on_commit_callbacks(execute=True):
        photo_services.withdraw_photo(photo=second, reason="test")
    assert lookup.find(query(images.jpeg(2, (600, 400)))) == []


def test_photos_without_a_hash_are_hashed_when_the_index_refreshes():
    photo = add(3)
    Photo.objects.filter(pk=photo.pk).update(lookup_hash="")
    assert [m.photo_id for m in lookup.find(query(images.jpeg(3, (600, 400))))] == [photo.pk]
    assert len(Photo.objects.get(pk=photo.pk).lookup_hash) == 64


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("notes.jpg", b"hello, not a picture", "unreadable"),
        ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "extension"),
        ("fausse.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "markup"),
        ("bombe.png", images.bomb_png(), "too_many_pixels"),
        ("vide.jpg", b"", "empty"),
        ("image.png", images.jpeg(1, (200, 100)), "extension_mismatch"),
    ],
)
def test_bad_files_get_the_upload_messages(name, data, code):
    with pytest.raises(ValidationError) as error:
        query(data, name)
    assert error.value.code == code


def test_exif_orientation_is_applied_before_hashing():
    photo = add(4)
    picture = images.picture(4, (1200, 800)).rotate(90, expand=True)  # stored sideways
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    data = images.encode(picture.resize((400, 600)), "JPEG", quality=80, exif=exif.tobytes())
    assert [m.photo_id for m in lookup.find(query(data))] == [photo.pk]


def test_new_photos_are_seen_at_once_other_changes_within_the_check_interval(
    django_capture_on_commit_callbacks,
):
    first = add(1)
    assert len(lookup.find(query(images.jpeg(1, (600, 400))))) == 1
    with django_capture_on_commit_callbacks(execute=True):
        photo_services.withdraw_photo(photo=first, reason="test")
    second = add(2)  # a new pk: the index reads what changed, the withdrawal included
    assert lookup.find(query(images.jpeg(1, (600, 400)))) == []
    assert [m.photo_id for m in lookup.find(query(images.jpeg(2, (600, 400))))] == [second.pk]


def test_a_large_copy_is_decoded_at_a_reduced_scale_and_still_found():
    photo = add(5)
    large = images.picture(5, (1200, 800)).resize((3600, 2400), Image.Resampling.BICUBIC)
    found = lookup.find(query(images.encode(large, "JPEG", quality=85)))
    assert [m.photo_id for m in found] == [photo.pk]
    assert found[0].distance <= lookup.MATCH_DISTANCE - 10
