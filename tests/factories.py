"""Small factories: each test builds just the content it talks about."""

import io
from itertools import count

from django.contrib.auth.models import Group, User
from django.utils.text import slugify
from PIL import Image as PillowImage

from comparisons.models import Comparison, ComparisonRow, Role, SharedPoint
from faq.models import FAQ, FAQPlacement, Topic
from harness_cms.core.models import RelatedLink
from harness_cms.core.visibility import Status
from harness_cms.images import processing, services
from harness_cms.images.models import Image
from pages.models import Page

_numbers = count(1)


def make_role(title=None, *, status=Status.PUBLISHED, **fields):
    title = title or f"Role {next(_numbers)}"
    fields.setdefault("slug", slugify(title))
    return Role.objects.create(title=title, status=status, **fields)


def make_comparison(role_a=None, role_b=None, *, status=Status.PUBLISHED, rows=0, **fields):
    role_a = role_a or make_role()
    role_b = role_b or make_role()
    fields.setdefault("title", f"{role_a.title} vs {role_b.title}")
    comparison = Comparison.objects.create(role_a=role_a, role_b=role_b, status=status, **fields)
    for i in range(rows):
        ComparisonRow.objects.create(
            comparison=comparison,
            dimension=f"Dimension {i}",
            role_a_text=f"A{i}",
            role_b_text=f"B{i}",
            position=i,
        )
    return comparison


def make_shared_point(comparison, text="Both ship AI products.", position=0):
    return SharedPoint.objects.create(comparison=comparison, text=text, position=position)


def make_page(title=None, *, role=None, status=Status.PUBLISHED, **fields):
    title = title or f"Page {next(_numbers)}"
    fields.setdefault("slug", slugify(title))
    return Page.objects.create(title=title, role=role, status=status, **fields)


def make_topic(name=None, **fields):
    name = name or f"Topic {next(_numbers)}"
    return Topic.objects.create(name=name, slug=slugify(name), **fields)


def make_faq(question=None, *, status=Status.PUBLISHED, on=(), **fields):
    question = question or f"Question number {next(_numbers)}?"
    fields.setdefault("slug", slugify(question)[:100])
    fields.setdefault("answer", "An answer with **Markdown**.")
    faq = FAQ.objects.create(question=question, status=status, **fields)
    for position, item in enumerate(on):
        FAQPlacement.objects.create(faq=faq, item=item, position=position)
    return faq


def make_link(source, target=None, *, section=RelatedLink.Section.RELATED, **fields):
    return RelatedLink.objects.create(source=source, target=target, section=section, **fields)


def make_staff(username, group_name):
    user = User.objects.create_user(username=username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def image_bytes(size=(1600, 900), *, format="JPEG", colour=(30, 90, 160), exif=None):
    """The bytes of a picture file of one colour."""
    picture = PillowImage.new("RGB", size, colour)
    out = io.BytesIO()
    picture.save(out, format=format, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def make_image(title="Layers", *, size=(1600, 900), colour=(30, 90, 160), **fields):
    """An image of the library, stored as an upload through the admin would be."""
    fields.setdefault("alt_text", f"{title}, drawn as boxes")
    clean = processing.clean_upload(image_bytes(size, colour=colour))
    return services.store_upload(image=Image(title=title, **fields), upload=clean)
