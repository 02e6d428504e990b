"""Entry script of the frozen `vtsms` command-line executable."""

from vtsms_gui.cli.main import main

raise SystemExit(main())
