"""Where vtsms-gui keeps its files: the platform's usual app folders, or all under $VTSMS_HOME.

Folders are created on first use, private to the user (the journal holds students' numbers).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "vtsms-gui"
HOME_ENV = "VTSMS_HOME"
"""Environment variable naming one folder to hold everything (portable use and tests)."""


@dataclass(frozen=True)
class AppFolders:
    """The app's folders; `app_folders()` only works them out, it creates nothing."""

    data: Path
    """The send journal (SQLite) lives here."""
    config: Path
    """Settings."""
    cache: Path
    """Files that can be rebuilt at any time, such as the WSDL cache."""
    log: Path
    """Log files."""


def app_folders() -> AppFolders:
    """The folders in force now: under $VTSMS_HOME when it is set, else the platform's own."""
    home = os.environ.get(HOME_ENV, "").strip()
    if home:
        root = Path(home).expanduser().absolute()
        return AppFolders(
            data=root / "data", config=root / "config", cache=root / "cache", log=root / "log"
        )
    # appauthor=False: on Windows no "vtsms-gui\vtsms-gui" nesting; roaming stays off so the
    # SQLite journal is never synced between machines by a roaming profile.
    dirs = PlatformDirs(APP_NAME, appauthor=False)
    return AppFolders(
        data=dirs.user_data_path,
        config=dirs.user_config_path,
        cache=dirs.user_cache_path,
        log=dirs.user_log_path,
    )


def data_dir() -> Path:
    """The data folder (home of the send journal), created if missing."""
    return _ensure(app_folders().data)


def config_dir() -> Path:
    """The settings folder, created if missing."""
    return _ensure(app_folders().config)


def cache_dir() -> Path:
    """The cache folder (WSDL cache), created if missing."""
    return _ensure(app_folders().cache)


def log_dir() -> Path:
    """The log folder, created if missing."""
    return _ensure(app_folders().log)


def _ensure(folder: Path) -> Path:
    # Not platformdirs' ensure_exists: it creates folders with the default mode, and ours hold
    # personal data, so the last level is made private to the user (POSIX; Windows ignores it).
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder
