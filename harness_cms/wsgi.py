"""WSGI entry point (gunicorn harness_cms.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harness_cms.settings")

application = get_wsgi_application()
