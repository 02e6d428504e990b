"""`vtsms-gui`: starts Qt, shows the main window at once, then signs in (or starts the demo).

`--smoke-test` builds and shows the window, lets it paint, and exits 0 (or prints the error
report and exits 1): the check run on installed and frozen builds.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from vtsms_gui import __version__
from vtsms_gui.ui.common import fit_screen
from vtsms_gui.ui.common.crash_dialog import install_excepthook
from vtsms_gui.ui.common.settings import APPLICATION, ORGANISATION, AppSettings
from vtsms_gui.ui.common.small_dialogs import ask_password
from vtsms_gui.ui.connection.connection import Connection
from vtsms_gui.ui.main_window import MainWindow

SMOKE_TEST_MSECS = 300


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vtsms-gui", description="Send SMS to students through VETtrak (VT_API.asmx)."
    )
    parser.add_argument("--version", action="version", version=f"vtsms-gui {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start with the built-in practice server: no real SMS is sent",
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="show the window, let it paint, and exit 0 (tests an installed build)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="write more detail to the support log, and print it on the terminal",
    )
    return parser


def create_application(argv: Sequence[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv))
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    app.setApplicationDisplayName("vtsms-gui")
    # The installed vtsms-gui.desktop: Wayland and the Linux task bars find its icon and name.
    app.setDesktopFileName("vtsms-gui")
    fit_screen.install(app)  # every dialog fits a small or scaled screen
    return app


def settle_memory() -> None:
    """Move everything alive after start-up out of the garbage collector's sight.

    Python's full collections walk every object, and start-up leaves hundreds of thousands
    (Qt wrappers, phone number data, zeep's schema later): a full collection triggered during
    a send then held the GIL, and so the window, for 50 ms. Frozen, they are never walked again.
    """
    gc.freeze()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, qt_args = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    # The rest goes to Qt (`-platform offscreen`, `-style fusion`, ...): under Wine, only the
    # argument selects the platform plugin. What Qt does not take either is a mistake.
    app = create_application([*sys.argv[:1], *qt_args])
    not_for_qt = [arg for arg in qt_args if arg in app.arguments()[1:]]
    if not_for_qt:
        parser.error(f"unrecognized arguments: {' '.join(not_for_qt)}")
    window_holder: list[QWidget] = []

    def password_prompt(server: str, username: str) -> str | None:
        return ask_password(server, username, window_holder[0] if window_holder else None)

    connection = Connection(ask_password=password_prompt)
    install_excepthook(connection.known_secrets, dialog=not args.smoke_test)
    window = MainWindow(connection, AppSettings(), deferred=True)
    window_holder.append(window)

    def ready() -> None:
        # After the first paint: the support log opens a file in the log folder.
        from vtsms_gui.storage.support_log import setup_support_log

        setup_support_log(debug=args.debug, stderr=args.debug)
        settle_memory()
        if args.smoke_test:
            QTimer.singleShot(SMOKE_TEST_MSECS, window.close)
        elif args.demo:
            window.ui.start_demo()
        else:
            window.ui.start()

    window.ready.connect(ready)
    window.show()
    code = app.exec()
    if args.smoke_test:
        return 0 if code == 0 and window.is_ready else 1
    return code


if __name__ == "__main__":
    raise SystemExit(main())
