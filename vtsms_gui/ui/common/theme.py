"""Colours for states, banners and check box frames that stay readable in the light and the dark
palette.

Each tone has a light-theme and a dark-theme shade with at least 4.5:1 contrast on that
theme's background; the icons carry the same meaning by shape, so colour is never the only cue.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QAbstractButton

from vtsms_gui.ui.common import icons


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
    accent = tone_colour(tone, palette)
    base = palette.color(QPalette.ColorRole.Base)
    mixed = _mix(base, accent, 0.18 if is_dark(palette) else 0.12)
    return BannerStyle(
        background=mixed.name(),
        border=accent.name(),
        text=palette.color(QPalette.ColorRole.Text).name(),
    )


def show_indicator_frames(
    buttons: Iterable[QAbstractButton], palette: QPalette | None = None
) -> None:
    """Keep the frames of check boxes and radio buttons visible on a dark palette.

    Fusion (Qt's style on Linux, and on Windows in dark mode) draws an indicator's frame in the
    Window colour darkened by 40%: on a dark window about 1.2:1, next to invisible. These
    buttons paint no background, so their own Window role feeds only that frame; one 40%
    lighter than the halfway point between Window and WindowText puts the frame at that point.
    Call it again when the palette changes: a light palette gets the inherited colours back.
    """
    palette = palette or QGuiApplication.palette()
    for button in buttons:
        if not is_dark(palette) or button.style().name() != "fusion":
            button.setPalette(QPalette())  # nothing set: inherit everything again
            continue
        own = QPalette()  # only Window is set: every other role is still inherited
        for group in (
            QPalette.ColorGroup.Active,
            QPalette.ColorGroup.Inactive,
            QPalette.ColorGroup.Disabled,
        ):
            frame = _mix(
                palette.color(group, QPalette.ColorRole.Window),
                palette.color(group, QPalette.ColorRole.WindowText),
                0.5,
            )
            own.setColor(group, QPalette.ColorRole.Window, frame.lighter(140))
        button.setPalette(own)


def _mix(colour: QColor, other: QColor, share: float) -> QColor:
    """`colour` moved `share` of the way towards `other`."""
    return QColor(
        round(colour.red() + (other.red() - colour.red()) * share),
        round(colour.green() + (other.green() - colour.green()) * share),
        round(colour.blue() + (other.blue() - colour.blue()) * share),
    )


class _ThemeSignal(QObject):
    """One signal for the whole app: the palette or the style changed. Fed by Qt: the colour
    scheme's own signal, and the main window's PaletteChange/StyleChange events (see
    `palette_changed`); models have no such events, and widgets need not be told one by one."""

    changed = Signal()

    def __init__(self, app: QGuiApplication) -> None:
        super().__init__(app)  # lives and ends with the application
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.announce)

    def announce(self) -> None:
        icons.clear_cache()  # themed icons are drawn in the palette's colours: before anyone
        self.changed.emit()


_signals: list[_ThemeSignal] = []  # the running application's one (a new app gets its own)


def _theme_signal() -> _ThemeSignal | None:
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return None  # no GUI, no theme to follow (a model used on its own)
    if not _signals or not shiboken6.isValid(_signals[0]):
        _signals[:] = [_ThemeSignal(app)]
    return _signals[0]


def on_theme_change(slot: Callable[[], object]) -> None:
    """Call `slot` (a bound method of a QObject, so it ends with its object) whenever the
    palette or the style changes, after the themed icons were forgotten."""
    signal = _theme_signal()
    if signal is not None:
        signal.changed.connect(slot)


def palette_changed() -> None:
    """Qt said the palette or the style changed (a window's changeEvent): tell everyone."""
    signal = _theme_signal()
    if signal is not None:
        signal.announce()
