"""Wording and look details: one full stop, singular counts, user text shown as typed in rich
text, and check boxes that stay visible in a dark palette."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPalette, QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QStyle,
    QStyleOptionButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tools.screenshots import dark_palette
from vtsms_gui.api.send_runner import SendProgress
from vtsms_gui.domain.phone import PhoneParser
from vtsms_gui.domain.recipients import Recipient, check_recipients
from vtsms_gui.domain.send_plan import SendOptions, build_plan
from vtsms_gui.ui.common.banner import Banner
from vtsms_gui.ui.common.small_dialogs import PasswordDialog, SettingsDialog
from vtsms_gui.ui.common.theme import Tone
from vtsms_gui.ui.common.wording import count, sentence
from vtsms_gui.ui.compose.compose_panel import ComposePanel, cost_text
from vtsms_gui.ui.compose.options_panel import OptionsPanel
from vtsms_gui.ui.main_window import MainWindow
from vtsms_gui.ui.send.confirm_dialog import ConfirmSendDialog

HOSTILE_USERNAME = "<b>x</b>&"


def plain(rich: str) -> str:
    return QTextDocumentFragment.fromHtml(rich).toPlainText()


# --- one full stop ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The disk is full", "The disk is full."),
        ("The disk is full.", "The disk is full."),
        ("The disk is full.  ", "The disk is full."),
        ("Is the disk full?", "Is the disk full?"),
        ("Stop!", "Stop!"),
        ("Still waiting…", "Still waiting…"),
        ('Cannot open "list.csv."', 'Cannot open "list.csv."'),
        ("Cannot open “list.csv”", "Cannot open “list.csv”."),
        ("Locked (by another window)", "Locked (by another window)."),
        ("", ""),
    ],
)
def test_sentence_ends_with_exactly_one_stop(text: str, expected: str) -> None:
    assert sentence(text) == expected


def test_a_crash_message_ending_in_a_stop_is_not_doubled_in_the_banner(qtbot: QtBot) -> None:
    banner = Banner("resultBanner")
    qtbot.addWidget(banner)
    error = OSError("No space left on device.")
    banner.show_message(f"The send stopped: {sentence(str(error))} Your list is kept.", Tone.BAD)
    assert ".." not in banner.plain_text()
    assert banner.plain_text() == "The send stopped: No space left on device. Your list is kept."


def test_banner_describes_itself_in_words_not_markup(qtbot: QtBot) -> None:
    banner = Banner("resultBanner")
    qtbot.addWidget(banner)
    banner.show_message("<b>Sent 3</b> · Failed 0", Tone.GOOD)
    assert banner.accessibleDescription() == "Sent 3 · Failed 0"


# --- singular and plural ---


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "0 recipients"), (1, "1 recipient"), (2, "2 recipients"), (1000, "1,000 recipients")],
)
def test_count_uses_the_singular_for_one_only(n: int, expected: str) -> None:
    assert count(n, "recipient") == expected


def test_count_takes_an_irregular_plural() -> None:
    assert count(1, "SMS", "SMS") == "1 SMS"
    assert count(1234, "SMS", "SMS") == "1,234 SMS"


def test_cost_line_says_one_recipient_and_one_credit() -> None:
    assert cost_text(1, 1, 1) == "1 SMS × 1 recipient = 1 credit · balance 1"
    assert cost_text(1, 0, 5) == "1 SMS × 0 recipients = 0 credits · balance 5"
    assert cost_text(2, 1234, None) == "2 SMS × 1,234 recipients = 2,468 credits · balance unknown"


def test_progress_of_a_single_recipient_is_singular(qtbot: QtBot) -> None:
    panel = ComposePanel()
    qtbot.addWidget(panel)
    panel.show_progress(SendProgress(0, 1, 0, 1, 0, None))
    assert panel.progress.format() == "Batch 0 of 1 · 0 of 1 recipient"
    panel.show_progress(SendProgress(1, 3, 250, 1200, 250, None))
    assert panel.progress.format() == "Batch 1 of 3 · 250 of 1,200 recipients"


def test_confirmation_for_one_recipient_is_singular(qtbot: QtBot) -> None:
    checked = check_recipients([Recipient("00125", "0491 570 006", "Olivia")], PhoneParser())
    plan = build_plan("See you at 9.", checked, SendOptions(), balance=1)
    dialog = ConfirmSendDialog(plan)
    qtbot.addWidget(dialog)
    assert dialog.rows["Recipients"].text() == "1 recipient"
    assert plain(dialog.rows["Credits"].text()) == "about 1 credit (1 SMS part × 1 recipient)"
    buttons = [b.text() for b in dialog.findChildren(QAbstractButton)]
    assert "Send 1 SMS" in buttons


def test_confirmation_sends_plural_sms_without_an_s(qtbot: QtBot) -> None:
    recipients = [Recipient(None, f"0491 570 {n:03d}", "") for n in (6, 156, 157)]
    plan = build_plan("Hi", check_recipients(recipients, PhoneParser()), SendOptions())
    dialog = ConfirmSendDialog(plan)
    qtbot.addWidget(dialog)
    buttons = [b.text() for b in dialog.findChildren(QAbstractButton)]
    assert "Send 3 SMS" in buttons


def test_settings_say_credit_for_one(qtbot: QtBot) -> None:
    dialog = SettingsDialog(1)
    qtbot.addWidget(dialog)
    assert dialog.low_balance.text() == "1 credit"
    dialog.low_balance.setValue(1500)
    assert dialog.low_balance.text() == "1,500 credits"


# --- user text in rich text ---


def test_password_dialog_shows_the_username_as_typed(qtbot: QtBot) -> None:
    server = "https://vettrak.example/<i>VT_API</i>.asmx?a=1&b=2"
    dialog = PasswordDialog(server, HOSTILE_USERNAME)
    qtbot.addWidget(dialog)
    assert f"password of {HOSTILE_USERNAME} to carry on" in plain(dialog.note.text())
    assert plain(dialog.note.toolTip()) == server


# --- dark palette ---


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio: 3:1 is the minimum for the parts of a control."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(colour.redF())
            + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF())
        )

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def indicator_contrast(panel: QWidget, image: QImage, button: QAbstractButton) -> float:
    """The strongest contrast between the indicator's pixels and the panel's background."""
    option = QStyleOptionButton()
    option.initFrom(button)
    element = (
        QStyle.SubElement.SE_CheckBoxIndicator
        if isinstance(button, QCheckBox)
        else QStyle.SubElement.SE_RadioButtonIndicator
    )
    rect = button.style().subElementRect(element, option, button)
    rect.translate(button.mapTo(panel, rect.topLeft()) - rect.topLeft())
    ratio = image.devicePixelRatio()
    background = panel.palette().color(QPalette.ColorRole.Window)
    return max(
        contrast(image.pixelColor(round(x * ratio), round(y * ratio)), background)
        for x in range(rect.left(), rect.right() + 1)
        for y in range(rect.top(), rect.bottom() + 1)
    )


@pytest.fixture
def dark_fusion(qapp: QApplication) -> Iterator[None]:
    """Fusion, the style that draws indicator frames from the Window colour, in a dark palette."""
    style, palette = qapp.style().name(), QGuiApplication.palette()
    QApplication.setStyle("Fusion")
    QApplication.setPalette(dark_palette())
    yield
    QApplication.setStyle(style)
    QApplication.setPalette(palette)


@pytest.mark.usefixtures("dark_fusion")
@pytest.mark.parametrize("locked", [False, True])
def test_unticked_options_stay_visible_in_a_dark_palette(qtbot: QtBot, locked: bool) -> None:
    panel = OptionsPanel()
    qtbot.addWidget(panel)
    panel.resize(620, 200)
    panel.set_locked(locked)
    panel.show()
    image = panel.grab().toImage()
    # Unticked: the frame alone shows the box (a tick is drawn in the text colour anyway).
    # Disabled controls are exempt from the 3:1 rule, but must still be seen (Fusion alone
    # gives them about 1.1:1).
    needed = 1.5 if locked else 3.0
    for button in (panel.accept_replies, panel.send_later):
        assert not button.isChecked()
        assert indicator_contrast(panel, image, button) >= needed, button.text()


@pytest.mark.usefixtures("dark_fusion")
def test_a_light_palette_gets_the_inherited_colours_back(qtbot: QtBot) -> None:
    panel = OptionsPanel()
    qtbot.addWidget(panel)
    window = QPalette.ColorRole.Window
    assert panel.marketing.palette().color(window) != panel.palette().color(window)
    QApplication.setPalette(QApplication.style().standardPalette())  # light
    panel.refresh_colours()
    assert panel.marketing.palette().color(window) == panel.palette().color(window)


def test_the_window_follows_a_palette_change_by_itself(
    qtbot: QtBot, make_window: Callable[..., MainWindow], qapp: QApplication
) -> None:
    """Light to dark: banners, the balance and the history recolour with nobody telling them
    (Qt's PaletteChange reaches the one theme signal)."""
    window = make_window()
    window.show()  # Qt tells windows on screen of a new palette
    window.ui.result_banner.show_message("<b>Sent 3</b>", Tone.GOOD)
    light_banner = window.ui.result_banner.styleSheet()
    palette = QGuiApplication.palette()
    try:
        QApplication.setPalette(dark_palette())
        qtbot.waitUntil(lambda: window.ui.result_banner.styleSheet() != light_banner)
    finally:
        QApplication.setPalette(palette)
    qtbot.waitUntil(lambda: window.ui.result_banner.styleSheet() == light_banner)
