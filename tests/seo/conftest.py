import json

import pytest
from bs4 import BeautifulSoup

from tests.demo import load_demo


@pytest.fixture
def demo(db):
    load_demo()


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def json_ld_blocks(response):
    """Every JSON-LD block of a page, parsed."""
    soup = soup_of(response)
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


def graph_of(response):
    """The page's single JSON-LD graph, as {type: [nodes]}."""
    blocks = json_ld_blocks(response)
    assert len(blocks) == 1, f"want one JSON-LD block, got {len(blocks)}"
    assert blocks[0]["@context"] == "https://schema.org"
    nodes = {}
    for node in blocks[0]["@graph"]:
        nodes.setdefault(node["@type"], []).append(node)
    return nodes
