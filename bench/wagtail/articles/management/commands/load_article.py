"""Create the benchmark's pages once: a home page, three menu sections, and under "compare" the
article of content.json at the same path as the product's comparison."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page, Site

from articles.models import ArticlePage

CONTENT = Path(__file__).resolve().parents[3] / "content.json"
SECTIONS = [("roles", "Roles"), ("compare", "Comparisons"), ("faq", "FAQ")]


class Command(BaseCommand):
    help = "Create the article page of content.json (and its parents) if missing."

    @transaction.atomic
    def handle(self, *args, **options):
        content = json.loads(CONTENT.read_text())
        slug = content["path"].strip("/").split("/")[-1]
        if ArticlePage.objects.filter(slug=slug).exists():
            self.stdout.write(f"{content['path']} is there")
            return
        root = Page.get_first_root_node()
        # Wagtail's initial migration makes a default home page and site: replace them.
        Site.objects.all().delete()
        for page in root.get_children():
            page.delete()
        home = root.add_child(instance=ArticlePage(title="Home", slug="home"))
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Harness Engineering Guide",
        )
        parents = {}
        for section_slug, title in SECTIONS:
            parents[section_slug] = home.add_child(
                instance=ArticlePage(title=title, slug=section_slug, show_in_menus=True)
            )
        parents["compare"].add_child(
            instance=ArticlePage(
                title=content["title"],
                slug=slug,
                seo_title=content["seo_title"],
                search_description=content["search_description"],
                lead=content["lead"],
                body=content["body"],
                structured_data=content["structured_data"],
            )
        )
        self.stdout.write(f"Created {content['path']}")
