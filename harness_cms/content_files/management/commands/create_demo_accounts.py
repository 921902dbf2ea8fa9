"""``manage.py create_demo_accounts``: the demo editor and FAQ staff member (development only)."""

import secrets

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

ACCOUNTS = [
    ("editor", "Editors", "Edits every kind of content."),
    ("faqstaff", "FAQ staff", "Adds and edits FAQ entries only."),
]


class Command(BaseCommand):
    help = "Development only: create a demo editor and a demo FAQ staff member."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Give existing demo accounts new passwords."
        )

    def handle(self, *args, reset=False, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for development only (DJANGO_DEBUG=1).")
        with transaction.atomic():
            for username, group_name, what in ACCOUNTS:
                user, created = User.objects.get_or_create(
                    username=username, defaults={"is_staff": True}
                )
                user.groups.add(Group.objects.get(name=group_name))
                if created or reset:
                    password = secrets.token_urlsafe(12)
                    user.set_password(password)
                    user.save()
                    self.stdout.write(
                        f"  {username:<9} password {password}   ({group_name}: {what})"
                    )
                else:
                    self.stdout.write(
                        f"  {username:<9} already exists; its password was printed when it was "
                        "created (make demo-passwords gives new ones)"
                    )
