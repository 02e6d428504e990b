"""`python -m vtsms_gui` runs the command line (`vtsms`)."""

from vtsms_gui.cli.main import main

raise SystemExit(main())
