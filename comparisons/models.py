"""Roles and the side-by-side comparisons between them."""

import heapq
import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Max, Q
from django.db.models.functions import Greatest, Least
from django.urls import Resolver404, resolve, reverse

from harness_cms.core import markdown
from harness_cms.core.models import (
    POSITION_MAX,
    SHORT_TEXT_MAX_LENGTH,
    ContentItem,
    ContentItemQuerySet,
    Redirect,
    markdown_field,
    refresh_live_windows,
)
from harness_cms.images.models import render_markdown_html

# "More comparisons" under a comparison: each role's page lists all of its comparisons.
OTHER_COMPARISONS = 12

# /roles/page/2/ is the second page of the roles index, so no role may be called "page".
RESERVED_ROLE_SLUGS = {"page"}


def next_role_position():
    """A new role goes after the others unless an editor places it (the form shows this)."""
    return (Role.objects.aggregate(last=Max("position"))["last"] or 0) + 1


class Role(ContentItem):
    """An engineering role. Its page is the role's definition: what the role is and does."""

    KIND = ContentItem.Kind.ROLE
    LABEL = "Role"

    contentitem_ptr = models.OneToOneField(
        ContentItem,
        on_delete=models.CASCADE,
        parent_link=True,
        primary_key=True,
        related_name="as_role",
    )

    summary = models.CharField(
        max_length=300,
        blank=True,
        help_text="One line on what the role does, shown on cards and in navigation.",
    )
    position = models.PositiveSmallIntegerField(
        default=next_role_position,
        validators=[MaxValueValidator(POSITION_MAX)],
        help_text="Order in navigation and on the home page (lowest first). A new role goes last.",
    )

    objects = ContentItemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        permissions = [("publish_role", "Can publish, unpublish and schedule roles")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        old_path = getattr(self, "_saved_path", None)
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Comparisons and cluster pages carry this role's slug in their own addresses.
            for comparison in Comparison.objects.involving(self).select_related("role_a", "role_b"):
                comparison.save()
            for page in self.pages.select_related("role"):
                page.save()
        # They are public only while this role is: their stored windows follow its own.
        dependents = [
            *Comparison.objects.involving(self).values_list("pk", flat=True),
            *self.pages.values_list("pk", flat=True),
        ]
        if dependents:
            refresh_live_windows(dependents)

    def compute_path(self):
        return reverse("comparisons:role", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.slug in RESERVED_ROLE_SLUGS:
            raise ValidationError(
                {
                    "slug": f"“{self.slug}” is kept for the pages of the roles index "
                    f"(/roles/{self.slug}/2/); choose another slug."
                }
            )
        # The database enforces this too; checking here turns it into a form error on the slug.
        if self.slug and Role.objects.filter(slug=self.slug).exclude(pk=self.pk).exists():
            raise ValidationError({"slug": "Another role already uses this slug."})

    def extra_search_text(self):
        return [self.summary]

    @property
    def monogram(self):
        """Up to two letters standing for the role on its icon: an acronym as it is (AI),
        else the initials of its first two words (HE)."""
        words = self.title.split()
        if words and words[0].isupper() and 1 < len(words[0]) <= 3:
            return words[0]
        return "".join(word[0] for word in words[:2]).upper()

    def card(self):
        return {**super().card(), "line": self.summary or super().card()["line"]}


class ComparisonQuerySet(ContentItemQuerySet):
    def involving(self, *roles):
        """Comparisons in which any of ``roles`` takes part.

        An id subquery that is the UNION of two indexed look-ups: ``role_a IN (…) OR role_b IN
        (…)`` joined with the published conditions made PostgreSQL walk every role at scale
        (docs/performance.md).
        """
        plain = Comparison.objects.order_by()
        ids = (
            plain.filter(role_a__in=roles)
            .values("pk")
            .union(plain.filter(role_b__in=roles).values("pk"))
        )
        return self.filter(pk__in=ids)


class Comparison(ContentItem):
    """Two roles side by side: shared ground, a table of differences, a verdict."""

    KIND = ContentItem.Kind.COMPARISON
    LABEL = "Comparison"
    # Public only while both of its roles are public too.
    WINDOW_PARENTS = ("role_a", "role_b")
    # Its address is made of its two roles' slugs.
    SLUG_FROM = "the slugs of its two roles"
    REVISION_CHILDREN = (
        ("shared_points", "Shared points"),
        ("rows", "Comparison rows"),
        *ContentItem.REVISION_CHILDREN,
    )

    contentitem_ptr = models.OneToOneField(
        ContentItem,
        on_delete=models.CASCADE,
        parent_link=True,
        primary_key=True,
        related_name="as_comparison",
    )

    role_a = models.ForeignKey(
        Role, on_delete=models.PROTECT, related_name="comparisons_as_a", verbose_name="role A"
    )
    role_b = models.ForeignKey(
        Role, on_delete=models.PROTECT, related_name="comparisons_as_b", verbose_name="role B"
    )
    shared_heading = models.CharField(
        max_length=200,
        blank=True,
        help_text='Heading of the shared-ground section, e.g. "Both work on AI products".',
    )
    role_a_summary = markdown_field(
        "role A summary",
        max_length=SHORT_TEXT_MAX_LENGTH,
        help_text="Role A as seen in this comparison: one paragraph.",
        shown_in="role-summary",
    )
    role_a_summary_html = models.TextField(blank=True, editable=False)
    role_b_summary = markdown_field(
        "role B summary",
        max_length=SHORT_TEXT_MAX_LENGTH,
        help_text="Role B as seen in this comparison: one paragraph.",
        shown_in="role-summary",
    )
    role_b_summary_html = models.TextField(blank=True, editable=False)
    verdict = markdown_field(
        "verdict",
        max_length=SHORT_TEXT_MAX_LENGTH,
        help_text="Who should pick which, and when.",
        shown_in="callout",
    )
    verdict_html = models.TextField(blank=True, editable=False)

    objects = ComparisonQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        permissions = [("publish_comparison", "Can publish, unpublish and schedule comparisons")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role_a=F("role_b")),
                name="comparison_roles_differ",
                violation_error_message="A role cannot be compared with itself.",
            ),
            models.UniqueConstraint(
                Least("role_a", "role_b"),
                Greatest("role_a", "role_b"),
                name="unique_comparison_pair",
                violation_error_message="These two roles are already compared.",
            ),
        ]

    def __str__(self):
        return self.title

    def derive(self):
        self.slug = self.pair_slug(self.role_a, self.role_b)
        if not self.title:
            self.title = f"{self.role_a.title} vs {self.role_b.title}"
        super().derive()

    def compute_path(self):
        slug = self.pair_slug(self.role_a, self.role_b)
        return reverse("comparisons:comparison", kwargs={"slug": slug})

    @staticmethod
    def pair_slug(role_a, role_b):
        return f"{role_a.slug}-vs-{role_b.slug}"

    @classmethod
    def alias_target(cls, path):
        """The public comparison of the reversed pair: ``/compare/b-vs-a/`` names
        ``/compare/a-vs-b/`` (also under an earlier slug of one of its roles)."""
        try:
            match = resolve(path)
        except Resolver404:
            return None
        if match.view_name != "comparisons:comparison":
            return None
        slug = match.kwargs["slug"]
        candidates = []
        for found in re.finditer("-vs-", slug):
            left, right = slug[: found.start()], slug[found.end() :]
            if left and right:
                candidates.append(
                    reverse("comparisons:comparison", kwargs={"slug": f"{right}-vs-{left}"})
                )
        if not candidates:
            return None
        comparison = cls.objects.published().filter(path__in=candidates).first()
        if comparison is not None:
            return comparison
        for candidate in candidates:
            redirect = Redirect.objects.select_related("target").filter(old_path=candidate).first()
            if redirect is not None and redirect.target.path != path and redirect.target.is_public:
                return redirect.target
        return None

    def render_markdown(self):
        super().render_markdown()
        self.role_a_summary_html = render_markdown_html(self.role_a_summary)
        self.role_b_summary_html = render_markdown_html(self.role_b_summary)
        self.verdict_html = render_markdown_html(self.verdict)

    def extra_search_text(self):
        return [
            markdown.to_plain_text(self.role_a_summary_html),
            markdown.to_plain_text(self.role_b_summary_html),
            markdown.to_plain_text(self.verdict_html),
        ]

    def card(self):
        # Both roles, face to face.
        return {**super().card(), "left": self.role_a.title, "right": self.role_b.title}

    def other_role(self, role):
        return self.role_b if role.pk == self.role_a_id else self.role_a


class SharedPoint(models.Model):
    """Something both roles of a comparison have in common."""

    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="shared_points"
    )
    text = models.CharField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "shared point"

    def __str__(self):
        return self.text

    def revision_line(self, *, owner, name_of):
        """This row as one line of a revision's "Shared points" (``owner``: the field that
        points at the revision's item; ``name_of(model, pk)``: a name, deleted or not)."""
        return self.text


class ComparisonRow(models.Model):
    """One dimension of a comparison table: what it means for role A and for role B."""

    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="rows")
    dimension = models.CharField(max_length=120, help_text="E.g. Focus, Scope, Time horizon.")
    role_a_text = models.TextField("role A", max_length=2000)
    role_b_text = models.TextField("role B", max_length=2000)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "comparison row"

    def __str__(self):
        return self.dimension

    def revision_line(self, *, owner, name_of):
        return f"{self.dimension}: {self.role_a_text} | {self.role_b_text}"


def other_comparisons(own_pk, role_lists, count):
    """What a comparison's "More comparisons" shows: from each of its roles' public comparisons
    as cards (dicts with ``pk`` and ``title``, in title order; the first ``count + 2`` of each
    are enough), the first ``count`` others; ``(cards, more)``, ``more`` saying whether there
    are others still. The page and the cluster's link graph both read it."""
    cards, seen = [], {own_pk}
    for card in heapq.merge(*role_lists, key=lambda card: (card["title"], card["pk"])):
        if card["pk"] not in seen:
            seen.add(card["pk"])
            cards.append(card)
    return cards[:count], len(cards) > count
