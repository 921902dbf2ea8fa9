"""Installs are reproducible: every package is pinned with its hashes in the lock files, the
pins satisfy pyproject.toml's ranges (a range changed without ``make lock`` fails here), and
``make install`` installs from the lock."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pins(lock):
    """{package: (version, [hashes])} of a lock file."""
    text = (ROOT / lock).read_text().replace("\\\n", " ")
    found = {}
    for line in text.splitlines():
        match = re.match(r"([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==(\S+)", line)
        if match:
            hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", line)
            found[canonicalize_name(match[1])] = (match[2].split(";")[0], hashes)
    return found


@pytest.mark.parametrize(
    ("lock", "groups"),
    [("requirements.lock", ["dev"]), ("requirements-load.lock", ["dev", "load"])],
)
def test_the_lock_pins_every_requirement_within_its_range(lock, groups):
    locked = pins(lock)
    wanted = PROJECT["dependencies"] + [
        r for g in groups for r in PROJECT["optional-dependencies"][g]
    ]
    for line in wanted:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in {lock}: run make lock"
        version, _ = locked[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock} pins {name}=={version}, outside {requirement.specifier}: run make lock"
        )
    assert all(hashes for _, hashes in locked.values()), f"a package of {lock} has no hash"


def test_make_install_installs_from_the_lock_with_hashes():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --require-hashes --no-deps -r $(LOCK)" in makefile
    assert "$(VENV)/.installed: $(LOCK)" in makefile
