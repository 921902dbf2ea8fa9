"""Writing images: an upload kept with its renditions, all or nothing; renditions made again
when the focal point moves; files removed once nothing refers to them any more."""

import hashlib
from contextlib import contextmanager

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from harness_cms.images import processing

# Changes when the rendition recipe changes, so new files get new names (they are cached for
# a year by browsers and CDNs).
RENDITION_VERSION = 1


def digest_of(content):
    return hashlib.sha256(content).hexdigest()


def _folder(image):
    key = f"{image.digest}:{image.focal_x:.4f}:{image.focal_y:.4f}:{RENDITION_VERSION}"
    return f"images/r/{hashlib.sha256(key.encode()).hexdigest()[:24]}"


def _write_renditions(image, written):
    """Make and store every rendition of ``image``'s original; record each name written."""
    with default_storage.open(image.original, "rb") as original:
        content = original.read()
    folder = _folder(image)
    made = {}
    for rendition in processing.renditions(content, focal=(image.focal_x, image.focal_y)):
        name = default_storage.save(f"{folder}/{rendition.name}", ContentFile(rendition.content))
        written.append(name)
        made[rendition.name] = [rendition.width, rendition.height, name, rendition.mime]
    return made


def _delete_files(names):
    for name in names:
        if name:
            default_storage.delete(name)


def _keep_or_remove(written, old_files):
    """After the transaction: the old files go if it committed, the new ones if it did not."""
    transaction.on_commit(lambda: _delete_files(set(old_files) - set(written)))


@contextmanager
def _replacing_files(image, old_files):
    """Files written inside the block (appended to the list it gives) are kept with ``image``,
    saved at its end; the ``old_files`` are removed once that is committed. If anything fails,
    the new files are removed and the row is left as it was."""
    written = []
    try:
        yield written
        with transaction.atomic():
            image.save()
            _keep_or_remove(written, old_files)
    except BaseException:
        _delete_files(written)
        raise


def store_upload(*, image, upload, user=None):
    """Keep ``upload`` (a :class:`processing.CleanUpload`) as ``image``'s file: its original
    and every rendition are written, then the row is saved, all or nothing."""
    with _replacing_files(image, image.files() if image.original else []) as written:
        image.digest = digest_of(upload.content)
        image.format = upload.format
        image.width, image.height = upload.width, upload.height
        image.file_size = len(upload.content)
        image.original = default_storage.save(
            f"images/originals/{image.digest[:24]}.{upload.extension}",
            ContentFile(upload.content),
        )
        written.append(image.original)
        image.renditions = _write_renditions(image, written)
        if image.pk is None:
            image.uploaded_by = user
    return image


def refresh_renditions(*, image):
    """Make ``image``'s renditions again (its focal point moved) and save it."""
    old_files = [entry[2] for entry in image.renditions.values()]
    with _replacing_files(image, old_files) as written:
        image.renditions = _write_renditions(image, written)
    return image


def delete_image(*, image):
    """Delete ``image`` and, once that is committed, its files."""
    files = image.files()
    with transaction.atomic():
        image.delete()
        transaction.on_commit(lambda: _delete_files(files))


def _markdown_sources(model):
    """The fields of ``model``'s own table that hold Markdown (those with a rendered twin)."""
    names = {field.name for field in model._meta.local_concrete_fields}
    return [name for name in names if f"{name}_html" in names]


def referring_items(image):
    """The objects whose Markdown shows ``image`` — items (as their kind) and FAQ entries —
    which must be rendered again when it changes and keep it from being deleted."""
    found = {}
    for model in apps.get_models():
        sources = _markdown_sources(model)
        if not sources or model._meta.proxy:
            continue
        condition = Q()
        for name in sources:
            # ``(image:42)`` or ``(image:42 "caption")``, never ``(image:420)``.
            condition |= Q(**{f"{name}__contains": f"(image:{image.pk})"})
            condition |= Q(**{f"{name}__contains": f"(image:{image.pk} "})
        for obj in model.objects.filter(condition):
            specific = obj.specific() if hasattr(obj, "specific") else obj
            found[specific._meta.label, specific.pk] = specific
    return list(found.values())


def render_referring_items(*, image):
    """Save again every object that shows ``image`` in its Markdown, so its stored HTML carries
    the image's current renditions, text and credit."""
    for obj in referring_items(image):
        obj.save()
