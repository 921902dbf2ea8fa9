"""Image files in and out: what an upload must be, its cleaned original, and its renditions.

Pure functions over bytes and Pillow images (no model, no storage): the models and services of
this app decide where the results go. Every upload is decoded in full before anything is kept,
so a file that only looks like an image, a truncated one or a decompression bomb is refused
with a sentence an editor can act on, and the original is written again without its metadata
(EXIF: camera, place, time), turned upright first.
"""

import io
import warnings
from dataclasses import dataclass

from PIL import Image as PillowImage
from PIL import ImageOps, UnidentifiedImageError

# What editors may upload. SVG is not among them: it is a document that can carry script.
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF", "AVIF": "AVIF"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# 40 megapixels: more than any camera photo an article needs, far below what would let a small
# file expand into gigabytes of memory (a "decompression bomb").
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000

# Rendition widths: each image is kept at these widths (never wider than the original), as
# WebP and as a JPEG or PNG fallback; crops are cut around the editor's focal point.
WIDTHS = (480, 800, 1200, 1600, 2000)
CARD_WIDTHS = (480, 800, 1200)
CARD_RATIO = (16, 9)
SOCIAL_SIZE = (1200, 630)
WEBP_QUALITY = 80
JPEG_QUALITY = 82


class ImageRejected(ValueError):
    """The upload is not an image we keep; the message says why, in an editor's words."""


@dataclass
class CleanUpload:
    """An accepted upload: its original without metadata, and what it is."""

    content: bytes
    format: str  # Pillow's name: JPEG, PNG, WEBP...
    width: int
    height: int

    @property
    def extension(self):
        return {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "png", "AVIF": "avif"}[
            self.format
        ]


def _megabytes(size):
    return f"{size / 1024 / 1024:.0f} MB"


def clean_upload(data, *, name=""):
    """Check the bytes of an upload and return a :class:`CleanUpload`; raise ImageRejected."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageRejected(
            f"This file is {_megabytes(len(data))}; images may be at most "
            f"{_megabytes(MAX_UPLOAD_BYTES)}. Export it smaller (2,000 pixels wide is plenty)."
        )
    if not data:
        raise ImageRejected("This file is empty.")
    head = data[:1024].lstrip().lower()
    if name.lower().endswith(".svg") or head.startswith((b"<svg", b"<?xml")):
        raise ImageRejected(
            "SVG files are not accepted: they are documents that can run script. Upload a PNG "
            "or WebP export of it instead."
        )
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check warns, then refuses; both are a refusal here.
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            probe = PillowImage.open(io.BytesIO(data))
    except UnidentifiedImageError as error:
        raise ImageRejected(
            "This file is not an image that can be read: upload a JPEG, PNG, WebP, GIF or AVIF."
        ) from error
    except (PillowImage.DecompressionBombWarning, PillowImage.DecompressionBombError) as error:
        raise ImageRejected(
            f"This image has too many pixels; images may have at most "
            f"{MAX_PIXELS // 1_000_000} megapixels and {MAX_SIDE:,} pixels on a side."
        ) from error
    if probe.format not in ACCEPTED_FORMATS:
        raise ImageRejected(
            f"{probe.format} images are not accepted: upload a JPEG, PNG, WebP, GIF or AVIF."
        )
    width, height = probe.size
    # Checked from the header, before anything is decoded.
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        raise ImageRejected(
            f"This image is {width:,} × {height:,} pixels; images may have at most "
            f"{MAX_PIXELS // 1_000_000} megapixels and {MAX_SIDE:,} pixels on a side."
        )
    try:
        with PillowImage.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            source_format = image.format
    except (OSError, SyntaxError, ValueError, PillowImage.DecompressionBombError) as error:
        raise ImageRejected(
            "This image file is damaged or incomplete (it could not be read to the end). "
            "Export it again and upload the new file."
        ) from error
    return _reencode(upright, source_format)


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def _reencode(image, source_format):
    """The image written again with nothing but its pixels (and colour profile)."""
    keep = {}
    if image.info.get("icc_profile"):
        keep["icc_profile"] = image.info["icc_profile"]
    target = "PNG" if source_format == "GIF" else source_format
    if target == "JPEG":
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    out = io.BytesIO()
    options = {"JPEG": {"quality": 92}, "WEBP": {"quality": 92}, "AVIF": {"quality": 85}}
    image.save(out, format=target, **options.get(target, {}), **keep)
    return CleanUpload(out.getvalue(), target, image.width, image.height)


@dataclass(frozen=True)
class Rendition:
    """One file made from an image: its name within the image's folder, size and type."""

    name: str
    width: int
    height: int
    mime: str
    content: bytes


def _crop_box(width, height, ratio, focal):
    """The largest box of ``ratio`` (w, h) inside the image, centred on ``focal`` (0..1) as
    far as the edges allow."""
    target = ratio[0] / ratio[1]
    if width / height > target:
        crop_w, crop_h = round(height * target), height
    else:
        crop_w, crop_h = width, round(width / target)
    left = min(max(round(focal[0] * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(focal[1] * height - crop_h / 2), 0), height - crop_h)
    return left, top, left + crop_w, top + crop_h


def _encode(image, kind):
    out = io.BytesIO()
    if kind == "webp":
        image.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
        return out.getvalue(), "image/webp"
    if kind == "png":
        image.save(out, format="PNG", optimize=True)
        return out.getvalue(), "image/png"
    image.convert("RGB").save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue(), "image/jpeg"


def _resized(image, width):
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), PillowImage.Resampling.LANCZOS)


def renditions(content, *, focal=(0.5, 0.5)):
    """Every rendition of the cleaned original ``content``, by name.

    ``w<width>.<ext>``: the whole image; ``card-w<width>.<ext>``: a 16:9 crop for cards and
    headers; ``social.jpg``: 1200 × 630 for link previews. Each width as WebP and as JPEG (PNG
    when the image has transparency); never wider than the original.
    """
    with PillowImage.open(io.BytesIO(content)) as source:
        source.load()
        fallback = "png" if _has_alpha(source) else "jpg"
        image = source.convert("RGBA" if fallback == "png" else "RGB")
    made = []

    def add(name, picture):
        for kind in ("webp", fallback):
            data, mime = _encode(picture, kind)
            made.append(Rendition(f"{name}.{kind}", picture.width, picture.height, mime, data))

    for width in _widths(WIDTHS, image.width):
        add(f"w{width}", _resized(image, width) if width < image.width else image)
    card = image.crop(_crop_box(image.width, image.height, CARD_RATIO, focal))
    for width in _widths(CARD_WIDTHS, card.width):
        add(f"card-w{width}", _resized(card, width) if width < card.width else card)
    social = image.crop(_crop_box(image.width, image.height, SOCIAL_SIZE, focal)).resize(
        SOCIAL_SIZE, PillowImage.Resampling.LANCZOS
    )
    data, mime = _encode(social, "jpg")
    made.append(Rendition("social.jpg", *SOCIAL_SIZE, mime, data))
    return made


def _widths(widths, available):
    """The widths below ``available``, then ``available`` itself (or the largest width)."""
    chosen = [width for width in widths if width < available]
    top = min(available, widths[-1])
    if not chosen or chosen[-1] != top:
        chosen.append(top)
    return chosen
