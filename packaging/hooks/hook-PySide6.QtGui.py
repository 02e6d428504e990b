"""Replaces PyInstaller's QtGui hook to leave out Qt plugins the app never loads.

Done here, not by filtering the finished Analysis, because the libraries those plugins link
(GTK, Cairo, Pango... for the GTK theme plugin) are only left out when the plugin never enters
the dependency scan.
"""

import bundle_contents  # the spec puts packaging/ on sys.path
from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [
    (source, folder)
    for source, folder in binaries
    if bundle_contents.is_needed_in_bundle(bundle_contents.bundle_path(source, folder))
]
