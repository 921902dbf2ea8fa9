"""Generate a large, realistic site with bulk inserts: roles, cluster pages, comparisons, FAQs,
their placements, cards, rows, shared points and tags.

Each item is built as an unsaved model instance and given exactly what a save stores — by the
same ``derive()`` that ``save()`` calls — then written in batches.
Django's ``bulk_create`` refuses multi-table-inherited models, so the ``ContentItem`` rows are
bulk-created first and the kind's own row (its local fields, keyed by the new id) is inserted
next with one ``executemany`` per batch (docs/decisions/0041-scale-data-bulk-inserts.md).

Everything generated is marked by its editor, the inactive account ``scale-data``: that is how
``clear()`` finds it again, and how the admin shows who wrote it. Other content is left alone.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import batched, combinations

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from comparisons.models import Comparison, ComparisonRow, Role, SharedPoint
from faq.models import FAQ, FAQPlacement, Topic
from harness_cms.core.generation import content_changed
from harness_cms.core.models import ContentItem, RelatedLink
from harness_cms.core.text import META_DESCRIPTION_MAX
from harness_cms.core.visibility import Status
from harness_cms.operations.scale_text import CLUSTER_SLUGS, TAGS, TOPICS, Writer, article
from pages.models import Page

GENERATOR_USERNAME = "scale-data"
# Share of generated pages that are stand-alone guides rather than pages of a role's cluster.
GUIDE_SHARE = 0.1


class ScaleDataError(Exception):
    """The requested counts cannot be generated, or generated data is in the way."""


@dataclass(frozen=True)
class Counts:
    roles: int
    comparisons: int
    pages: int
    faqs: int

    def check(self):
        for name, value in vars(self).items():
            if value < 0:
                raise ScaleDataError(f"--{name} must be 0 or more, not {value}.")
        pairs = max_comparisons(self.roles)
        if self.comparisons > pairs:
            raise ScaleDataError(
                f"{self.roles} roles allow at most {pairs:,} comparisons (one per pair of roles); "
                f"asked for {self.comparisons:,}. Give more --roles or fewer --comparisons."
            )
        if self.roles == 0 and (self.pages or self.faqs):
            raise ScaleDataError("Pages and FAQs are written about roles: give --roles 1 or more.")


def max_comparisons(roles):
    return roles * (roles - 1) // 2


@dataclass
class Planned:
    """A generated item with what its texts and links are about."""

    obj: ContentItem
    roles: tuple  # indexes of the roles the item is about
    next_targets: list = field(default_factory=list)  # (title, path)


def generator_user():
    """The inactive account recorded as the editor of everything generated."""
    user, created = User.objects.get_or_create(
        username=GENERATOR_USERNAME,
        defaults={"is_active": False, "first_name": "Generated", "last_name": "scale data"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def generated_count():
    """How many items and FAQs the generator has written and are still here."""
    mark = {"updated_by__username": GENERATOR_USERNAME}
    return ContentItem.objects.filter(**mark).count() + FAQ.objects.filter(**mark).count()


def clear(*, progress=print):
    """Delete everything the generator wrote; return how many items and FAQs went."""
    user = User.objects.filter(username=GENERATOR_USERNAME).first()
    if user is None:
        return 0
    total = 0
    with transaction.atomic():
        # Comparisons and pages first: they hold protected references to the roles.
        for label, queryset in [
            ("FAQs", FAQ.objects.filter(updated_by=user)),
            ("comparisons", Comparison.objects.filter(updated_by=user)),
            ("pages", Page.objects.filter(updated_by=user)),
            ("roles", Role.objects.filter(updated_by=user)),
        ]:
            started = time.monotonic()
            count = queryset.count()
            try:
                queryset.delete()
            except ProtectedError as error:
                raise ScaleDataError(
                    f"Cannot delete the generated {label}: other content refers to them "
                    f"({len(error.protected_objects)} objects, e.g. "
                    f"{next(iter(error.protected_objects))}). Delete or re-point those first."
                ) from error
            progress(f"Deleted {count:,} generated {label} ({time.monotonic() - started:.1f} s)")
            total += count
        Topic.objects.filter(slug__in=[slug for slug, _, _ in TOPICS], faqs__isnull=True).delete()
    cache.clear()
    content_changed()
    return total


def generate(counts, *, seed=1, batch_size=1000, progress=print):
    """Write ``counts`` of generated content in one transaction; return the numbers written."""
    counts.check()
    return _Generator(counts, seed=seed, batch_size=batch_size, progress=progress).run()


class _Generator:
    def __init__(self, counts, *, seed, batch_size, progress):
        self.counts = counts
        self.rng = random.Random(seed)  # noqa: S311 - repeatable test data, not secrets
        self.writer = Writer(self.rng)
        self.batch_size = batch_size
        self.progress = progress
        self.now = timezone.now()
        self.written = {}
        self.last_report = {}

    def run(self):
        with transaction.atomic():
            self.user = generator_user()
            self.roles = self._roles()
            self.pages = self._pages()
            self.comparisons = self._comparisons()
            items = self.roles + self.pages + self.comparisons
            self.by_path = {planned.obj.path: planned.obj.pk for planned in items}
            self._tags(items)
            faqs = self._faqs()
            self._placements(items, faqs)
            self._links(items)
        # Fresh planner statistics: without them SQLite picks the status index over the slug
        # index for a page lookup and one request goes from milliseconds to most of a second.
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.progress(
            f"Updated the query planner's statistics ({time.monotonic() - started:.1f} s)"
        )
        cache.clear()
        # Bulk inserts send no signals: the pages of every process must go.
        content_changed()
        return self.written

    # Shared by every kind -----------------------------------------------------------------

    def _common(self, obj):
        obj.status = Status.PUBLISHED
        obj.publish_at = self.now - timedelta(seconds=self.rng.randint(3600, 400 * 86400))
        obj.updated_by = self.user
        return obj

    def _insert(self, label, model, planned, fill):
        """Fill each item's texts, derive what ``save()`` derives, and bulk-insert in batches."""
        started = time.monotonic()
        done = 0
        for batch in batched(planned, self.batch_size):
            objs = []
            for entry in batch:
                fill(entry)
                obj = entry.obj
                # What save() stores; tests compare the result with save().
                obj.derive()
                validated(obj)
                objs.append(obj)
            insert_items(model, objs)
            done += len(objs)
            self._report(label, done, len(planned), started)
        self.written[label] = len(planned)

    def _report(self, label, done, total, started):
        elapsed = time.monotonic() - started
        # A line every few seconds, and the last one, is enough to see it move.
        if done < total and elapsed - self.last_report.get(label, -10) < 3:
            return
        self.last_report[label] = elapsed
        rate = done / elapsed if elapsed else 0
        self.progress(f"{label:<16} {done:>9,}/{total:,}  {elapsed:7.1f} s  {rate:8,.0f}/s")

    # Roles --------------------------------------------------------------------------------

    def _roles(self):
        taken = set(Role.objects.values_list("slug", flat=True))
        first = (Role.objects.aggregate(last=Max("position"))["last"] or 0) + 1
        titles = self.writer.role_titles(self.counts.roles, taken)
        planned = []
        for i, title in enumerate(titles):
            role = self._common(Role(title=title, slug=slugify(title), position=first + i))
            role.profile = self.writer.profile()
            planned.append(Planned(role, (i,)))
        # Comparison pairs are chosen now so role pages can link to their comparisons.
        self.pairs = self._pairs(len(planned))
        self.pairs_of = {i: [] for i in range(len(planned))}
        for pair in self.pairs:
            for i in pair:
                self.pairs_of[i].append(pair)
        roles = [entry.obj for entry in planned]

        def fill(entry):
            role = entry.obj
            (i,) = entry.roles
            profile = role.profile
            others = [roles[j] for j in self.rng.sample(range(len(roles)), min(3, len(roles)))]
            comparisons = [
                Comparison(role_a=roles[a], role_b=roles[b]) for a, b in self.pairs_of[i][:3]
            ]
            targets = [_ref(comparison) for comparison in comparisons]
            targets += [_ref(other) for other in others if other is not role]
            entry.next_targets = targets[:2]
            role.summary = self.writer.role_summary(profile)
            role.lead = self.writer.role_lead(role.title, profile)
            role.body = self.writer.role_body(role.title, profile, links=targets)
            role.next_step = self.writer.next_step(entry.next_targets)
            role.faq_intro = f"Questions people ask about the {role.title} role."
            role.related_intro = f"More about the {role.title} and the roles around it."
            seo_title = f"What Is {article(role.title)} {role.title}?"
            role.seo_title = seo_title if len(seo_title) <= 60 else ""
            role.seo_description = self.writer.seo_description(role.title, profile)
            role.target_keyword = role.title.lower()

        self._insert("roles", Role, planned, fill)
        return planned

    def _pairs(self, role_count):
        wanted = self.counts.comparisons
        if not wanted:
            return []
        if max_comparisons(role_count) <= 2_000_000:
            pairs = self.rng.sample(list(combinations(range(role_count), 2)), wanted)
        else:
            chosen = set()
            while len(chosen) < wanted:
                a, b = sorted(self.rng.sample(range(role_count), 2))
                chosen.add((a, b))
            pairs = sorted(chosen)
            self.rng.shuffle(pairs)
        # Which role is "A" varies, as it does when editors create comparisons.
        return [pair if self.rng.random() < 0.5 else pair[::-1] for pair in pairs]

    # Cluster pages and guides -------------------------------------------------------------

    def _pages(self):
        roles = [entry.obj for entry in self.roles]
        guide_count = round(self.counts.pages * GUIDE_SHARE)
        taken_guides = set(
            Page.objects.filter(role__isnull=True).values_list("slug", flat=True)
        ) | {""}
        planned = []
        for k in range(self.counts.pages - guide_count):
            i = k % len(roles)
            role = roles[i]
            position = k // len(roles)
            if position < len(CLUSTER_SLUGS):
                slug, page_kind, pattern = CLUSTER_SLUGS[position]
                title = pattern.format(
                    role=role.title, a_role=f"{article(role.title)} {role.title}"
                )
            else:
                concept = self.rng.choice(role.profile.concepts)
                slug = slugify(f"{concept}-notes-{position}")
                page_kind, title = "guide", f"{role.title} Notes: {concept.capitalize()}"
            page = Page(title=title, slug=slug, page_kind=page_kind, role=role, position=position)
            planned.append(Planned(self._common(page), (i,)))
        for _ in range(guide_count):
            title = self.writer.guide_title(taken_guides)
            taken_guides.add(slugify(title))
            page = Page(title=title, slug=slugify(title), page_kind="guide")
            # A guide belongs to no role but is written around one role's concerns.
            planned.append(Planned(self._common(page), (self.rng.randrange(len(roles)),)))
        for entry in planned:
            entry.obj.path = entry.obj.compute_path()
        self.pages_of = {i: [] for i in range(len(roles))}
        for entry in planned:
            if entry.obj.role_id:
                self.pages_of[entry.roles[0]].append(entry.obj)

        def fill(entry):
            page = entry.obj
            (i,) = entry.roles
            role = roles[i]
            profile = role.profile
            targets = [_ref(role)]
            siblings = [p for p in self.pages_of[i] if p is not page]
            targets += [_ref(p) for p in self.rng.sample(siblings, min(2, len(siblings)))]
            targets += [
                _ref(Comparison(role_a=roles[a], role_b=roles[b])) for a, b in self.pairs_of[i][:1]
            ]
            entry.next_targets = targets[1:3] or targets[:1]
            page.lead = self.writer.page_lead(page.title, role.title, profile)
            page.body = self.writer.page_body(page.page_kind, role.title, profile, links=targets)
            page.next_step = self.writer.next_step(entry.next_targets)
            page.faq_intro = "Questions that come up on this topic."
            page.related_intro = "Related pages."
            page.seo_description = f"{page.title}: {profile.concepts[2]}, {profile.concerns[0]} "
            page.seo_description = (page.seo_description + "and how teams handle them.")[
                :META_DESCRIPTION_MAX
            ]
            page.target_keyword = page.title.lower()[:120]
            page.profile = profile

        self._insert("pages", Page, planned, fill)
        return planned

    # Comparisons --------------------------------------------------------------------------

    def _comparisons(self):
        roles = [entry.obj for entry in self.roles]
        planned = []
        for a, b in self.pairs:
            comparison = Comparison(role_a=roles[a], role_b=roles[b])
            # What Comparison.save() sets before ContentItem.save() runs.
            comparison.slug = Comparison.pair_slug(comparison.role_a, comparison.role_b)
            comparison.title = f"{comparison.role_a.title} vs {comparison.role_b.title}"
            planned.append(Planned(self._common(comparison), (a, b)))

        def fill(entry):
            comparison = entry.obj
            a, b = entry.roles
            role_a, role_b = roles[a], roles[b]
            targets = [_ref(role_a), _ref(role_b)]
            targets += [_ref(page) for page in self.pages_of[a][:2]]
            entry.next_targets = targets[2:4] or targets[:2]
            fields = self.writer.comparison_fields(
                role_a.title, role_a.profile, role_b.title, role_b.profile, links=targets
            )
            comparison.rows_text = fields.pop("rows")
            comparison.points_text = fields.pop("shared_points")
            for name, value in fields.items():
                setattr(comparison, name, value)
            comparison.next_step = self.writer.next_step(entry.next_targets)
            comparison.faq_intro = "Questions about how these two roles divide the work."
            comparison.related_intro = "More on both roles."
            comparison.target_keyword = comparison.title.lower()[:120]

        self._insert("comparisons", Comparison, planned, fill)
        started = time.monotonic()
        rows, points = [], []
        for entry in planned:
            comparison = entry.obj
            rows += [
                ComparisonRow(
                    comparison_id=comparison.pk,
                    dimension=dimension,
                    role_a_text=text_a,
                    role_b_text=text_b,
                    position=position,
                )
                for position, (dimension, text_a, text_b) in enumerate(comparison.rows_text)
            ]
            points += [
                SharedPoint(comparison_id=comparison.pk, text=text, position=position)
                for position, text in enumerate(comparison.points_text)
            ]
        self._bulk("comparison rows", ComparisonRow, rows, started)
        self._bulk("shared points", SharedPoint, points, time.monotonic())
        return planned

    def _bulk(self, label, model, objs, started):
        done = 0
        for batch in batched(objs, self.batch_size * 5):
            model.objects.bulk_create(batch)
            done += len(batch)
            self._report(label, done, len(objs), started)
        self.written[label] = len(objs)

    # Tags, FAQs, placements, cards --------------------------------------------------------

    def _tag_objects(self):
        tags = {}
        for name in TAGS:
            tags[name] = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(
                name=name
            )
        return tags

    def _tags(self, items):
        self.tag_objects = self._tag_objects()
        types = {
            model: ContentType.objects.get_for_model(model) for model in (Role, Page, Comparison)
        }
        tagged = [
            TaggedItem(
                tag=self.tag_objects[name], content_type=types[type(e.obj)], object_id=e.obj.pk
            )
            for e in items
            for name in self.writer.tags()
        ]
        self._bulk("item tags", TaggedItem, tagged, time.monotonic())

    def _faqs(self):
        roles = [entry.obj for entry in self.roles]
        topics = {}
        for position, (slug, name, description) in enumerate(TOPICS, start=100):
            # An editor's topic of the same name is reused rather than duplicated.
            topics[slug] = (
                Topic.objects.filter(slug=slug).first()
                or Topic.objects.filter(name__iexact=name).first()
                or Topic.objects.create(
                    slug=slug, name=name, description=description, position=position
                )
            )
        questions = {q.lower() for q in FAQ.objects.values_list("question", flat=True)}
        slugs = set(FAQ.objects.values_list("slug", flat=True))
        planned = []
        attempts = 0
        while len(planned) < self.counts.faqs:
            attempts += 1
            i = self.rng.randrange(len(roles))
            question = self.writer.faq_question(roles[i].title, roles[i].profile)
            if attempts > 20 * self.counts.faqs:
                question = f"{question[:-1]} (question {len(planned) + 1})?"
            slug = faq_slug(question)
            if question.lower() in questions or slug in slugs:
                continue
            questions.add(question.lower())
            slugs.add(slug)
            faq = FAQ(question=question, slug=slug, topic=topics[self.writer.faq_topic(question)])
            planned.append(Planned(self._common(faq), (i,)))

        started = time.monotonic()
        faq_type = ContentType.objects.get_for_model(FAQ)
        done = 0
        for batch in batched(planned, self.batch_size):
            for entry in batch:
                role = roles[entry.roles[0]]
                links = [_ref(role)] if self.rng.random() < 0.5 else []
                entry.obj.answer = self.writer.faq_answer(role.title, role.profile, links=links)
                entry.obj.derive()
                validated(entry.obj)
            FAQ.objects.bulk_create([entry.obj for entry in batch])
            TaggedItem.objects.bulk_create(
                TaggedItem(tag=self.tag_objects[name], content_type=faq_type, object_id=e.obj.pk)
                for e in batch
                for name in self.writer.tags(1, 3)
            )
            done += len(batch)
            self._report("faqs", done, len(planned), started)
        self.written["faqs"] = len(planned)
        return planned

    def _placements(self, items, faqs):
        by_role = {}
        for entry in faqs:
            by_role.setdefault(entry.roles[0], []).append(entry.obj)
        placements = []
        for entry in items:
            pool = [faq for i in entry.roles for faq in by_role.get(i, [])]
            if not pool and faqs:
                pool = [faq.obj for faq in self.rng.sample(faqs, min(6, len(faqs)))]
            chosen = self.rng.sample(pool, min(self.rng.randint(2, 6), len(pool)))
            placements += [
                FAQPlacement(faq_id=faq.pk, item_id=entry.obj.pk, position=position)
                for position, faq in enumerate(chosen)
            ]
        self._bulk("faq placements", FAQPlacement, placements, time.monotonic())

    def _links(self, items):
        roles = [entry.obj for entry in self.roles]
        comparisons_of = {}
        for entry in self.comparisons:
            for i in entry.roles:
                comparisons_of.setdefault(i, []).append(entry.obj)
        links = []
        for entry in items:
            item = entry.obj
            candidates = []
            for i in entry.roles:
                candidates += [roles[i], *self.pages_of.get(i, [])[:3]]
                candidates += comparisons_of.get(i, [])[:3]
            if len(candidates) < 4 and roles:
                candidates += self.rng.sample(roles, min(4, len(roles)))
            seen, related = {item.path}, []
            for target in candidates:
                if target.path not in seen:
                    seen.add(target.path)
                    related.append(target)
            related = self.rng.sample(related, min(self.rng.randint(3, 5), len(related)))
            for position, target in enumerate(related):
                title = ""
                if isinstance(target, Role) and self.rng.random() < 0.5:
                    title = f"What is {article(target.title).lower()} {target.title}?"
                links.append(
                    RelatedLink(
                        source_id=item.pk,
                        target_id=target.pk,
                        section=RelatedLink.Section.RELATED,
                        title=title,
                        blurb=self.writer.blurb(target.title, self._profile_of(target, entry)),
                        position=position,
                    )
                )
            for position, (_, path) in enumerate(entry.next_targets):
                links.append(
                    RelatedLink(
                        source_id=item.pk,
                        target_id=self.by_path[path],
                        section=RelatedLink.Section.NEXT,
                        position=position,
                    )
                )
        self._bulk("cards", RelatedLink, links, time.monotonic())

    def _profile_of(self, target, entry):
        return getattr(target, "profile", None) or self.roles[entry.roles[0]].obj.profile


def faq_slug(question):
    """The FAQ slug an editor would give ``question``: slugified, cut to the field's length
    without a hyphen left at the end (the slug validator refuses one)."""
    length = FAQ._meta.get_field("slug").max_length
    return slugify(question).replace("_", "-")[:length].strip("-")


def validated(obj):
    """The model's own field rules, as the admin and imports apply them (lengths, slugs,
    positions), before a bulk insert that skips them; references and uniqueness hold by
    construction here, and are left to the database."""
    references = [field.name for field in obj._meta.fields if field.is_relation]
    obj.full_clean(exclude=references, validate_unique=False, validate_constraints=False)
    return obj


def insert_items(model, objs):
    """Insert unsaved ``Role``/``Comparison``/``Page`` instances: base rows, then kind rows."""
    base_fields = [f for f in ContentItem._meta.concrete_fields if not f.primary_key]
    bases = [
        ContentItem(**{f.attname: getattr(obj, f.attname) for f in base_fields}) for obj in objs
    ]
    ContentItem.objects.bulk_create(bases)
    for obj, base in zip(objs, bases, strict=True):
        for f in ContentItem._meta.concrete_fields:  # the id and the timestamps the insert set
            setattr(obj, f.attname, getattr(base, f.attname))
        setattr(obj, model._meta.pk.attname, base.pk)
        obj._state.adding = False
        obj._saved_path = obj.path
    fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    # Identifiers come from the model's metadata, quoted; values go as parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _ref(item, title=None):
    """A link target as the writers take it: (title, path). Works on unsaved items too; a
    comparison not yet filled in gets the title its save() would give it."""
    if not title and not item.title and isinstance(item, Comparison):
        title = f"{item.role_a.title} vs {item.role_b.title}"
    return (title or item.title, item.path or item.compute_path())
