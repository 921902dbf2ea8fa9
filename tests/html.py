"""Reading pages in tests: parsed HTML, and what every page of the site has."""

from bs4 import BeautifulSoup


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def assert_site_page(soup, *, h1):
    """What every page of ours has: one <h1>, a title of 10–65 characters, the skip link."""
    assert [tag.get_text(strip=True) for tag in soup.find_all("h1")] == [h1]
    assert 10 <= len(soup.title.get_text(strip=True)) <= 65, soup.title
    assert soup.find("a", class_="skip-link")["href"] == "#main"
    assert soup.find("main", id="main")
