"""Everything inside the main window, assembled: recipients on the left, the message and its
cost on the right, banners on top; each part's behaviour lives in its own module (sign-in,
send, history, templates), and this one wires them, the window's menus and its status bar
(which the window makes: main_window.py) together.

Built right after the window's first paint (see main_window.py), so the window appears before
the SMS rules, phone numbers and Qt widgets below are loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMenu, QSplitter, QVBoxLayout, QWidget

from vtsms_gui.storage.templates import TemplateStore
from vtsms_gui.ui.common import icons, wording
from vtsms_gui.ui.common.about import show_about
from vtsms_gui.ui.common.banner import Banner
from vtsms_gui.ui.common.feedback import feedback
from vtsms_gui.ui.common.settings import AppSettings
from vtsms_gui.ui.common.theme import Tone, on_theme_change
from vtsms_gui.ui.compose.compose_panel import ComposePanel
from vtsms_gui.ui.compose.preview import Personaliser
from vtsms_gui.ui.compose.templates_menu import TemplatesMenu
from vtsms_gui.ui.connection.connection import Connection, Session
from vtsms_gui.ui.connection.login_dialog import LoginDialog
from vtsms_gui.ui.connection.sign_in import SignIn
from vtsms_gui.ui.connection.soap_log import SoapLog, SoapLogDialog
from vtsms_gui.ui.history.history_controller import HistoryController
from vtsms_gui.ui.history.recovery_notice import RecoveryNotice
from vtsms_gui.ui.main_menu import MainMenu, MenuState
from vtsms_gui.ui.recipients.practice_students import PracticeStudents
from vtsms_gui.ui.recipients.recipients_model import RecipientsModel
from vtsms_gui.ui.recipients.recipients_panel import RecipientsPanel
from vtsms_gui.ui.send.export_dialog import export_with_dialog
from vtsms_gui.ui.send.send_controller import SendController
from vtsms_gui.ui.send.send_to_me import SendToMe

if TYPE_CHECKING:
    from collections.abc import Sequence

    from vtsms_gui.core.sending import RecorderHook
    from vtsms_gui.domain.recipients import Recipient
    from vtsms_gui.domain.send_plan import SendOptions, SendPlan
    from vtsms_gui.ui.send.send_flow import SendFlow
    from vtsms_gui.ui.status_bar import StatusBar

APP_ICON = "app/vtsms-gui"


class Workspace(QWidget):
    """The main window's central widget; it builds the parts and connects them, and the
    window's `menu` and `status` bar to them."""

    def __init__(
        self,
        window: QWidget,
        connection: Connection,
        settings: AppSettings,
        *,
        menu: MainMenu,
        status: StatusBar,
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
        self._sendable = 0

        self.model = RecipientsModel(parent=self)
        self.recipients = RecipientsPanel(self.model, parent=self)
        self.compose = ComposePanel(self)
        self.practice = PracticeStudents(self.recipients, self.compose)
        self.demo_banner = Banner("demoBanner", closable=False, parent=self)
        self.journal_banner = Banner("journalBanner", parent=self)
        self.recovery_notice = RecoveryNotice(self)
        self.result_banner = Banner("resultBanner", parent=self)
        self.history = HistoryController(
            self,
            journal_banner=self.journal_banner,
            recovery_notice=self.recovery_notice,
            parent=self,
        )

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

        self.status = status
        self.connection_status = self.status.connection_status
        self.balance_label = self.status.balance_label
        self.sign_in = SignIn(connection, settings, self.status, self.demo_banner, self)
        self.sending = SendController(
            connection=connection,
            settings=settings,
            model=self.model,
            recipients=self.recipients,
            compose=self.compose,
            history=self.history,
            result_banner=self.result_banner,
            status=self.status,
            recorder_hook=recorder_hook,
            parent=self,
        )
        self.send_flow: SendFlow = self.sending.flow
        self.templates_menu = TemplatesMenu(
            self.templates, self.compose.message, self.status.show, self
        )
        # Personalised messages: Insert field, placeholders, preview, range and exact credits.
        self.personaliser = Personaliser(self.compose, self.model, self.recipients)
        self.send_to_me = SendToMe(
            connection=connection,
            settings=settings,
            model=self.model,
            compose=self.compose,
            show_status=self.status.show,
            parent=self,
        )  # "Send a test to me" before a bulk send
        self.main_menu = menu
        self._connect_menu(menu)
        self._connect()
        self.compose.set_sender_id(settings.sender)
        self.show_balance(None)
        self._recipients_changed()

    def __getattr__(self, name: str) -> QAction | QMenu:
        """The menus' actions (`send_action`, `history_action`, ...) as the workspace's own,
        as they were before the menus had a module of their own."""
        if name.endswith(("_action", "_menu")) and name != "main_menu":
            return getattr(self.main_menu, name)  # type: ignore[no-any-return]
        raise AttributeError(name)

    # --- wiring ---

    def _connect_menu(self, menu: MainMenu) -> None:
        slots = {
            menu.sign_in_action: self.show_login,
            menu.sign_out_action: self.sign_out,
            menu.demo_action: self.start_demo,
            menu.import_action: self.recipients.choose_file,
            menu.export_action: self.export,
            menu.history_action: self.history.show,
            menu.quit_action: self._window.close,
            menu.paste_action: self.recipients.paste,
            menu.delete_action: self.recipients.delete_selected,
            menu.remove_invalid_action: self.recipients.remove_invalid,
            menu.remove_duplicates_action: self.recipients.remove_duplicates,
            menu.clear_action: self.clear_list,
            menu.replace_action: self.compose.message.replace_with_plain,
            menu.save_template_action: self.save_template,
            menu.manage_templates_action: self.templates_menu.manage,
            menu.send_action: self.request_send,
            menu.refresh_action: self.connection.refresh_status,
            menu.soap_log_action: self.show_soap_log,
            menu.settings_action: self.sign_in.show_settings,
            menu.diagnostics_action: self.copy_diagnostics,
            menu.about_action: lambda: show_about(self),
        }
        for action, slot in slots.items():
            action.triggered.connect(slot)
        self.templates_menu.attach(menu.insert_template_menu)
        self.templates_menu.attach(menu.templates_insert_menu)
        self.compose.templates_button.setMenu(menu.templates_button_menu)

    def _connect(self) -> None:
        self.connection.exchange.connect(self.soap_log.append)
        self.sign_in.signed_in.connect(self._signed_in)
        self.sign_in.signed_out.connect(self._signed_out)
        self.sign_in.balance_changed.connect(self.show_balance)
        self.sending.balance_changed.connect(self.show_balance)
        self.sending.busy_changed.connect(self._update_actions)
        self.sending.sign_in_needed.connect(self.show_login)
        self.model.checked_changed.connect(self._recipients_changed)
        self.model.rows_changed.connect(self._recipients_changed)
        self.recipients.reading_changed.connect(self._update_actions)
        self.recipients.message.connect(lambda text: self.status.show(text, 8000))
        self.compose.message.analysis_changed.connect(self._update_actions)
        self.compose.options.accept_replies_changed.connect(self.model.set_require_client_code)
        # The rest of the window follows the theme by itself; the model's file is not ours.
        on_theme_change(self.model.refresh_colours)
        on_theme_change(self._recolour_balance)

    def _signed_in(self, session: Session) -> None:
        self.practice.set_demo(session.demo)
        self._update_actions()
        self.history.signed_in(session)

    def _signed_out(self) -> None:
        self.practice.set_demo(False)
        self.history.signed_out()
        self._update_actions()

    # --- what the window and its tests call ---

    @property
    def login_dialog(self) -> LoginDialog | None:
        return self.sign_in.login_dialog

    @property
    def preparing(self) -> bool:
        return self.sending.preparing

    def start(self) -> None:
        self.sign_in.start()

    def start_demo(self) -> None:
        self.sign_in.start_demo()

    def show_login(self, message: str = "") -> LoginDialog:
        return self.sign_in.show_login(message)

    def sign_out(self) -> None:
        self.sign_in.sign_out()

    def request_send(self) -> None:
        self.sending.request_send()

    def confirm(self, plan: SendPlan) -> bool:
        return self.sending.confirm(plan)

    def save_template(self) -> None:
        self.templates_menu.save()

    def show_status(self, text: str, msecs: int = 8000) -> None:
        """A note in the status bar for `msecs` (0: until replaced)."""
        self.status.show(text, msecs)

    def show_balance(self, balance: int | None) -> None:
        self.compose.set_balance(balance)
        self.status.show_balance(balance)

    # --- what the history asks of the window (HistoryHost) ---

    @property
    def session(self) -> Session | None:
        return self.connection.session

    @property
    def send_running(self) -> bool:
        return self.send_flow.running

    @property
    def recipient_count(self) -> int:
        return self.model.recipient_count

    def use_message(self, message: str) -> None:
        self.compose.message.replace_text(message)

    def load_send(
        self, message: str, options: SendOptions, recipients: Sequence[Recipient]
    ) -> None:
        # The options first: they decide which rows need a client code.
        self.compose.options.set_options(options)
        self.model.replace_recipients(recipients)
        self.compose.message.replace_text(message)

    def show_result(self, text: str, tone: Tone) -> None:
        self.result_banner.show_message(text, tone)

    def set_known_code_length(self, length: int | None) -> None:
        self.model.set_known_code_length(length)

    def bring_to_front(self) -> None:
        window = self.window()
        window.raise_()
        window.activateWindow()

    # --- the list and the message ---

    def _recipients_changed(self) -> None:
        summary = self.model.summary
        if summary is not None and self.model.is_checked:
            self._sendable = sum(item.sendable for item in self.model.checked())
        self.compose.set_recipients(self._sendable)
        self._update_actions()

    def _update_actions(self) -> None:
        summary = self.model.summary
        self.main_menu.update(
            MenuState(
                busy=self.sending.busy or self.recipients.reading,
                signed_in=self.connection.session is not None,
                has_invalid=bool(summary and summary.invalid),
                has_duplicates=bool(summary and summary.duplicates),
                has_non_gsm=bool(self.compose.message.analysis.non_gsm),
                has_rows=self.model.recipient_count > 0,
            )
        )

    def clear_list(self) -> None:
        if self.model.recipient_count == 0:
            return
        if feedback().ask(
            self,
            "Clear the list",
            f"Remove all {wording.count(self.model.recipient_count, 'recipient')}?",
            yes="Yes",
            no="No",
        ):
            self.model.clear()

    def export(self) -> None:
        export_with_dialog(self, self.model, self.status.show)

    # --- tools ---

    def show_soap_log(self) -> None:
        dialog = SoapLogDialog(self.soap_log, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def copy_diagnostics(self) -> None:
        """Build the diagnostics text on the network worker (it reads the support log), then
        put it on the clipboard."""
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        session = self.connection.session
        server = session.server if session is not None else None
        qt = f"{qVersion()} (PySide6 {pyside_version})"

        def work() -> str:
            from vtsms_gui.core.diagnostics import diagnostics_text

            # The sign-in's own way to the server (CA file, proxy): what support needs to see.
            config = self.connection.client_config(server) if server else None
            return diagnostics_text(config=config, qt_version=qt)

        def copied(text: str) -> None:
            QGuiApplication.clipboard().setText(text)
            self.show_status("Diagnostics copied: paste them into your message to support.")

        self.connection.run(work, copied)

    # --- window state ---

    def restore_layout(self) -> None:
        splitter = self.settings.layout("splitter")
        if splitter is None or not self.splitter.restoreState(splitter):
            self.splitter.setSizes([720, 540])

    def save_state(self) -> None:
        self.settings.set_layout("splitter", self.splitter.saveState())
        self.settings.sender = self.compose.sender_id()
        self.settings.sync()

    def may_close(self) -> bool:
        """Asked by the window before it closes; a running send keeps it open until VETtrak
        has answered the batch in flight (see SendController.may_close)."""
        if not self.sending.may_close():
            return False
        self.save_state()
        return True

    def _recolour_balance(self) -> None:
        """The low balance's warning colour follows the palette."""
        self.show_balance(self.sign_in.current_balance())
