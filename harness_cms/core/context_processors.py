"""Template context every page needs."""

from django.conf import settings

from harness_cms.core.models import SiteSettings


def site(request):
    return {"site": SiteSettings.load(), "SITE_URL": settings.SITE_URL}
