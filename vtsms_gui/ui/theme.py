"""Colours for states and banners that stay readable in the light and the dark palette.

Each tone has a light-theme and a dark-theme shade with at least 4.5:1 contrast on that
theme's background; the icons carry the same meaning by shape, so colour is never the only cue.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette


class Tone(enum.Enum):
    GOOD = "good"
    WARN = "warn"
    BAD = "bad"
    UNKNOWN = "unknown"
    INFO = "info"
    MUTED = "muted"


# (light theme shade, dark theme shade)
_SHADES: dict[Tone, tuple[str, str]] = {
    Tone.GOOD: ("#2b7a3a", "#69db7c"),
    Tone.WARN: ("#9c5400", "#ffc078"),
    Tone.BAD: ("#c92a2a", "#ff8787"),
    Tone.UNKNOWN: ("#6741d9", "#b197fc"),
    Tone.INFO: ("#1864ab", "#74c0fc"),
    Tone.MUTED: ("#5f666d", "#adb5bd"),
}


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def tone_colour(tone: Tone, palette: QPalette | None = None) -> QColor:
    light, dark = _SHADES[tone]
    return QColor(dark if is_dark(palette) else light)


@dataclass(frozen=True)
class BannerStyle:
    background: str
    border: str
    text: str


def banner_style(tone: Tone, palette: QPalette | None = None) -> BannerStyle:
    """A tinted background for a banner: the tone mixed into the palette's base colour."""
    palette = palette or QGuiApplication.palette()
    base = palette.color(QPalette.ColorRole.Base)
    accent = tone_colour(tone, palette)
    share = 0.18 if is_dark(palette) else 0.12
    mixed = QColor(
        round(base.red() + (accent.red() - base.red()) * share),
        round(base.green() + (accent.green() - base.green()) * share),
        round(base.blue() + (accent.blue() - base.blue()) * share),
    )
    return BannerStyle(
        background=mixed.name(),
        border=accent.name(),
        text=palette.color(QPalette.ColorRole.Text).name(),
    )
