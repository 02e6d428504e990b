"""The layering of docs/ARCHITECTURE.md and the packaging list, checked on the source."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from vtsms_gui.resources_path import resources_dir

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "vtsms_gui"

# What each layer may not import (top-level module names).
FORBIDDEN = {
    "domain": {
        "PySide6",
        "shiboken6",
        "zeep",
        "requests",
        "lxml",
        "sqlite3",
        "keyring",
        "vtsms_gui",
    },
    "api": {"PySide6", "shiboken6", "sqlite3", "keyring"},
    "storage": {"PySide6", "shiboken6", "zeep", "requests"},
    "simulator": {"PySide6", "shiboken6", "zeep"},
    "cli": {"PySide6", "shiboken6"},
    # The core reaches VETtrak through api/ and the disk through storage/, never directly.
    "core": {"PySide6", "shiboken6", "zeep", "requests", "lxml", "sqlite3", "keyring"},
}
# The domain may import its own modules only.
DOMAIN_ALLOWED_PREFIX = "vtsms_gui.domain"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layers_import_only_downwards(layer: str) -> None:
    offenders = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for module in imported_modules(path):
            top = module.split(".")[0]
            if layer == "domain" and module.startswith(DOMAIN_ALLOWED_PREFIX):
                continue
            if top in FORBIDDEN[layer] or module.startswith("vtsms_gui.ui"):
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


# The journalled send lives once, in core.sending: a face never drives it itself.
FACE_MAY_NOT_CALL = {"run_send", "recorder", "create_send", "add_batches", "recover_interrupted"}


@pytest.mark.parametrize("face", ["cli", "ui"])
def test_faces_send_and_recover_only_through_the_core(face: str) -> None:
    offenders = []
    for path in sorted((PACKAGE / face).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            called = None
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                called = node.func.attr
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                called = node.func.id
            if called in FACE_MAY_NOT_CALL:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} calls {called}")
    assert offenders == []


def test_every_python_package_is_listed_for_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in PACKAGE.rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_resources_are_found_in_the_checkout() -> None:
    assert resources_dir() == ROOT / "resources"
    assert (resources_dir() / "icons" / "state-ok.svg").is_file()


# The send journal's modules, lowest first: each may import only those before it.
JOURNAL_MODULES = [
    "location",
    "errors",
    "schema",
    "records",
    "sqlite_access",
    "rows",
    "recorder",
    "journal",
]


def test_the_journal_modules_import_only_those_below_them() -> None:
    folder = PACKAGE / "storage" / "journal"
    assert {path.stem for path in folder.glob("*.py")} == {*JOURNAL_MODULES, "__init__"}
    offenders = []
    for index, name in enumerate(JOURNAL_MODULES):
        for module in imported_modules(folder / f"{name}.py"):
            if module == "vtsms_gui.storage.journal" or (
                module.startswith("vtsms_gui.storage.journal.")
                and module.rsplit(".", 1)[1] not in JOURNAL_MODULES[:index]
            ):
                offenders.append(f"storage/journal/{name}.py imports {module}")
    assert offenders == []


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports_of(path: Path, known: set[str]) -> set[str]:
    """Modules of vtsms_gui that `path` imports, at module level, inside functions or only
    for type checkers (under `if TYPE_CHECKING:`): a type-only cycle still ties the two
    modules together, so it counts too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from package import submodule` needs the submodule, not the package's names.
            submodules = [f"{node.module}.{a.name}" for a in node.names]
            candidates = [m for m in submodules if m in known] or [node.module]
        else:
            continue
        found.update(name for name in candidates if name in known)
    return found


def test_no_two_modules_import_each_other() -> None:
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}
    known = set(paths)
    graph = {name: _imports_of(path, known) - {name} for name, path in paths.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == [], "\n".join(" -> ".join(c) for c in cycles)


MAX_MODULE_LINES = 500


def test_no_module_is_over_500_lines() -> None:
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}


def test_only_the_feedback_module_uses_message_boxes() -> None:
    """Every question and message goes through ui/common/feedback.py: one wording, one set of
    buttons, and tests answer them with `scripted_feedback`."""
    allowed = PACKAGE / "ui" / "common" / "feedback.py"
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == allowed:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            named = (isinstance(node, ast.Name) and node.id == "QMessageBox") or (
                isinstance(node, ast.alias) and node.name.rsplit(".", 1)[-1] == "QMessageBox"
            )
            if named:
                offenders.append(f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}")
    assert offenders == []
