"""Everything inside the main window: recipients on the left, the message and its cost on the
right, banners on top, VETtrak status and balance at the bottom; menus for everything.

Built right after the window's first paint (see main_window.py), so the window appears before
the SMS rules, phone numbers and Qt widgets below are loaded.
"""

from __future__ import annotations

import html
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import QThreadPool, QTimer

# QtGui's Qt: QtCore's plus its text functions (convertFromPlainText).
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from vtsms_gui import __version__
from vtsms_gui.domain.outcomes import NOT_SENT_DETAIL, Outcome, OutcomeCounts
from vtsms_gui.domain.send_plan import SendPlan, build_plan
from vtsms_gui.storage.templates import Template, TemplateProblem, TemplateStore
from vtsms_gui.ui.common import icons, wording
from vtsms_gui.ui.common.banner import Banner
from vtsms_gui.ui.common.settings import AppSettings
from vtsms_gui.ui.common.small_dialogs import SettingsDialog
from vtsms_gui.ui.common.theme import Tone, tone_colour
from vtsms_gui.ui.common.workers import run_task
from vtsms_gui.ui.compose.compose_panel import ComposePanel
from vtsms_gui.ui.compose.templates_dialog import TemplatesDialog
from vtsms_gui.ui.connection.connection import Connection, Session
from vtsms_gui.ui.connection.login_dialog import LoginDialog
from vtsms_gui.ui.connection.soap_log import SoapLog, SoapLogDialog
from vtsms_gui.ui.history.history_controller import HistoryController
from vtsms_gui.ui.history.recovery_notice import RecoveryNotice
from vtsms_gui.ui.recipients.practice_students import PracticeStudents
from vtsms_gui.ui.recipients.recipients_model import RecipientsModel
from vtsms_gui.ui.recipients.recipients_panel import RecipientsPanel
from vtsms_gui.ui.send.confirm_dialog import ConfirmSendDialog
from vtsms_gui.ui.send.results_export import export_results
from vtsms_gui.ui.send.send_flow import SendFlow

if TYPE_CHECKING:
    from vtsms_gui.api.client import SmsStatus
    from vtsms_gui.api.send_runner import SendProgress, SendReport
    from vtsms_gui.core.sending import RecorderHook
    from vtsms_gui.domain.outcomes import RecipientOutcome

DEMO_NOTICE = (
    "<b>Demo mode.</b> You are connected to a built-in practice VETtrak with pretend students: "
    "<b>no real SMS will be sent</b>. Use File › Sign in to connect to your own VETtrak."
)
SEND_SHORTCUTS = (QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter"))
APP_ICON = "app/vtsms-gui"
PLAN_IN_WORKER_ABOVE = 2_000
"""Plans for more rows than this are built in a worker: building takes about 3 µs a row
(0.3 s for 100,000), far longer than the window may stop answering."""


class Workspace(QWidget):
    """The main window's central widget, menus and status bar, and what they do."""

    def __init__(
        self,
        window: QMainWindow,
        connection: Connection,
        settings: AppSettings,
        *,
        templates: TemplateStore | None = None,
        recorder_hook: RecorderHook | None = None,
    ) -> None:
        super().__init__(window)
        self.setObjectName("workspace")
        self._window = window
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication) and app.windowIcon().isNull():
            # Here, so the first paint need not load SVG. The installers' icon, for the window,
            # the task bar and the About box alike.
            app.setWindowIcon(icons.icon(APP_ICON))
        self.connection = connection
        self.settings = settings
        self.templates = templates or TemplateStore()
        self.soap_log = SoapLog(parent=self)
        self.send_flow = SendFlow(connection, recorder_hook=recorder_hook, parent=self)
        self._sendable = 0
        self._low_balance_warned = False
        self._last_plan: SendPlan | None = None
        # Building the plan of a long list in a worker; Send and the list wait meanwhile.
        self.preparing = False
        # The user closed the window during a send: it closes when the send ends.
        self._close_when_sent = False
        self._closed = False
        self.login_dialog: LoginDialog | None = None

        self.model = RecipientsModel(parent=self)
        self.recipients = RecipientsPanel(self.model, parent=self)
        self.compose = ComposePanel(self)
        self.practice = PracticeStudents(self.recipients, self.compose)
        self.demo_banner = Banner("demoBanner", closable=False, parent=self)
        self.journal_banner = Banner("journalBanner", parent=self)
        self.recovery_notice = RecoveryNotice(self)
        self.result_banner = Banner("resultBanner", parent=self)
        self.history = HistoryController(self)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.recipients)
        self.splitter.addWidget(self.compose)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 4)
        layout.addWidget(self.demo_banner)
        layout.addWidget(self.journal_banner)
        layout.addWidget(self.recovery_notice)
        layout.addWidget(self.result_banner)
        layout.addWidget(self.splitter, 1)
        window.setCentralWidget(self)

        self.connection_status = QLabel("Not signed in", self)
        self.connection_status.setObjectName("connectionStatus")
        self.connection_status.setAccessibleName("VETtrak connection")
        self.balance_label = QLabel(self)
        self.balance_label.setObjectName("balanceStatus")
        self.balance_label.setAccessibleName("SMS balance")
        for label in (self.connection_status, self.balance_label):
            label.setContentsMargins(10, 0, 10, 0)
        separator = QFrame(self)
        separator.setFrameShape(QFrame.Shape.VLine)
        separator.setFrameShadow(QFrame.Shadow.Sunken)
        status_bar = self._window.statusBar()
        status_bar.addPermanentWidget(self.connection_status)
        status_bar.addPermanentWidget(separator)
        status_bar.addPermanentWidget(self.balance_label)

        self._build_menus()
        self._connect()
        self.compose.options.sender_edit.setText(settings.sender)
        self._show_balance(None)
        self._recipients_changed()

    # --- building ---

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        icon: str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon:
            action.setIcon(icons.themed_icon(icon))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self._window.menuBar()
        file_menu = bar.addMenu("&File")
        self.sign_in_action = self._action(file_menu, "&Sign in…", self.show_login)
        self.sign_out_action = self._action(file_menu, "Sign &out", self.sign_out)
        self.demo_action = self._action(file_menu, "Try the &demo", self.start_demo)
        file_menu.addSeparator()
        self.import_action = self._action(
            file_menu,
            "&Import recipients…",
            self.recipients.choose_file,
            QKeySequence.StandardKey.Open,
            "import",
        )
        self.export_action = self._action(
            file_menu, "&Export results…", self.export, "Ctrl+Shift+E", "export"
        )
        self.history_action = self._action(
            file_menu, "&History…", self.history.show, "Ctrl+H", "history"
        )
        self.history_action.setToolTip("Past sends: outcomes, export, and resending failures")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self._window.close, QKeySequence.StandardKey.Quit)

        # Edit actions carry no Ctrl+V / Delete shortcut: those keys belong to the focused
        # widget (the grid adds rows, the message editor pastes text).
        edit_menu = bar.addMenu("&Edit")
        self.paste_action = self._action(edit_menu, "&Paste recipients", self.recipients.paste)
        self.delete_action = self._action(
            edit_menu, "&Remove selected rows", self.recipients.delete_selected, icon="remove"
        )
        edit_menu.addSeparator()
        self.remove_invalid_action = self._action(
            edit_menu, "Remove &invalid rows", self.recipients.remove_invalid
        )
        self.remove_duplicates_action = self._action(
            edit_menu, "Remove &duplicates", self.recipients.remove_duplicates
        )
        self.clear_action = self._action(edit_menu, "&Clear the list…", self.clear_list)

        message_menu = bar.addMenu("&Message")
        self.replace_action = self._action(
            message_menu, "&Replace with plain characters", self.compose.message.replace_with_plain
        )
        message_menu.addSeparator()
        self.save_template_action = self._action(
            message_menu, "&Save as template…", self.save_template, icon="template"
        )
        self.insert_template_menu = message_menu.addMenu("&Insert template")
        self.insert_template_menu.aboutToShow.connect(self._fill_template_menu)
        self.manage_templates_action = self._action(
            message_menu, "&Manage templates…", self.manage_templates
        )
        message_menu.addSeparator()
        self.send_action = self._action(message_menu, "Se&nd…", self.request_send, icon="send")
        self.send_action.setShortcuts(list(SEND_SHORTCUTS))
        self.send_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

        templates_menu = QMenu(self)
        templates_menu.addAction(self.save_template_action)
        self.templates_button_menu = templates_menu.addMenu("Insert template")
        self.templates_button_menu.aboutToShow.connect(
            lambda: self._fill_template_menu(self.templates_button_menu)
        )
        templates_menu.addAction(self.manage_templates_action)
        self.compose.templates_button.setMenu(templates_menu)

        tools_menu = bar.addMenu("&Tools")
        self.refresh_action = self._action(
            tools_menu, "&Refresh balance", self.connection.refresh_status, "F5"
        )
        self.soap_log_action = self._action(
            tools_menu, "&SOAP log…", self.show_soap_log, icon="log"
        )
        tools_menu.addSeparator()
        self._action(tools_menu, "Se&ttings…", self.show_settings)

        help_menu = bar.addMenu("&Help")
        self.diagnostics_action = self._action(
            help_menu, "Copy &diagnostics", self.copy_diagnostics
        )
        self.diagnostics_action.setToolTip(
            "Put the versions, the network situation and the last errors on the clipboard, "
            "to paste into a message to support (no passwords, numbers or messages)"
        )
        self._action(help_menu, "&About vtsms-gui", self.show_about)

    def _connect(self) -> None:
        connection = self.connection
        connection.logged_in.connect(self._logged_in)
        connection.resume_failed.connect(self.show_login)
        connection.status_changed.connect(self._status_changed)
        connection.status_failed.connect(self._status_failed)
        connection.exchange.connect(self.soap_log.append)
        self.model.checked_changed.connect(self._recipients_changed)
        self.model.rows_changed.connect(self._recipients_changed)
        self.recipients.reading_changed.connect(self._update_actions)
        self.recipients.message.connect(
            lambda text: self._window.statusBar().showMessage(text, 8000)
        )
        self.compose.send_requested.connect(self.request_send)
        self.compose.cancel_requested.connect(self.send_flow.cancel)
        self.compose.message.analysis_changed.connect(self._message_changed)
        self.compose.options.accept_replies_changed.connect(self.model.set_require_client_code)
        self.send_flow.progress.connect(self._send_progress)
        self.send_flow.batch_done.connect(self._batch_done)
        self.send_flow.finished.connect(self._send_finished)
        self.send_flow.crashed.connect(self._send_crashed)
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self.colour_scheme_changed)

    # --- starting and signing in ---

    def _apply_network_settings(self) -> None:
        self.connection.set_network(
            ca_file=self.settings.ca_file,
            proxy=self.settings.proxy,
            proxy_username=self.settings.proxy_username,
        )

    def start(self) -> None:
        """Resume the last session with its stored token, or ask to sign in."""
        self._apply_network_settings()
        server, username = self.settings.last_url, self.settings.username
        if server and username:
            host = urlsplit(server).hostname or server
            self.connection_status.setText(f"Connecting to {host}…")
            self.connection.resume(server, username, self.settings.soap_version)
        else:
            QTimer.singleShot(0, self.show_login)

    def start_demo(self) -> None:
        self.connection_status.setText("Starting the demo…")
        self.connection.start_demo()

    def show_login(self, message: str = "") -> LoginDialog:
        dialog = LoginDialog(self.connection, self.settings, self, message=message)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(self._login_closed)
        dialog.show()
        self.login_dialog = dialog
        return dialog

    def _login_closed(self) -> None:
        self.login_dialog = None
        if self.connection.session is None and not self.connection.busy:
            self.connection_status.setText("Not signed in · File › Sign in")

    def sign_out(self) -> None:
        self.connection.sign_out()
        self.history.signed_out()
        self.demo_banner.hide()
        self.practice.set_demo(False)
        self.connection_status.setText("Not signed in · File › Sign in")
        self._show_balance(None)
        self._update_actions()

    def _logged_in(self, session: Session) -> None:
        host = urlsplit(session.server).hostname or session.server
        where = "the demo server" if session.demo else host
        self.connection_status.setText(f"Signed in to {where} as {session.username}")
        self.connection_status.setToolTip(Qt.convertFromPlainText(session.server))
        self.practice.set_demo(session.demo)
        if session.demo:
            self.demo_banner.show_message(DEMO_NOTICE, Tone.INFO)
        else:
            self.demo_banner.hide()
        self._low_balance_warned = False
        self._status_changed(session.status)
        self._update_actions()
        self.history.signed_in(session)

    def _status_changed(self, status: SmsStatus) -> None:
        self._show_balance(status.balance)
        if status.message:
            self.connection_status.setToolTip(
                f"{self.connection_status.toolTip()}\nSMS service: {status.message}".strip()
            )

    def _status_failed(self, message: str) -> None:
        self._window.statusBar().showMessage(f"Could not read the balance: {message}", 10_000)

    def _show_balance(self, balance: int | None) -> None:
        self.compose.set_balance(balance)
        if balance is None:
            self.balance_label.setText("Balance: —")
            self.balance_label.setStyleSheet("")
            self.balance_label.setToolTip("Sign in to see the SMS balance")
            return
        threshold = self.settings.low_balance_threshold
        if threshold and balance < threshold:
            colour = tone_colour(Tone.WARN).name()
            self.balance_label.setText(f"⚠ Balance: {wording.count(balance, 'SMS credit')} (low)")
            self.balance_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
            self.balance_label.setToolTip(
                f"Below your warning level of {wording.count(threshold, 'credit')} "
                "(Tools › Settings). "
                "Top up the SMS credit in VETtrak before a large send."
            )
            if not self._low_balance_warned:
                self._low_balance_warned = True
                self._window.statusBar().showMessage(
                    f"The SMS balance is low: {wording.count(balance, 'credit')} left.", 15_000
                )
        else:
            self.balance_label.setText(f"Balance: {wording.count(balance, 'SMS credit')}")
            self.balance_label.setStyleSheet("")
            self.balance_label.setToolTip("Prepaid SMS credits left in VETtrak")

    # --- the list and the message ---

    def _recipients_changed(self) -> None:
        summary = self.model.summary
        if summary is not None and self.model.is_checked:
            self._sendable = sum(item.sendable for item in self.model.checked())
        self.compose.set_recipients(self._sendable)
        self._update_actions()

    def _message_changed(self) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        # A long paste being read or a plan being built holds the list still, as a send does.
        sending = self.send_flow.running or self.preparing or self.recipients.reading
        signed_in = self.connection.session is not None
        summary = self.model.summary
        for action in (
            self.import_action,
            self.paste_action,
            self.delete_action,
            self.clear_action,
        ):
            action.setEnabled(not sending)
        self.remove_invalid_action.setEnabled(not sending and bool(summary and summary.invalid))
        self.remove_duplicates_action.setEnabled(
            not sending and bool(summary and summary.duplicates)
        )
        self.replace_action.setEnabled(not sending and bool(self.compose.message.analysis.non_gsm))
        self.send_action.setEnabled(not sending)
        self.sign_out_action.setEnabled(signed_in and not sending)
        self.sign_in_action.setEnabled(not sending)
        self.demo_action.setEnabled(not sending)
        for action in (self.save_template_action, self.manage_templates_action):
            action.setEnabled(not sending)
        self.insert_template_menu.setEnabled(not sending)
        self.export_action.setEnabled(self.model.recipient_count > 0)

    def clear_list(self) -> None:
        if self.model.recipient_count == 0:
            return
        answer = QMessageBox.question(
            self,
            "Clear the list",
            f"Remove all {wording.count(self.model.recipient_count, 'recipient')}?",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.model.clear()

    # --- sending ---

    def request_send(self) -> None:
        """Ctrl+Enter: check, build the plan, confirm, then send in the background."""
        if self.send_flow.running or self.preparing:
            return
        session = self.connection.session
        if session is None:
            self.show_login("Sign in to VETtrak to send.")
            return
        if self.recipients.reading or not self.model.is_checked:
            self.show_status("Still checking the list: try again in a moment.", 5000)
            return
        checked = self.model.checked()
        text, options = self.compose.message.text(), self.compose.options.options()
        balance = session.status.balance

        def make_plan() -> SendPlan:
            return build_plan(text, checked, options, balance=balance)

        if len(checked) <= PLAN_IN_WORKER_ABOVE:
            self._plan_ready(make_plan(), session)
            return
        self._set_preparing(True)
        self.show_status(f"Preparing the send to {wording.count(len(checked), 'recipient')}…", 0)
        run_task(
            QThreadPool.globalInstance(),
            make_plan,
            lambda plan: self._prepared(plan, session),
            self._prepare_failed,
        )

    def _set_preparing(self, preparing: bool) -> None:
        self.preparing = preparing
        self.recipients.set_locked(preparing)
        self.compose.message.set_locked(preparing)
        self.compose.options.set_locked(preparing)
        self.compose.send_button.setEnabled(not preparing)
        self._update_actions()

    def _prepared(self, plan: SendPlan, session: Session) -> None:
        if self._closed:
            return  # the window closed meanwhile: nothing to confirm
        self._set_preparing(False)
        self._window.statusBar().clearMessage()
        if self.connection.session is not session:
            self.show_status("The VETtrak sign-in changed meanwhile: press Send again.")
            return
        self._plan_ready(plan, session)

    def _prepare_failed(self, error: BaseException) -> None:
        if self._closed:
            return
        self._set_preparing(False)
        self._window.statusBar().clearMessage()
        sys.excepthook(type(error), error, error.__traceback__)  # a bug: report it

    def _plan_ready(self, plan: SendPlan, session: Session) -> None:
        plan = self.history.link(plan, session)  # rows loaded from the history to resend
        if plan.blockers:
            items = "".join(f"<li>{html.escape(b.message)}</li>" for b in plan.blockers)
            show_cannot_send(self, f"<p>Please fix this first:</p><ul>{items}</ul>")
            return
        if not self.confirm(plan):
            return
        self._begin_send(plan, session)

    def confirm(self, plan: SendPlan) -> bool:
        dialog = ConfirmSendDialog(plan, self)
        return dialog.exec() == ConfirmSendDialog.DialogCode.Accepted

    def _begin_send(self, plan: SendPlan, session: Session) -> None:
        self._last_plan = plan
        self.result_banner.hide()
        self.model.clear_results()
        self.model.set_excluded((e.row, e.reason) for e in plan.excluded)
        self.settings.sender = self.compose.options.sender_edit.text()
        self.recipients.set_locked(True)
        self.compose.set_sending(True)
        self.send_flow.start(plan, session)
        self._update_actions()
        self._window.statusBar().showMessage(
            f"Sending to {wording.count(len(plan.recipients), 'recipient')}…"
        )

    def _send_progress(self, progress: SendProgress) -> None:
        self.compose.show_progress(progress)
        if progress.balance is not None:
            self._show_balance(progress.balance)

    def _batch_done(self, outcomes: list[RecipientOutcome]) -> None:
        self.model.apply_outcomes(outcomes)

    def show_status(self, text: str, msecs: int = 8000) -> None:
        """A note in the status bar for `msecs` (0: until replaced)."""
        self._window.statusBar().showMessage(text, msecs)

    def _end_send(self) -> None:
        self.compose.set_sending(False)
        self.recipients.set_locked(False)
        self._update_actions()
        self._window.statusBar().clearMessage()

    def _send_finished(self, report: SendReport) -> None:
        # Answered batches are already in the rows (batch_done arrives before this); only the
        # recipients of batches never sent are left to mark.
        self.model.apply_outcomes(o for o in report.outcomes if o.outcome is Outcome.NOT_SENT)
        self._end_send()
        if report.balance is not None:
            self._show_balance(report.balance)
        self.result_banner.show_message(*result_summary(report))
        if not self._close_when_sent:  # closing waits for the worker: no new request now
            self.connection.refresh_status()
        self.history.send_finished(journal_failed=report.journal_error is not None)
        error = report.journal_error
        if error is not None:
            from vtsms_gui.storage.journal import JournalError  # sqlite3: only when needed

            if not isinstance(error, JournalError):  # not the disk: a bug, reported as one
                sys.excepthook(type(error), error, error.__traceback__)
        self._close_if_asked()  # after any report was read

    def _send_crashed(self, error: BaseException) -> None:
        """Not a VETtrak answer (those end in a report): a journal or disk problem, or a bug."""
        plan = self._last_plan
        if plan is not None:
            # Rows still without a result were never handed to VETtrak.
            missing = [r.row for r in plan.recipients if self.model.result(r.row) is None]
            self.model.set_not_sent(missing, NOT_SENT_DETAIL)
        self._end_send()
        # The full stop before escaping: a message ending in a quote mark ends in &quot; after.
        reason = wording.sentence(str(error) or type(error).__name__)
        self.result_banner.show_message(
            "<b>The send stopped</b> because of a problem on this computer: "
            f"{html.escape(reason)} Rows without a result were not sent. Your message and "
            "list are kept.",
            Tone.BAD,
        )
        self.history.sends_changed()
        from vtsms_gui.storage.journal import JournalError  # sqlite3: loaded only when needed

        if not isinstance(error, JournalError):
            sys.excepthook(type(error), error, error.__traceback__)
        self._close_if_asked()

    # --- templates ---

    def save_template(self) -> None:
        text = self.compose.message.text()
        if not text.strip():
            self._window.statusBar().showMessage(
                "Write a message first, then save it as a template.", 5000
            )
            return
        name, ok = QInputDialog.getText(self, "Save as template", "Template name:")
        name = name.strip()
        if not ok or not name:
            return
        try:
            existing = {t.name.casefold() for t in self.templates.load()}
            if name.casefold() in existing:
                answer = QMessageBox.question(
                    self, "Save as template", f"Replace the template “{name}”?"
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return
            self.templates.put(Template(name, text))
        except TemplateProblem as problem:
            QMessageBox.warning(self, "Templates", str(problem))
            return
        self._window.statusBar().showMessage(f"Saved the template “{name}”.", 5000)

    def _fill_template_menu(self, menu: QMenu | None = None) -> None:
        menu = menu or self.insert_template_menu
        menu.clear()
        try:
            templates = self.templates.load()
        except TemplateProblem as problem:
            menu.addAction(str(problem)).setEnabled(False)
            return
        if not templates:
            menu.addAction("No templates yet").setEnabled(False)
        for template in templates:
            action = menu.addAction(template.name)
            action.setToolTip(Qt.convertFromPlainText(template.text[:200]))
            action.triggered.connect(
                lambda _=False, t=template: self.compose.message.insert_text(t.text)
            )

    def manage_templates(self) -> None:
        dialog = TemplatesDialog(self.templates, self)
        if dialog.exec() == TemplatesDialog.DialogCode.Accepted and dialog.chosen is not None:
            self.compose.message.insert_text(dialog.chosen.text)

    # --- tools ---

    def show_soap_log(self) -> None:
        dialog = SoapLogDialog(self.soap_log, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def show_settings(self) -> None:
        dialog = SettingsDialog(
            self.settings.low_balance_threshold,
            self.settings.proxy,
            self.settings.ca_file,
            self,
            proxy_username=self.settings.proxy_username,
        )
        if dialog.exec() == SettingsDialog.DialogCode.Accepted:
            self.settings.low_balance_threshold = dialog.low_balance.value()
            self.settings.proxy = dialog.proxy_setting()
            self.settings.ca_file = dialog.ca_file.text().strip()
            self.settings.proxy_username = dialog.proxy_username.text().strip()
            password = dialog.proxy_password.text()
            if password and self.settings.proxy and self.settings.proxy_username:
                self.connection.keep_proxy_password(
                    self.settings.proxy, self.settings.proxy_username, password
                )
            self._apply_network_settings()
            session = self.connection.session
            self._low_balance_warned = False
            self._show_balance(session.status.balance if session else None)

    def copy_diagnostics(self) -> None:
        """Build the diagnostics text on the network worker (it reads the support log), then
        put it on the clipboard."""
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        session = self.connection.session
        server = session.server if session is not None else None
        qt = f"{qVersion()} (PySide6 {pyside_version})"

        def work() -> str:
            from vtsms_gui.api.config import ClientConfig
            from vtsms_gui.core.diagnostics import diagnostics_text

            config = ClientConfig(service_url=server) if server else None
            return diagnostics_text(config=config, qt_version=qt)

        def copied(text: str) -> None:
            QGuiApplication.clipboard().setText(text)
            self.show_status("Diagnostics copied: paste them into your message to support.")

        self.connection.run(work, copied)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About vtsms-gui",
            f"<h3>vtsms-gui {__version__}</h3>"
            "<p>Send SMS to students through your VETtrak server (VT_API.asmx).</p>"
            "<p>SMS are charged to your organisation's prepaid VETtrak SMS credit. "
            "“Sent” means queued at the SMS gateway, not delivered to the phone.</p>",
        )

    def export(self) -> None:
        stamp = datetime.now().strftime("%Y-%m-%d-%H%M")
        path, _ = QFileDialog.getSaveFileName(
            self, "Export results", f"sms-results-{stamp}.csv", "CSV files (*.csv)"
        )
        if not path:
            return
        try:
            count = export_results(self.model, Path(path))
        except OSError as error:
            QMessageBox.warning(
                self,
                "Export results",
                f"The file could not be written: {wording.sentence(error.strerror or str(error))}",
            )
            return
        self._window.statusBar().showMessage(
            f"Exported {wording.count(count, 'row')} to {Path(path).name}.", 8000
        )

    # --- window state ---

    def restore_layout(self) -> None:
        splitter = self.settings.layout("splitter")
        if splitter is None or not self.splitter.restoreState(splitter):
            self.splitter.setSizes([720, 540])

    def save_state(self) -> None:
        self.settings.set_layout("splitter", self.splitter.saveState())
        self.settings.sender = self.compose.options.sender_edit.text()
        self.settings.sync()

    def may_close(self) -> bool:
        """Asked by the window before it closes. During a send the window stays open (and
        answering) until VETtrak has answered the batch in flight, then closes itself: a
        request cut off mid-way would leave its recipients unknown."""
        if self.send_flow.running:
            if not self._close_when_sent:
                answer = QMessageBox.question(
                    self,
                    "A send is running",
                    "Stop after the batch being sent now and close?",
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return False
                self._close_when_sent = True
                if self.compose.cancel_button.isEnabled():
                    self.compose.cancel_button.click()  # shows "Stopping…" and cancels
                self.send_flow.cancel()
            self.show_status("Closing as soon as VETtrak answers the batch being sent now…", 0)
            return False
        self._closed = True
        self.save_state()
        return True

    def _close_if_asked(self) -> None:
        if self._close_when_sent:
            self._close_when_sent = False
            QTimer.singleShot(0, self._window.close)

    def colour_scheme_changed(self) -> None:
        """Light/dark switched: repaint everything that picked colours from the palette."""
        icons.clear_cache()
        self.compose.refresh_colours()
        self.model.refresh_colours()
        self.recipients.refresh_colours()
        for banner in (
            self.demo_banner,
            self.journal_banner,
            self.recovery_notice,
            self.result_banner,
        ):
            banner.restyle()
        session = self.connection.session
        self._show_balance(session.status.balance if session else None)
        self.history.colours_changed()


def show_cannot_send(parent: QWidget, text: str) -> None:
    QMessageBox.warning(parent, "Cannot send yet", text)


def result_summary(report: SendReport) -> tuple[str, Tone]:
    """The banner after a send: "Sent 209 · Failed 3 · Balance 4,582", and what stopped it."""
    counts: OutcomeCounts = report.counts
    parts = [f"Sent {counts.sent:,}", f"Failed {counts.failed:,}"]
    if counts.unknown:
        parts.append(f"Unknown {counts.unknown:,}")
    if counts.not_sent:
        parts.append(f"Not sent {counts.not_sent:,}")
    if report.balance is not None:
        parts.append(f"Balance {report.balance:,}")
    text = f"<b>{' · '.join(parts)}</b>"
    stops = []
    if report.stopped_by is not None:
        stops.append(f"The send stopped: {html.escape(str(report.stopped_by))}")
    if report.journal_error is not None:
        stops.append(
            "The send stopped because the send journal could not record it: "
            f"{html.escape(str(report.journal_error))}"
        )
    if stops:
        text += (
            f"<br>{'<br>'.join(stops)}<br>"
            f"{html.escape(describe_batches(report))} Your message and list are kept."
        )
        return text, Tone.BAD
    if report.cancelled:
        text += f"<br>Cancelled. {html.escape(describe_batches(report))}"
        return text, Tone.WARN
    if counts.unknown:
        text += "<br>Check the SMS history in VETtrak before resending the rows marked unknown."
        return text, Tone.UNKNOWN
    if counts.failed:
        text += "<br>Point at a row's result to see why it failed."
        return text, Tone.WARN
    return text, Tone.GOOD


def describe_batches(report: SendReport) -> str:
    """What happened to each batch, runs of alike batches joined: "Batches 1–2: answered by
    VETtrak. Batch 3: may have gone out… Batches 4–10: not sent.\""""
    states: dict[int, str] = {}
    for outcome in report.outcomes:
        state = {
            Outcome.UNKNOWN: "may have gone out: check VETtrak's SMS history before resending",
            Outcome.NOT_SENT: "not sent",
        }.get(outcome.outcome, "answered by VETtrak")
        refused = outcome.outcome is Outcome.FAILED and outcome.status is None
        if refused and report.stopped_by and str(report.stopped_by) == outcome.detail:
            state = "refused by VETtrak, nothing sent"
        states.setdefault(outcome.batch, state)
    runs: list[tuple[int, int, str]] = []
    for batch in sorted(states):
        if runs and runs[-1][2] == states[batch] and runs[-1][1] == batch - 1:
            runs[-1] = (runs[-1][0], batch, states[batch])
        else:
            runs.append((batch, batch, states[batch]))
    sentences = [
        (f"Batch {first}" if first == last else f"Batches {first}–{last}") + f": {state}."
        for first, last, state in runs
    ]
    return " ".join(sentences)
