"""The layering of ../shared/ARCHITECTURE.md and the packaging list, checked on the source."""

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
    "core": {"PySide6", "shiboken6"},
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
