"""Saved message templates on disk: order kept, names replaced case-insensitively, a damaged or
unreadable file explained, and the default file in the app's config folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vtsms_gui.storage.paths import config_dir
from vtsms_gui.storage.templates import Template, TemplateProblem, TemplateStore


def test_no_file_means_no_templates(tmp_path: Path) -> None:
    assert TemplateStore(tmp_path / "templates.json").load() == []


def test_put_adds_in_order_and_replaces_a_name_whatever_its_case(tmp_path: Path) -> None:
    store = TemplateStore(tmp_path / "sub" / "templates.json")
    store.put(Template("Cancelled", "Class is cancelled today."))
    store.put(Template("Room", "Class moves to room 4 – “B block”."))
    store.put(Template("cancelled", "Class is cancelled tomorrow."))
    assert TemplateStore(store.path).load() == [
        Template("Room", "Class moves to room 4 – “B block”."),
        Template("cancelled", "Class is cancelled tomorrow."),
    ]
    assert store.remove("Room") == [Template("cancelled", "Class is cancelled tomorrow.")]
    assert json.loads(store.path.read_text(encoding="utf-8"))["version"] == 1
    assert [p.name for p in store.path.parent.iterdir()] == ["templates.json"]  # no temp files


def test_a_damaged_file_is_explained_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "templates.json"
    path.write_text('{"templates": [{"name": "x"}]}', encoding="utf-8")
    with pytest.raises(TemplateProblem, match="damaged"):
        TemplateStore(path).load()
    assert path.read_text(encoding="utf-8") == '{"templates": [{"name": "x"}]}'


def test_an_unwritable_folder_is_explained(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(TemplateProblem, match="could not be saved"):
        TemplateStore(blocker / "templates.json").save([Template("a", "b")])


def test_the_default_file_is_in_the_config_folder() -> None:
    assert TemplateStore().path == config_dir() / "templates.json"
