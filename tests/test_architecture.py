"""The layers of docs/architecture.md hold: every module has its layer, no module imports one
above it, and no modules import each other in a circle (imports inside functions count)."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("harness_cms", "comparisons", "pages", "faq")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def contracts():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {contract["id"]: contract for contract in config["contracts"]}


def layer_modules():
    """Every module a layer of the layers contract names (a package stands for its modules)."""
    names = []
    for layer in contracts()["layers"]["layers"]:
        names += [name.strip() for name in layer.replace("|", ":").split(":") if name.strip()]
    return names


def project_modules():
    """The project's own modules, migrations left out, package ``__init__`` files too."""
    modules = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts or parts[-1] == "__init__":
                continue
            modules.append(".".join(parts))
    return modules


def lint_imports(root, contract):
    return subprocess.run(
        [str(LINT_IMPORTS), "--contract", contract, "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_module_has_a_layer():
    """A new module is placed in the layers contract, or lint-imports could not check it."""
    placed = layer_modules()
    unplaced = [
        module
        for module in project_modules()
        if not any(module == name or module.startswith(f"{name}.") for name in placed)
    ]
    assert unplaced == []


@pytest.fixture
def copy_of_the_code(tmp_path):
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_layers_hold_and_a_wrong_way_import_breaks_them(copy_of_the_code):
    kept = lint_imports(copy_of_the_code, "layers")
    assert kept.returncode == 0, kept.stdout
    # The core's models reaching up to a content app's views, inside a function as lazy
    # imports are written.
    models = copy_of_the_code / "harness_cms" / "core" / "models.py"
    models.write_text(
        models.read_text() + "\n\ndef _wrong_way():\n    from comparisons import views\n"
    )
    broken = lint_imports(copy_of_the_code, "layers")
    assert broken.returncode == 1
    assert "harness_cms.core.models is not allowed to import comparisons.views" in broken.stdout


def test_a_service_app_importing_a_sibling_breaks_their_independence(copy_of_the_code):
    revisions = copy_of_the_code / "harness_cms" / "editorial" / "revisions.py"
    revisions.write_text(revisions.read_text() + "\nfrom harness_cms.seo import head  # noqa\n")
    broken = lint_imports(copy_of_the_code, "services-search")
    assert broken.returncode == 1
    assert "harness_cms.editorial is not allowed to import harness_cms.seo" in broken.stdout


def test_no_modules_import_each_other_in_a_circle():
    graph = grimp.build_graph(*PACKAGES)
    modules = {module for module in graph.modules if ".migrations" not in module}
    edges = {
        module: {
            imported
            for imported in graph.find_modules_directly_imported_by(module)
            if imported in modules
        }
        for module in modules
    }
    assert _cycles(edges) == []


def _cycles(edges):
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in edges[module]:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return found
