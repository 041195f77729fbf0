"""Pure image work with Pillow: normalising an accepted upload, renditions,
and the perceptual hash used to spot the same picture uploaded again.

Nothing here touches the database or storage; services.py does that."""

import io
import secrets
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

ORIGINAL_QUALITY = 90
RENDITION_QUALITY = {"jpeg": 82, "webp": 80}
PIL_FORMATS = {"jpeg": "JPEG", "webp": "WEBP"}
# The colour space readers' screens assume when an image carries no profile.
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class PreparedImage:
    """An accepted upload, re-encoded: what gets stored as the original."""

    data: bytes
    width: int
    height: int
    phash: str
    source_format: str


def random_name(folder: str, extension: str) -> str:
    """An unguessable storage name that says nothing about the uploaded file's name."""
    return f"{folder}/{secrets.token_urlsafe(16)}.{extension}"


def normalise(image: Image.Image) -> tuple[Image.Image, bytes | None]:
    """Upright RGB pixels without any metadata, and the ICC profile worth keeping.

    Re-encoding from bare pixels is what strips EXIF, GPS, XMP, comments and the
    rest: only the colour profile is carried over, since colours change without it."""
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)  # an animated GIF is published as its first frame
    icc = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)  # always a new image: ours to modify
    if image.mode == "CMYK":
        image, icc = _cmyk_to_srgb(image, icc), None
    elif image.mode not in ("RGB", "RGBA", "P"):
        icc = None  # a grey profile does not describe the RGB pixels we produce
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        image = _flatten_on_white(image)
    elif image.mode != "RGB":
        image = image.convert("RGB")
    image.info = {}
    return image, icc


def _cmyk_to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            return ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError):
            pass
    return image.convert("RGB")


def _flatten_on_white(image: Image.Image) -> Image.Image:
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def encode(image: Image.Image, fmt: str, quality: int, icc: bytes | None) -> bytes:
    buffer = io.BytesIO()
    options = {"quality": quality}
    if fmt == "jpeg":
        options.update(optimize=True, progressive=True)
    else:
        options.update(method=4)
    if icc:
        options["icc_profile"] = icc
    image.save(buffer, PIL_FORMATS[fmt], **options)
    return buffer.getvalue()


def prepare(image: Image.Image, source_format: str) -> PreparedImage:
    """From a fully loaded, validated image to the bytes stored as the original."""
    clean, icc = normalise(image)
    return PreparedImage(
        data=encode(clean, "jpeg", ORIGINAL_QUALITY, icc),
        width=clean.width,
        height=clean.height,
        phash=dhash(clean),
        source_format=source_format,
    )


def dhash(image: Image.Image) -> str:
    """Difference hash: 64 bits saying, on a 9x8 grey thumbnail, whether each pixel
    is brighter than its right-hand neighbour. Survives resizing and recompression;
    differs by ~half its bits between unrelated pictures."""
    small = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS, reducing_gap=3.0)
    pixels = small.tobytes()  # one byte per pixel in mode L
    value = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            value = (value << 1) | (left > right)
    return f"{value:016x}"


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def rendition_widths(original_width: int, widths: list[int] | tuple[int, ...]) -> list[int]:
    """The configured widths, capped at the original's: never upscaled, no repeats."""
    return sorted({min(width, original_width) for width in widths}, reverse=True)


def load_for_renditions(data: io.BufferedIOBase, largest: int) -> tuple[Image.Image, bytes | None]:
    """Decode a stored original, letting libjpeg scale down while decoding when
    the renditions are much smaller. Originals stored by ``upload_photo`` are
    already clean; older ones (any accepted format) are normalised here."""
    image = Image.open(data, formats=["JPEG", "PNG", "WEBP", "GIF"])
    height = max(1, round(image.height * largest / image.width))
    image.draft("RGB", (largest, height))  # JPEG only; a no-op for other formats
    image.load()
    return normalise(image)


def resized(image: Image.Image, width: int) -> Image.Image:
    if width >= image.width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=2.0)
