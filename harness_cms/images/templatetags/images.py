"""``{% picture image %}``: an image of the library as responsive, WebP-first HTML."""

from django import template

from harness_cms.images.models import CONTENT_SIZES

register = template.Library()


@register.simple_tag
def picture(image, variant="full", sizes=CONTENT_SIZES, css_class="", eager=False, alt=None):
    """``image.picture(...)``; nothing when there is no image or it has no renditions."""
    if image is None or not image.renditions:
        return ""
    return image.picture(variant=variant, sizes=sizes, css_class=css_class, eager=eager, alt=alt)
