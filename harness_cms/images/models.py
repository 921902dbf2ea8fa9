"""The image library: each image once, with its alternative text, credit, focal point and the
renditions made from it when it was uploaded (decision 0061)."""

import re

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from harness_cms.core import markdown

# ``![alt](image:42 "caption")`` in Markdown: an image of the library, by reference.
REFERENCE = re.compile(r"\(image:(\d{1,12})(?=[\s)])")
EAGER = mark_safe(' fetchpriority="high"')
LAZY = mark_safe(' loading="lazy" decoding="async"')
# The widths the content column shows an image at, for the browser to pick a rendition.
CONTENT_SIZES = "(min-width: 60rem) 46rem, calc(100vw - 2.5rem)"


def image_reference(verbose_name=None, *, help_text):
    """A field choosing an image of the library; an image in use cannot be deleted."""
    return models.ForeignKey(
        "images.Image",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        help_text=help_text,
    )


def _fraction(verbose_name, help_text):
    return models.FloatField(
        verbose_name,
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=help_text,
    )


class Image(models.Model):
    """An uploaded picture, kept once: its cleaned original and every rendition of it."""

    title = models.CharField(max_length=200, help_text="For finding it in the library.")
    alt_text = models.CharField(
        "alternative text",
        max_length=300,
        blank=True,
        help_text="What the image shows, for readers who cannot see it and for search engines. "
        "Required unless the image is decorative.",
    )
    decorative = models.BooleanField(
        default=False,
        help_text="It adds nothing a reader needs: screen readers skip it (empty alt text).",
    )
    credit = models.CharField(
        max_length=200, blank=True, help_text="Who made it or where it comes from, shown under it."
    )
    focal_x = _fraction("focal point, across", "0 is the left edge, 1 the right edge.")
    focal_y = _fraction("focal point, down", "0 is the top edge, 1 the bottom edge.")
    original = models.CharField(max_length=300, editable=False)
    format = models.CharField(max_length=10, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    file_size = models.PositiveIntegerField(editable=False)
    digest = models.CharField(
        max_length=64, unique=True, editable=False, help_text="SHA-256 of the original."
    )
    # {name: [width, height, storage name, MIME type]}: made once, read by every page.
    renditions = models.JSONField(default=dict, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decorative=True) | ~Q(alt_text=""),
                name="image_alt_text_unless_decorative",
                violation_error_message="Describe the image, or mark it as decorative.",
            ),
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
                violation_error_message="The focal point must lie inside the image (0 to 1).",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def alt(self):
        """The alt attribute: empty for a decorative image, its description otherwise."""
        return "" if self.decorative else self.alt_text

    def url(self, name):
        return default_storage.url(self.renditions[name][2])

    def thumbnail_url(self):
        """The smallest 16:9 WebP rendition, for lists and pickers ("" before any exists)."""
        names = [n for n in self.renditions if n.startswith("card-w") and n.endswith(".webp")]
        return self.url(min(names, key=lambda n: self.renditions[n][0])) if names else ""

    def files(self):
        """Every storage name this image owns: the original and its renditions."""
        return [self.original, *(entry[2] for entry in self.renditions.values())]

    def _set(self, prefix, extension):
        entries = sorted(
            (entry[0], self.url(name))
            for name, entry in self.renditions.items()
            if name.startswith(prefix) and name.endswith(f".{extension}")
        )
        return ", ".join(f"{url} {width}w" for width, url in entries), entries

    def picture(self, *, variant="full", sizes=CONTENT_SIZES, css_class="", eager=False, alt=None):
        """``<picture>`` HTML: WebP for browsers that take it, JPEG or PNG otherwise, with the
        width and height of the largest rendition so the page does not shift as it loads."""
        prefix = "card-w" if variant == "card" else "w"
        webp, _ = self._set(prefix, "webp")
        fallback_ext = "png" if any(n.endswith(".png") for n in self.renditions) else "jpg"
        fallback, entries = self._set(prefix, fallback_ext)
        # The fallback src: the rendition nearest 1200 pixels, for browsers without srcset.
        src = min(entries, key=lambda entry: abs(entry[0] - 1200))[1]
        largest = max(
            (entry for name, entry in self.renditions.items() if name.startswith(prefix)),
            key=lambda entry: entry[0],
        )
        return format_html(
            '<picture><source type="image/webp" srcset="{}" sizes="{}">'
            '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{}{}></picture>',
            webp,
            sizes,
            src,
            fallback,
            sizes,
            largest[0],
            largest[1],
            self.alt if alt is None else alt,
            format_html(' class="{}"', css_class) if css_class else "",
            # Above the fold: fetch it first. Elsewhere: only when it comes near the screen.
            EAGER if eager else LAZY,
        )

    def figure(self, *, caption="", alt=None):
        """The image as a figure in an article: the picture, then its caption and credit."""
        parts = [part for part in (caption, self.credit and f"Image: {self.credit}") if part]
        figcaption = (
            format_html(
                "<figcaption>{}</figcaption>", format_html_join(" · ", "{}", ((p,) for p in parts))
            )
            if parts
            else ""
        )
        return format_html(
            '<figure class="figure">{}{}</figure>', self.picture(alt=alt), figcaption
        )

    @classmethod
    def for_markdown(cls, text):
        """A resolver for :func:`harness_cms.core.markdown.render` over ``text``: the images it
        refers to are read in one query; an unknown id gives nothing. The alt text written in
        the Markdown, when there is one, replaces the library's."""
        ids = cls.referenced_ids(text)
        found = cls.objects.in_bulk(ids) if ids else {}

        def resolve(image_id, *, alt, caption, block):
            image = found.get(image_id)
            if image is None:
                return None
            alt = alt or None
            return str(image.figure(caption=caption, alt=alt) if block else image.picture(alt=alt))

        return resolve

    @staticmethod
    def referenced_ids(text):
        return {int(found) for found in REFERENCE.findall(text or "")}


def render_markdown(text):
    """Editor Markdown as sanitised HTML and contents, the library's images shown in it."""
    return markdown.render(text, images=Image.for_markdown(text))


def render_markdown_html(text):
    return render_markdown(text).html
