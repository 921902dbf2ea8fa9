"""The upload form of the image library: the file is checked and cleaned before anything is
kept, and every problem is a form error in an editor's words."""

from django import forms
from django.core.exceptions import ValidationError

from harness_cms.images import processing
from harness_cms.images.models import Image
from harness_cms.images.services import digest_of


class ImageForm(forms.ModelForm):
    upload = forms.FileField(
        label="Image file",
        required=False,
        help_text=(
            f"JPEG, PNG, WebP, GIF or AVIF, at most "
            f"{processing.MAX_UPLOAD_BYTES // 1024 // 1024} MB and "
            f"{processing.MAX_PIXELS // 1_000_000} megapixels. Camera data (EXIF) is removed; "
            "sizes for every screen are made once, here."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif,image/avif"}
        ),
    )

    # Set by the admin when the storage refused the files of a first attempt.
    storage_error = ""

    class Meta:
        model = Image
        fields = ["upload", "title", "alt_text", "decorative", "credit", "focal_x", "focal_y"]

    def clean(self):
        cleaned = super().clean()
        if self.storage_error:
            raise ValidationError(self.storage_error)
        return cleaned

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            if self.instance.pk is None:
                raise ValidationError("Choose an image file to upload.")
            return None
        if upload.size > processing.MAX_UPLOAD_BYTES:
            raise ValidationError(
                f"This file is {upload.size / 1024 / 1024:.0f} MB; images may be at most "
                f"{processing.MAX_UPLOAD_BYTES // 1024 // 1024} MB."
            )
        try:
            clean = processing.clean_upload(upload.read(), name=upload.name)
        except processing.ImageRejected as error:
            raise ValidationError(str(error)) from error
        same = Image.objects.filter(digest=digest_of(clean.content)).exclude(pk=self.instance.pk)
        existing = same.first()
        if existing is not None:
            raise ValidationError(f"This image is already in the library as “{existing}”.")
        return clean
