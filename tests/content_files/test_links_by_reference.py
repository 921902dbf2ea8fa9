"""Links by reference in content files (decision 0135): written by the item's address, read
back as a reference to whichever item has that address in the importing database."""

import pytest

from comparisons.models import Role
from harness_cms.content_files.services import ContentFileError, export_content, import_content
from pages.models import Page
from tests.content_files.test_content_files import empty_the_database
from tests.factories import make_faq, make_page, make_role

pytestmark = pytest.mark.django_db


def test_export_writes_references_by_address(tmp_path):
    role = make_role("Data Engineer")
    make_page("Reading list", body=f"See [the role](item:{role.pk}#why).")
    make_faq("Where next?", answer=f"[The role](item:{role.pk})")
    export_content(tmp_path)
    assert (
        "See [the role](item:/roles/data-engineer/#why)."
        in (tmp_path / "pages/reading-list.md").read_text()
    )
    assert "[The role](item:/roles/data-engineer/)" in (tmp_path / "faqs.yaml").read_text()


def test_a_link_to_a_deleted_item_is_exported_as_its_text_and_reported(tmp_path):
    doomed = make_role("Gone Engineer")
    make_page("Reading list", body=f"See [the old role](item:{doomed.pk}).")
    doomed_id = doomed.pk
    doomed.delete()
    _written, skipped = export_content(tmp_path)
    assert "See the old role." in (tmp_path / "pages/reading-list.md").read_text()
    assert any(f"item:{doomed_id}" in line for line in skipped)


def test_import_links_to_the_item_at_that_address_even_one_made_later(tmp_path):
    """Pages are imported after roles: a role's text may link to a page the same import
    makes; the reference names the new page's id in this database."""
    role = make_role("Data Engineer")
    page = make_page("Pipelines guide", role=role)
    role.body = f"Read [the guide](item:{page.pk})."
    role.save()
    export_content(tmp_path)
    empty_the_database()
    make_role("Filler so that ids differ")
    import_content(tmp_path)
    new_role, new_page = Role.objects.get(slug="data-engineer"), Page.objects.get()
    assert new_role.body == f"Read [the guide](item:{new_page.pk})."
    assert f'href="item:{new_page.pk}"' in new_role.body_html
    assert import_content(tmp_path, dry_run=True).updated == []


def test_a_link_by_address_to_no_item_is_a_problem_of_the_file(tmp_path):
    make_role("Data Engineer")
    export_content(tmp_path)
    path = tmp_path / "roles/data-engineer.md"
    path.write_text(path.read_text() + "\n[Nowhere](item:/roles/nobody/)\n")
    with pytest.raises(ContentFileError) as error:
        import_content(tmp_path)
    assert "roles/data-engineer.md: body: links to item:/roles/nobody/: no item there" in str(
        error.value
    )
