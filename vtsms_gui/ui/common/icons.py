"""The window's SVG icons, found in a source checkout, an installed package or a PyInstaller bundle.

Coloured icons (row states, outcomes) are drawn to read on light and dark backgrounds alike;
monochrome ones use `currentColor` and are painted in the palette's text colour.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QPainter, QPalette, QPixmap

from vtsms_gui.resources_path import resources_dir

if TYPE_CHECKING:
    from PySide6.QtSvg import QSvgRenderer

ICON_SIZES = (16, 24, 32)


def icon_path(name: str) -> Path:
    return resources_dir() / "icons" / f"{name}.svg"


@functools.cache
def icon(name: str) -> QIcon:
    """A coloured icon by name (e.g. "state-ok"); an empty icon when the file is missing."""
    path = icon_path(name)
    return QIcon(str(path)) if path.is_file() else QIcon()


def themed_icon(name: str, palette: QPalette | None = None) -> QIcon:
    """A monochrome icon painted in the palette's text colour (so it follows light/dark)."""
    palette = palette or QGuiApplication.palette()
    return _themed_icon(name, palette.color(QPalette.ColorRole.WindowText).name())


@functools.cache
def _themed_icon(name: str, colour: str) -> QIcon:
    path = icon_path(name)
    if not path.is_file():
        return QIcon()
    # QtSvg loads with the first themed icon, not with the window's first paint.
    from PySide6.QtSvg import QSvgRenderer

    svg = path.read_text(encoding="utf-8").replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    result = QIcon()
    for size in ICON_SIZES:
        for ratio in (1, 2):
            result.addPixmap(_render(renderer, size, ratio))
    return result


def _render(renderer: QSvgRenderer, size: int, ratio: int) -> QPixmap:
    image = QImage(QSize(size * ratio, size * ratio), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def clear_cache() -> None:
    """Forget painted icons (after the colour scheme changes)."""
    _themed_icon.cache_clear()
