"""Pure image work with Pillow: normalising an accepted upload, renditions,
the perceptual hash used to spot the same picture uploaded again, and the
finer hash that finds a photo from a cropped or mirrored copy of it.

Nothing here touches the database or storage; services.py does that."""

import io
import itertools
import secrets
from dataclasses import dataclass

import numpy as np
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
    lookup_hash: str = ""


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
        lookup_hash=lookup_hash(clean),
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


# The lookup hash ------------------------------------------------------------------------
#
# dHash of the whole picture misses copies cropped by a few percent: the 9x8 grid
# moves under the picture. The lookup hash is a 16x16 dHash (256 bits) of the
# picture's centre, LOOKUP_MARGIN in from each side. A copy cropped by up to that
# margin on any side still contains this centre; the query side does not know
# the crop, so it hashes the centre for a grid of possible crops (LOOKUP_STEPS per
# side, half a step from any real crop) and of the mirrored picture: 32 hashes,
# one of which lines up with the stored one within a resampling's error.

LOOKUP_MARGIN = 0.05
LOOKUP_STEPS = (0.0125, 0.0375)  # crops per side tried at lookup: 0-2.5 % and 2.5-5 %
LOOKUP_WORDS = 4  # 256 bits as four 64-bit words
_LOOKUP_SIDE = 160  # pictures are reduced to this many pixels on their long side first
_BIT_WEIGHTS = np.array([1 << (63 - k) for k in range(64)], dtype=np.uint64)


def _lookup_grey(image: Image.Image) -> Image.Image:
    grey = image.convert("L")
    scale = _LOOKUP_SIDE / max(grey.size)
    if scale < 1:
        size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
        grey = grey.resize(size, Image.Resampling.BOX)
    return grey


def _centre_words(grey: Image.Image, box: tuple[float, float, float, float]) -> np.ndarray:
    small = grey.resize((17, 16), Image.Resampling.BILINEAR, box=box)
    pixels = np.asarray(small, dtype=np.int16)
    bits = (pixels[:, :-1] > pixels[:, 1:]).reshape(LOOKUP_WORDS, 64).astype(np.uint64)
    return (bits * _BIT_WEIGHTS).sum(axis=1, dtype=np.uint64)


def lookup_hash(image: Image.Image) -> str:
    """The stored lookup hash of a whole picture: 64 hexadecimal digits."""
    grey = _lookup_grey(image)
    w, h = grey.size
    m = LOOKUP_MARGIN
    words = _centre_words(grey, (m * w, m * h, (1 - m) * w, (1 - m) * h))
    return "".join(f"{int(word):016x}" for word in words)


def lookup_words(value: str) -> np.ndarray:
    """A stored lookup hash as four uint64 words."""
    return np.array([int(value[i : i + 16], 16) for i in range(0, 64, 16)], dtype=np.uint64)


def lookup_candidates(image: Image.Image) -> np.ndarray:
    """Hashes of a query picture's centre for each crop it may have had, as is
    and mirrored: an array of shape (32, 4), uint64."""
    grey = _lookup_grey(image)
    rows = []
    m = LOOKUP_MARGIN
    for picture in (grey, grey.transpose(Image.Transpose.FLIP_LEFT_RIGHT)):
        w, h = picture.size
        for left, right, top, bottom in itertools.product(LOOKUP_STEPS, repeat=4):
            # The original's centre, in the coordinates of a copy cropped so.
            x0, x1 = (m - left) / (1 - left - right), (1 - m - left) / (1 - left - right)
            y0, y1 = (m - top) / (1 - top - bottom), (1 - m - top) / (1 - top - bottom)
            rows.append(_centre_words(picture, (x0 * w, y0 * h, x1 * w, y1 * h)))
    return np.array(rows, dtype=np.uint64)


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
