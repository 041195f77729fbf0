"""Safe uploads: every bad kind of file is refused with a clear French message
before anything is stored; accepted files are cleaned of their metadata."""

import io
import re
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from PIL import ExifTags, Image

from photos import services
from photos.models import Photo
from photos.validation import validate_upload
from tests.photos import images
from tests.photos.conftest import stored_files

SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"\n<!DOCTYPE html><html><body><script>document.cookie</script></body></html>"


def bad_files():
    """(file name, content, expected code, words the message must contain)."""
    photo = images.jpeg(1, (640, 480))
    return [
        ("bombe.png", images.bomb_png(), "too_many_pixels", "50 mégapixels"),
        ("tronquee.jpg", photo[: len(photo) // 2], "damaged", "incomplète ou endommagée"),
        ("affiche.jpg", images.encode(images.picture(2), "PNG"), "extension_mismatch",
         "est une image PNG, mais son nom se termine par « .jpg »"),
        ("logo.png", SVG, "markup", "document texte (SVG, HTML ou XML)"),
        ("page.jpg", HTML, "markup", "document texte (SVG, HTML ou XML)"),
        ("vide.jpg", b"", "empty", "Le fichier est vide."),
        ("bruit.jpg", bytes(range(256)) * 40, "unreadable", "n'est pas une image"),
        ("photo.bmp", images.encode(images.picture(3), "BMP"), "extension", "extension"),
    ]  # fmt: skip


@pytest.mark.parametrize(("name", "data", "code", "words"), bad_files())
@pytest.mark.django_db
def test_bad_files_are_refused_with_a_clear_message(name, data, code, words):
    before = stored_files()
    with pytest.raises(ValidationError) as refused:
        services.upload_photo(file=images.upload(name, data), alt_text="x", credit="© x")
    assert refused.value.code == code
    assert words in refused.value.messages[0]
    assert Photo.objects.count() == 0
    assert stored_files() == before


def test_oversized_file_is_refused_before_being_read():
    # Over the real 20 MB default; only the first bytes look like a JPEG.
    data = b"\xff\xd8\xff\xe0" + bytes(20 * 1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        validate_upload(images.upload("lourde.jpg", data))
    assert refused.value.code == "too_large"
    assert refused.value.messages[0] == (
        "Le fichier est trop lourd (20,0\xa0Mo) : la limite est de 20,0\xa0Mo."
    )


class CountingBytes(io.BytesIO):
    """Counts how many bytes validation reads from the file."""

    bytes_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def test_bomb_is_refused_from_its_header_without_decoding():
    data = images.bomb_png(10_000, 5_000)  # 50 megapixels in 6 KB
    source = CountingBytes(data)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as refused:
            validate_upload(File(source, name="bombe.png"))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.messages[0] == (
        "L'image est trop grande : 10000 × 5000 pixels (50 mégapixels) ; "
        "la limite est de 40 mégapixels."
    )
    assert peak < 100 * 1024 * 1024
    # tracemalloc does not see Pillow's pixel buffers (allocated in C): what proves
    # nothing was decoded is that the compressed pixel data was never read.
    assert source.bytes_read < 4096 < len(data)


def test_pixel_limit_comes_from_settings(settings):
    settings.PHOTO_MAX_PIXELS = 100 * 100
    with pytest.raises(ValidationError, match="la limite est de 0.01 mégapixels"):
        validate_upload(images.upload("a.jpg", images.jpeg(1, (101, 100))))
    assert validate_upload(images.upload("b.jpg", images.jpeg(1, (100, 100)))).width == 100


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("photo.jpeg", lambda: images.jpeg(4, (400, 300))),
        ("photo.PNG", lambda: images.encode(images.picture(4, (400, 300)).convert("RGBA"), "PNG")),
        ("photo.webp", lambda: images.encode(images.picture(4, (400, 300)), "WEBP")),
        ("photo.gif", lambda: images.encode(images.picture(4, (400, 300)).convert("P"), "GIF")),
        ("cmyk.jpg", lambda: images.encode(images.picture(4, (400, 300)).convert("CMYK"), "JPEG")),
        ("gris.jpg", lambda: images.encode(images.picture(4, (400, 300)).convert("L"), "JPEG")),
    ],
)
def test_accepted_formats_are_stored_as_clean_rgb_jpeg(name, make):
    prepared = validate_upload(images.upload(name, make()))
    stored = Image.open(io.BytesIO(prepared.data))
    assert (stored.format, stored.mode, stored.size) == ("JPEG", "RGB", (400, 300))
    assert re.fullmatch(r"[0-9a-f]{16}", prepared.phash)


def test_transparent_png_is_flattened_on_white():
    image = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    prepared = validate_upload(images.upload("logo.png", images.encode(image, "PNG")))
    assert Image.open(io.BytesIO(prepared.data)).getpixel((20, 20)) >= (250, 250, 250)


def exif_jpeg() -> bytes:
    """A landscape JPEG whose camera was held upright (orientation 6), with GPS and XMP.
    A red block marks the top-left corner of the pixels as stored."""
    image = images.picture(5, (300, 200))
    image.paste((255, 0, 0), (0, 0, 60, 60))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Appareil"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 24.0)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">position secrete</x:xmpmeta>'
    data = images.encode(image, "JPEG", quality=92, exif=exif, xmp=xmp)
    check = Image.open(io.BytesIO(data))
    assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test file really has GPS
    return data


def assert_no_metadata(data: bytes):
    image = Image.open(io.BytesIO(data))
    assert not image.getexif()
    assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment"} & set(image.info)
    assert b"Exif\x00\x00" not in data and b"position secrete" not in data


@pytest.mark.django_db(transaction=False)
def test_exif_orientation_applied_and_metadata_stripped(uploaded):
    photo = uploaded(data=exif_jpeg(), name="IMG_1234.jpg")
    assert (photo.width, photo.height) == (200, 300)  # upright: portrait
    assert "IMG_1234" not in photo.image.name
    with default_storage.open(photo.image.name) as stored:
        data = stored.read()
    original = Image.open(io.BytesIO(data))
    assert original.size == (200, 300)
    red = original.getpixel((180, 20))  # top-left of the sensor is now top-right
    assert red[0] > 200 and red[1] < 60 and red[2] < 60
    assert_no_metadata(data)
    renditions = list(photo.renditions.all())
    assert {r.format for r in renditions} == {"jpeg", "webp"}
    for rendition in renditions:
        with default_storage.open(rendition.file.name) as stored:
            assert_no_metadata(stored.read())
