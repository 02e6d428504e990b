"""Saved message templates: a JSON file in the config folder (not QSettings: a user can copy
it to a colleague). Templates hold message text only, never anything secret."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from vtsms_gui.storage.paths import config_dir

FILE_NAME = "templates.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Template:
    name: str
    text: str


class TemplateProblem(Exception):
    """The templates file cannot be read or written; `str()` says so in plain English."""


class TemplateStore:
    def __init__(self, path: Path | None = None) -> None:
        """`path` defaults to templates.json in the app's config folder (found when first used)."""
        self._path = path

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = config_dir() / FILE_NAME
        return self._path

    def load(self) -> list[Template]:
        """The saved templates in their order; [] when there is no file yet."""
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as error:
            raise TemplateProblem(
                f"The saved templates cannot be read: {error.strerror}."
            ) from None
        try:
            data = json.loads(raw)
            return [Template(str(t["name"]), str(t["text"])) for t in data["templates"]]
        except (ValueError, KeyError, TypeError):
            raise TemplateProblem(
                f"The templates file is damaged and was not read: {self.path}"
            ) from None

    def save(self, templates: list[Template]) -> None:
        """Replace the file in one step, so a crash never leaves half a file."""
        data = {
            "version": FORMAT_VERSION,
            "templates": [{"name": t.name, "text": t.text} for t in templates],
        }
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".templates-", suffix=".json")
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(data, file, ensure_ascii=False, indent=2)
            os.replace(temporary, self.path)
        except OSError as error:
            raise TemplateProblem(f"The templates could not be saved: {error.strerror}.") from None

    def put(self, template: Template) -> list[Template]:
        """Add a template, or replace the one with the same name (case-insensitive)."""
        kept = [t for t in self.load() if t.name.casefold() != template.name.casefold()]
        templates = [*kept, template]
        self.save(templates)
        return templates

    def remove(self, name: str) -> list[Template]:
        templates = [t for t in self.load() if t.name != name]
        self.save(templates)
        return templates
