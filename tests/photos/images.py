"""Real images for photo tests, generated with Pillow: structured pictures
(gradient, shapes, fixed-seed noise) rather than flat colours, so that
perceptual hashes and re-encoding behave as they do with photographs."""

import io
import random
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageOps


def picture(seed: int, size: tuple[int, int] = (960, 640)) -> Image.Image:
    rng = random.Random(seed)
    width, height = size

    def colour():
        return tuple(rng.randrange(256) for _ in range(3))

    gradient = Image.linear_gradient("L").rotate(rng.choice([0, 90, 180, 270])).resize(size)
    image = ImageOps.colorize(gradient, colour(), colour())
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(min(size) // 12, min(size) // 3)
        box = [x - r, y - r, x + r, y + r]
        shape = rng.choice(["ellipse", "rectangle", "polygon"])
        if shape == "polygon":
            points = [(x + rng.randint(-r, r), y + rng.randint(-r, r)) for _ in range(5)]
            draw.polygon(points, fill=colour())
        else:
            getattr(draw, shape)(box, fill=colour())
    noise = Image.frombytes("L", size, rng.randbytes(width * height)).convert("RGB")
    return Image.blend(image, noise, 0.08)


def encode(image: Image.Image, fmt: str = "JPEG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg(seed: int = 1, size: tuple[int, int] = (960, 640), **options) -> bytes:
    return encode(picture(seed, size), "JPEG", quality=options.pop("quality", 88), **options)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def bomb_png(width: int = 10_000, height: int = 5_000) -> bytes:
    """A valid 1-bit PNG of width x height pixels that weighs a few kilobytes:
    written chunk by chunk, so creating it never holds the pixels in memory."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\x00" * ((width + 7) // 8)  # filter byte, then packed bits
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )
