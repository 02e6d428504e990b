"""Entry script of the frozen `vtsms-gui` executable (PyInstaller starts from a script)."""

from vtsms_gui.ui.app import main

raise SystemExit(main())
