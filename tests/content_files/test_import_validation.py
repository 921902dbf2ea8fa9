"""import_content applies the models' own validation (the admin's rules) to every file before
writing anything; a malformed file is a problem naming the file, the key and the rule, never a
traceback (hardening H6)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from comparisons.models import Role
from harness_cms.core.models import ContentItem

pytestmark = pytest.mark.django_db


ROLE = "---\ntitle: Data Engineer\nslug: data-engineer\nstatus: published\n{extra}---\n\nBody.\n"


PLAIN_ROLE = ROLE.format(extra="")


def tree(tmp_path, role=PLAIN_ROLE, faqs=None, topics=None, files=None):
    (tmp_path / "roles").mkdir()
    (tmp_path / "roles/data-engineer.md").write_text(role, encoding="utf-8")
    if faqs is not None:
        (tmp_path / "faqs.yaml").write_text(faqs, encoding="utf-8")
    if topics is not None:
        (tmp_path / "topics.yaml").write_text(topics, encoding="utf-8")
    for name, content in (files or {}).items():
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content)
    return tmp_path


def refused(root):
    """The command's problems; and nothing was written."""
    with pytest.raises(CommandError) as error:
        call_command("import_content", str(root), stdout=StringIO())
    message = str(error.value)
    assert message.startswith("Nothing imported; fix these first:")
    assert not ContentItem.objects.exists()
    return message


def role_with(extra):
    return ROLE.format(extra=extra)


CASES = {
    "javascript card": (
        "related:\n- url: 'javascript:alert(document.domain)'\n  title: Click\n",
        "roles/data-engineer.md: related: Enter a valid URL.",
    ),
    "5,000-character title": (
        None,
        "roles/data-engineer.md: title: Ensure this value has at most 200 characters (it has 5000)",
    ),
    "12.5 MB body": (None, "roles/data-engineer.md: body: Ensure this value has at most 200000"),
    "huge position": ("order: 99999999\n", "roles/data-engineer.md: order: Ensure this value"),
    "bad slug": (None, "roles/data-engineer.md: slug:"),
    "reserved slug": (None, "roles/data-engineer.md: slug: “page” is kept for the pages"),
    "tags as text": ("tags: harness\n", "roles/data-engineer.md: tags: must be a list of texts"),
    "order not a number": ("order: abc\n", "roles/data-engineer.md: order: 'abc' is not a whole"),
    "title a list": (None, "roles/data-engineer.md: title: must be text"),
    "rows of text": ("rows:\n- just text\n", "roles/data-engineer.md: rows: must be a list of"),
    "cards a mapping": (
        "related: {target: /x/}\n",
        "roles/data-engineer.md: related: must be a list",
    ),
    "card with unknown keys": ("related:\n- href: /x/\n", "unknown card keys: ['href']"),
    "is_home text": (
        "is_home: perhaps\n",
        "roles/data-engineer.md: is_home: must be true or false",
    ),
    "faqs as text": ("faqs: career-path\n", "roles/data-engineer.md: faqs: must be a list"),
    "noindex text": ("noindex: maybe\n", "roles/data-engineer.md: noindex: must be true or false"),
    "javascript canonical": (
        "canonical_url: 'javascript:alert(1)'\n",
        "roles/data-engineer.md: canonical_url: Enter a valid URL.",
    ),
    "faq home not placed": (
        "faq_homes: [career-path]\n",
        "roles/data-engineer.md: faq_homes: 'career-path' is not among this page's faqs",
    ),
    "upper-case slug": (None, "roles/data-engineer.md: slug: Use lowercase"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_file_breaking_a_rule_is_refused_and_named(tmp_path, case):
    extra, expected = CASES[case]
    role = role_with(extra or "")
    if case == "5,000-character title":
        role = role.replace("title: Data Engineer", "title: " + "t" * 5000)
    elif case == "12.5 MB body":
        role = role.replace("Body.", "x" * 12_500_000)
    elif case == "bad slug":
        role = role.replace("slug: data-engineer", "slug: 'bad slug <x>'")
    elif case == "reserved slug":
        role = role.replace("slug: data-engineer", "slug: page")
    elif case == "title a list":
        role = role.replace("title: Data Engineer", "title: [Data, Engineer]")
    elif case == "upper-case slug":
        role = role.replace("slug: data-engineer", "slug: Data-Engineer")
    message = refused(tree(tmp_path, role))
    assert expected in message, message


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    root = tree(tmp_path, files={"roles/latin.md": "---\ntitle: Caf\xe9\n---\n".encode("latin-1")})
    assert "roles/latin.md: front matter: is not UTF-8 text" in refused(root)


def test_a_yaml_file_that_is_not_utf8_is_named(tmp_path):
    root = tree(tmp_path, files={"faqs.yaml": "- slug: caf\xe9\n".encode("latin-1")})
    assert "faqs.yaml: is not UTF-8 text" in refused(root)


def test_an_faq_breaking_a_model_rule_is_named(tmp_path):
    faqs = "- slug: one\n  question: " + "q" * 400 + "\n  answer: A.\n"
    assert "faqs.yaml #1 (one): question: Ensure this value has at most 300" in refused(
        tree(tmp_path, faqs=faqs)
    )


def test_two_faqs_asking_the_same_question_in_the_site_are_named(tmp_path):
    from tests.factories import make_faq

    make_faq("Same question?", slug="first")
    faqs = "- slug: second\n  question: Same question?\n  answer: A.\n"
    with pytest.raises(CommandError) as error:
        call_command("import_content", str(tree(tmp_path, faqs=faqs)), stdout=StringIO())
    assert "faqs.yaml #1 (second): question: FAQ entry with this Question already exists" in str(
        error.value
    )
    assert not Role.objects.exists()


def test_a_topic_with_a_non_numeric_order_is_named(tmp_path):
    topics = "- slug: memory\n  name: Memory\n  order: first\n"
    assert "topics.yaml #1: order: 'first' is not a whole number" in refused(
        tree(tmp_path, topics=topics)
    )


def test_a_valid_tree_still_imports(tmp_path):
    call_command(
        "import_content", str(tree(tmp_path, role_with("tags: [data]\n"))), stdout=StringIO()
    )
    assert list(Role.objects.get().tags.names()) == ["data"]
