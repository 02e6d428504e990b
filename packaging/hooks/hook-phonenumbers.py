"""Replaces hooks-contrib's phonenumbers hook: every submodule (region metadata and geocoder data
are imported by name) except the carrier and time-zone data the app does not use (EXCLUDES).
"""

import bundle_contents  # the spec puts packaging/ on sys.path
from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules(
    "phonenumbers",
    filter=lambda name: (
        not any(
            name == unused or name.startswith(f"{unused}.") for unused in bundle_contents.EXCLUDES
        )
    ),
)
