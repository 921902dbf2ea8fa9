"""FAQ entries, their topics, and where each one appears."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from harness_cms import markdown
from harness_cms.models import SHORT_TEXT_MAX_LENGTH, ContentItem, markdown_field
from harness_cms.publishing import Publishable, PublishableQuerySet, published_q


class Topic(models.Model):
    """A group of questions on the FAQ index (the role, context engineering, memory...)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class FAQ(Publishable):
    """One question and its answer, shown wherever it is placed and on the FAQ index."""

    question = models.CharField(max_length=300, unique=True)
    slug = models.SlugField(
        max_length=120, unique=True, help_text="The question's anchor on the FAQ index."
    )
    answer = markdown_field("answer", max_length=SHORT_TEXT_MAX_LENGTH)
    answer_html = models.TextField(blank=True, editable=False)
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="faqs", null=True, blank=True
    )
    tags = TaggableManager(blank=True, help_text="Comma-separated topics.")
    # The tag rows themselves, so that revisions can keep and restore them (no column).
    tagged_items = GenericRelation(TaggedItem)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one on every save; a form saved from an older version is refused.",
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["topic__position", "question"]
        verbose_name = "FAQ entry"
        verbose_name_plural = "FAQ entries"
        constraints = Publishable.Meta.constraints
        # A page of the FAQ index reads each topic's questions in order from it (faq.views).
        indexes = [models.Index(fields=["topic", "question"], name="faq_topic_question")]
        permissions = [("publish_faq", "Can publish, unpublish and schedule FAQ entries")]

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        self.answer_html = markdown.render_html(self.answer)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The answer on the page of the FAQ index that lists it."""
        from faq.views import index_urls, place_in_topic

        in_topic_before = (
            FAQ.objects.filter(pk=self.pk).values_list(place_in_topic(), flat=True).get()
        )
        entry = {"slug": self.slug, "topic_id": self.topic_id, "in_topic_before": in_topic_before}
        return index_urls({self.pk: entry})[self.pk]

    @property
    def answer_text(self):
        return markdown.to_plain_text(self.answer_html)


class PlacementQuerySet(models.QuerySet):
    def visible(self, *, now=None):
        return self.filter(published_q("faq__", now=now))


class FAQPlacement(models.Model):
    """An FAQ shown on a role, comparison or cluster page, in order."""

    faq = models.ForeignKey(FAQ, on_delete=models.CASCADE, related_name="placements")
    item = models.ForeignKey(
        ContentItem,
        on_delete=models.CASCADE,
        related_name="faq_placements",
        verbose_name="shown on",
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "FAQ placement"
        constraints = [
            models.UniqueConstraint(
                fields=["faq", "item"],
                name="unique_faq_placement",
                violation_error_message="This FAQ is already shown on that page.",
            ),
        ]

    def __str__(self):
        return f"{self.faq} → {self.item}"
