"""The image library in the admin: upload, describe, set the focal point, find, delete."""

import logging

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.urls import path
from django.utils.html import format_html

from harness_cms.images import services
from harness_cms.images.forms import ImageForm
from harness_cms.images.models import Image

log = logging.getLogger(__name__)

# Images the picker lists at once; a search narrows them.
PICKER_SIZE = 24


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "title", "alt_text", "size", "credit", "created_at"]
    list_display_links = ["thumbnail", "title"]
    list_filter = ["decorative", "format"]
    search_fields = ["title", "alt_text", "credit"]
    readonly_fields = ["preview", "size", "uploaded_by", "created_at"]
    fieldsets = [
        (None, {"fields": ["upload", "preview", "title", "alt_text", "decorative", "credit"]}),
        (
            "Focal point",
            {
                "fields": ["focal_x", "focal_y"],
                "description": "Crops for cards and link previews keep this point in view. "
                "Click the picture above to set it.",
            },
        ),
        ("File", {"fields": ["size", "uploaded_by", "created_at"]}),
    ]

    class Media:
        js = ["images/focal-point.js"]
        css = {"all": ["images/admin.css"]}

    @admin.display(description="image")
    def thumbnail(self, obj):
        if not obj.renditions:
            return "—"
        return obj.picture(variant="card", sizes="8rem", css_class="image-thumb", alt="")

    @admin.display(description="size")
    def size(self, obj):
        if not obj.width:
            return "—"
        return f"{obj.width:,} × {obj.height:,} px, {obj.format}, {obj.file_size / 1024:,.0f} KB"

    @admin.display(description="picture")
    def preview(self, obj):
        if not obj.renditions:
            return "Shown here once uploaded."
        return format_html(
            '<div class="focal-picker" data-focal-x="{}" data-focal-y="{}">{}'
            '<span class="focal-marker" aria-hidden="true"></span></div>',
            obj.focal_x,
            obj.focal_y,
            obj.picture(sizes="30rem", alt=obj.alt, eager=True),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except OSError as error:
            # The storage refused a file (full, unreachable). Nothing was kept: the form is
            # shown again with what was typed, and says so.
            log.exception("image library: storing an upload failed")
            request.image_storage_error = (
                f"The image could not be stored ({error.strerror or error}); nothing was kept. "
                "Try again, or ask an operator to check the media storage."
            )
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        error = getattr(request, "image_storage_error", "")
        if error:
            form = type(form.__name__, (form,), {"storage_error": error})
        return form

    def get_urls(self):
        return [
            path(
                "picker/",
                self.admin_site.admin_view(self.picker_view),
                name="images_image_picker",
            ),
            *super().get_urls(),
        ]

    def picker_view(self, request):
        """JSON for the "Insert image" picker of Markdown fields: images matching ``q``."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        images = self.get_queryset(request)
        query = request.GET.get("q", "").strip()[:100]
        if query:
            images = images.filter(Q(title__icontains=query) | Q(alt_text__icontains=query))
        results = [
            {
                "id": image.pk,
                "title": image.title,
                "alt": image.alt,
                "thumb": image.thumbnail_url(),
            }
            for image in images[:PICKER_SIZE]
        ]
        response = JsonResponse({"results": results})
        response["Cache-Control"] = "no-store, private"
        return response

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("upload")
        if upload is not None:
            services.store_upload(image=obj, upload=upload, user=request.user)
        elif change and {"focal_x", "focal_y"} & set(form.changed_data):
            services.refresh_renditions(image=obj)
        else:
            obj.save()
        if change:
            services.render_referring_items(image=obj)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for image in objs:
            for user in services.referring_items(image):
                protected.append(
                    f"{user._meta.verbose_name.capitalize()}: {user} (shows it in its text)"
                )
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        services.delete_image(image=obj)

    def delete_queryset(self, request, queryset):
        for image in queryset:
            services.delete_image(image=image)
