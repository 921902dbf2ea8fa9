"""Pictures the site draws for itself: link-preview cards (1200 × 630) and the site's mark
(logo and touch icons), in the brand colour.

Pure drawing with Pillow and its built-in typeface, so nothing depends on the fonts a machine
happens to have. A card is a function of its words and the brand: :func:`card_key` names that,
so a card is drawn once and drawn again only when what it shows changes.
"""

import colorsys
import hashlib
import io
import json

from PIL import Image, ImageDraw, ImageFont

SIZE = (1200, 630)
MARGIN = 72
# Changes when the drawing changes, so every card gets a new name (they are cached for a year).
DESIGN_VERSION = 3
HIGHLIGHT = (255, 209, 102)  # the mark's dot, as in static/favicon.svg
WHITE = (255, 255, 255)


def card_key(card, *, site_name, brand):
    """A short name for the card showing ``card`` (kicker, title, line, left, right) in the
    site's name and brand colour."""
    words = json.dumps([card, site_name, brand, DESIGN_VERSION], sort_keys=True)
    return hashlib.sha256(words.encode()).hexdigest()[:16]


def _rgb(hex_colour):
    hex_colour = hex_colour.lstrip("#")
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))


def _shade(rgb, lightness):
    """``rgb`` with its lightness set to ``lightness`` (0–1), hue and saturation kept."""
    h, _, s = colorsys.rgb_to_hls(*(c / 255 for c in rgb))
    return tuple(round(c * 255) for c in colorsys.hls_to_rgb(h, lightness, min(s, 0.9)))


def _font(size):
    return ImageFont.load_default(size=size)


def _wrap(text, font, width, max_lines):
    """``text`` in lines no wider than ``width``; the last line ends with … when cut."""
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if font.getlength(candidate) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def _fit(text, width, *, sizes, max_lines):
    """The largest font of ``sizes`` at which ``text`` fits in ``max_lines`` lines."""
    for size in sizes:
        font = _font(size)
        lines = _wrap(text, font, width, max_lines + 1)
        if len(lines) <= max_lines:
            return font, lines
    font = _font(sizes[-1])
    return font, _wrap(text, font, width, max_lines)


def _text_block(draw, xy, lines, font, fill, *, spacing=1.18, bold=False):
    x, y = xy
    size = font.size
    for line in lines:
        draw.text(
            (x, y), line, font=font, fill=fill, stroke_width=1 if bold else 0, stroke_fill=fill
        )
        y += round(size * spacing)
    return y


def _mark(draw, box, brand):
    """The site's mark in ``box`` (left, top, size): two uprights, a bar, a bright dot."""
    left, top, size = box
    draw.rounded_rectangle((left, top, left + size, top + size), radius=size * 0.22, fill=brand)
    unit = size / 32
    width = max(2, round(3.2 * unit))
    for x in (10, 22):
        draw.line(
            (left + x * unit, top + 8 * unit, left + x * unit, top + 24 * unit),
            fill=WHITE,
            width=width,
        )
    draw.line(
        (left + 10 * unit, top + 16 * unit, left + 22 * unit, top + 16 * unit),
        fill=WHITE,
        width=width,
    )
    radius = 3.2 * unit
    centre = (left + 16 * unit, top + 16 * unit)
    draw.ellipse(
        (centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius),
        fill=HIGHLIGHT,
    )


def draw_card(card, *, site_name, brand):
    """A 1200 × 630 PNG of ``card``: a face-off of two names when it has ``left`` and
    ``right``, else its kicker, title and line."""
    brand_rgb = _rgb(brand)
    background = _shade(brand_rgb, 0.16)
    image = Image.new("RGB", SIZE, background)
    draw = ImageDraw.Draw(image)
    # A band of the brand colour down the left edge, and the site's mark and name on top.
    draw.rectangle((0, 0, 18, SIZE[1]), fill=brand_rgb)
    _mark(draw, (MARGIN, 56, 56), brand_rgb)
    draw.text((MARGIN + 76, 66), site_name, font=_font(34), fill=_shade(brand_rgb, 0.88))
    width = SIZE[0] - 2 * MARGIN
    if card.get("left") and card.get("right"):
        _face_off(draw, card, brand_rgb, background)
    else:
        # Rings of the brand colour off the right edge: a quiet figure behind the words.
        for step, radius in enumerate((430, 330, 230)):
            ring = _shade(brand_rgb, 0.2 + 0.035 * step)
            centre = (SIZE[0] + 40, SIZE[1] + 40)
            draw.ellipse(
                (centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius),
                fill=ring,
            )
        y = 190
        kicker = card.get("kicker", "").upper()
        if kicker:
            draw.text((MARGIN, y), kicker, font=_font(30), fill=HIGHLIGHT)
            y += 56
        font, lines = _fit(card.get("title", ""), width, sizes=(84, 74, 64, 56), max_lines=3)
        y = _text_block(draw, (MARGIN, y), lines, font, WHITE, bold=True) + 14
        if card.get("line") and y < SIZE[1] - 110:
            room = max(1, min(2, (SIZE[1] - 60 - y) // 46))
            line_font = _font(36)
            lines = _wrap(card["line"], line_font, width, room)
            _text_block(draw, (MARGIN, y), lines, line_font, _shade(brand_rgb, 0.82), spacing=1.3)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _face_off(draw, card, brand_rgb, background):
    """Two roles side by side, each in its panel, with "vs" between them."""
    top, bottom = 170, SIZE[1] - 70
    middle = SIZE[0] // 2
    gap = 56
    panel = _shade(brand_rgb, 0.26)
    for left, right in ((MARGIN, middle - gap), (middle + gap, SIZE[0] - MARGIN)):
        draw.rounded_rectangle((left, top, right, bottom), radius=28, fill=panel)
    for name, (left, right) in zip(
        (card["left"], card["right"]),
        ((MARGIN, middle - gap), (middle + gap, SIZE[0] - MARGIN)),
        strict=True,
    ):
        font, lines = _fit(name, right - left - 64, sizes=(68, 60, 52, 44), max_lines=3)
        height = round(font.size * 1.18) * len(lines)
        y = top + (bottom - top - height) // 2
        for line in lines:
            x = left + (right - left - font.getlength(line)) / 2
            draw.text((x, y), line, font=font, fill=WHITE, stroke_width=1, stroke_fill=WHITE)
            y += round(font.size * 1.18)
    radius = 52
    centre_y = (top + bottom) // 2
    draw.ellipse(
        (middle - radius, centre_y - radius, middle + radius, centre_y + radius),
        fill=HIGHLIGHT,
        outline=background,
        width=8,
    )
    font = _font(44)
    label = "vs"
    draw.text(
        (middle - font.getlength(label) / 2, centre_y - 28),
        label,
        font=font,
        fill=_shade(brand_rgb, 0.16),
        stroke_width=1,
        stroke_fill=_shade(brand_rgb, 0.16),
    )


def draw_mark(size, *, brand):
    """The site's mark as a ``size`` × ``size`` PNG on an opaque background (touch icons may
    not be transparent)."""
    image = Image.new("RGB", (size, size), WHITE)
    draw = ImageDraw.Draw(image)
    _mark(draw, (0, 0, size), _rgb(brand))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
