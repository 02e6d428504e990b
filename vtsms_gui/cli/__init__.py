"""The `vtsms` command line: the same core as the window, with text in and text out."""
