"""What goes into the frozen app (hidden imports, data files, excludes) and the version details
that the spec, the build script and the installers share. No PyInstaller import: tests use it.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path, PurePosixPath, PureWindowsPath

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
APP_ICON_DIR = ROOT / "resources" / "icons" / "app"
APP_NAME = "vtsms-gui"
CLI_NAME = "vtsms"
BUNDLE_IDENTIFIER = "au.edu.vtsms-gui"
PUBLISHER = "vtsms-gui developers"

GUI_SCRIPT = PACKAGING / "launch_gui.py"
CLI_SCRIPT = PACKAGING / "launch_cli.py"

# Imported by name at run time, which PyInstaller's import scan cannot see.
_DYNAMIC_IMPORTS = [
    # keyring finds its backends through entry points (PyInstaller's keyring hook also ships
    # keyring's metadata, without which no backend is found and passwords cannot be saved).
    "keyring.backends.chainer",
    "keyring.backends.fail",
    "keyring.backends.null",
    # Imported inside functions so a window opens before them: listed so a refactor that hides
    # them behind importlib cannot silently drop them from the bundle.
    "zeep",
    "zeep.cache",
    "lxml.etree",
    "lxml._elementpath",
    "python_calamine",
    # TLS against the OS trust store: imported when the first connection is set up.
    "truststore",
    # phonenumbers loads each region's metadata, and the geocoder its data, by module name
    # (packaging/hooks/hook-phonenumbers.py collects them all; listed for the ones we rely on most).
    "phonenumbers.data",
    "phonenumbers.data.region_AU",
    "phonenumbers.shortdata",
    "phonenumbers.geocoder",
    "phonenumbers.geodata",
    "phonenumbers.geodata.locale",
]
_PLATFORM_IMPORTS = {
    "linux": [
        "keyring.backends.SecretService",
        "secretstorage",
        "jeepney",
        "platformdirs.unix",
        "truststore._openssl",
    ],
    "win32": [
        "truststore._windows",
        "keyring.backends.Windows",
        "win32ctypes.pywin32.win32cred",  # Credential Manager, through pywin32-ctypes
        "win32ctypes.core",
        "platformdirs.windows",
        # Windows has no time-zone database of its own: zoneinfo reads tzdata's (pyproject
        # depends on it there). Nothing imports it by name, so without this it is left out.
        "tzdata",
        "zoneinfo",
    ],
    "darwin": [
        "keyring.backends.macOS",
        "keyring.backends.macOS.api",
        "platformdirs.macos",
        "truststore._macos",
    ],
}

# What a frozen Windows folder (dist/vtsms-gui) must hold, checked by the Wine build
# (packaging/windows/wine_build.sh): files, and modules inside the executables' archives.
WINDOWS_BUNDLE_FILES = [
    "vtsms-gui.exe",
    "vtsms.exe",
    # qwindows.dll is the plugin real Windows uses (it aborts under Wine 8, but must be there);
    # qoffscreen.dll is the one the Wine smoke test starts with.
    "_internal/PySide6/plugins/platforms/qwindows.dll",
    "_internal/PySide6/plugins/platforms/qoffscreen.dll",
    "_internal/PySide6/plugins/iconengines/qsvgicon.dll",
    "_internal/tzdata/zoneinfo/Australia/Sydney",
    "_internal/vtsms_gui/api/wsdl/VT_API.wsdl",
]
WINDOWS_BUNDLE_MODULES = [
    "keyring.backends.Windows",  # Credential Manager
    "win32ctypes.pywin32.win32cred",
    "truststore",  # TLS against the Windows certificate store
    "truststore._windows",
    "tzdata",
]


def missing_from_windows_bundle(folder: Path, archived_modules: Iterable[str]) -> list[str]:
    """The WINDOWS_BUNDLE_FILES not in `folder` and the WINDOWS_BUNDLE_MODULES not among
    `archived_modules` (the module names in PyInstaller's PYZ table of contents)."""
    modules = set(archived_modules)
    return [name for name in WINDOWS_BUNDLE_FILES if not (folder / name).is_file()] + [
        f"module {name}" for name in WINDOWS_BUNDLE_MODULES if name not in modules
    ]


# Never used by the app; each would add megabytes.
EXCLUDES = [
    "tkinter",
    "PySide6.QtNetwork",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtDBus",
    "PySide6.QtPrintSupport",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
    # phonenumbers' carrier and time-zone data: the app names places and countries (geocoder,
    # kept) but never carriers or time zones. tests/test_packaging.py fails if code uses them.
    "phonenumbers.carrier",
    "phonenumbers.carrierdata",
    "phonenumbers.timezone",
    "phonenumbers.tzdata",
]

# Bundle paths (folder/file as PyInstaller's TOC names them) that are never loaded: Qt's
# translations of its own dialogs (the app is English only), platform plugins for kiosks, VNC and
# framebuffers, touch-input plugins, and the GTK theme plugin (it drags 40 MB of GTK, Cairo and
# Pango into the bundle, which then clash with the system's; Qt's own dialogs are used instead).
_UNUSED_BUNDLE_PATHS = re.compile(
    r"^PySide6/(Qt/)?("
    r"translations/"
    r"|plugins/(egldeviceintegrations|generic)/"
    r"|plugins/platforms/(lib)?q(eglfs|linuxfb|vnc|vkkhrdisplay|minimalegl|minimal|direct2d)\."
    r"|plugins/platformthemes/(lib)?qgtk3\."
    r")"
)


def project_version(root: Path = ROOT) -> str:
    """`vtsms_gui.__version__`, read from the source without importing the package."""
    tree = ast.parse((root / "vtsms_gui" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    raise LookupError(f"no __version__ = '...' in {root / 'vtsms_gui' / '__init__.py'}")


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """Four numbers for Windows version resources and Inno Setup ("1.2.3rc1" -> (1, 2, 3, 0))."""
    numbers = [int(m.group()) for m in map(re.compile(r"^\d+").match, version.split(".")) if m]
    if not numbers:
        raise ValueError(f"version {version!r} does not start with a number")
    padded = [*numbers[:4], 0, 0, 0]
    return (padded[0], padded[1], padded[2], padded[3])


def cli_modules(root: Path = ROOT) -> list[str]:
    """Every `vtsms_gui.cli` module: `vtsms` imports its command handlers by name."""
    folder = root / "vtsms_gui" / "cli"
    return sorted(
        "vtsms_gui.cli" + ("" if path.stem == "__init__" else f".{path.stem}")
        for path in folder.glob("*.py")
    )


def hidden_imports(platform: str | None = None) -> list[str]:
    """Modules PyInstaller must bundle although no import statement names them."""
    platform = platform or sys.platform
    key = "linux" if platform.startswith("linux") else platform
    return [*_DYNAMIC_IMPORTS, *_PLATFORM_IMPORTS.get(key, [])]


def data_files(root: Path = ROOT) -> list[tuple[str, str]]:
    """(source, folder in the bundle) pairs: the WSDL where `importlib.resources` finds it, and
    the icons where `vtsms_gui.ui.common.icons.resources_dir()` looks in a bundle
    (`resources/icons`)."""
    icons = root / "resources" / "icons"
    return [
        (str(root / "vtsms_gui" / "api" / "wsdl" / "VT_API.wsdl"), "vtsms_gui/api/wsdl"),
        (str(icons / "*.svg"), "resources/icons"),
        (str(icons / "app" / f"{APP_NAME}.svg"), "resources/icons/app"),
    ]


def bundle_path(source: str, folder: str) -> str:
    """Where PyInstaller puts `source` when told to copy it into `folder`, with forward slashes."""
    return (PurePosixPath(folder.replace("\\", "/")) / PureWindowsPath(source).name).as_posix()


def is_needed_in_bundle(path_in_bundle: str) -> bool:
    """False for the Qt translations and plugins listed in `_UNUSED_BUNDLE_PATHS`."""
    return not _UNUSED_BUNDLE_PATHS.match(path_in_bundle.replace("\\", "/"))


def macos_info_plist(version: str) -> dict[str, object]:
    """Info.plist keys beyond the ones PyInstaller's BUNDLE writes itself."""
    return {
        "CFBundleName": APP_NAME,
        "CFBundleDisplayName": APP_NAME,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "LSMinimumSystemVersion": macos_minimum(),
        "NSHighResolutionCapable": True,
        # COLLECT takes `console` from its last executable, the console `vtsms`, and BUNDLE would
        # then mark the app background-only (no Dock icon, no menu bar): say it is not.
        "LSBackgroundOnly": False,
        "NSRequiresAquaSystemAppearance": False,  # follow the system's dark mode
        "LSApplicationCategoryType": "public.app-category.productivity",
        "NSHumanReadableCopyright": f"© {PUBLISHER}",
    }


def macos_minimum(wheel_tags: Iterable[str] | None = None) -> str:
    """The oldest macOS the app runs on: the newest `macosx_X_Y` among the Qt wheels' tags
    (read from the installed PySide6 and shiboken6 unless given), else macOS 12."""
    if wheel_tags is None:
        wheel_tags = []
        for name in ("PySide6_Essentials", "PySide6", "shiboken6"):
            try:
                wheel_tags.append(metadata.distribution(name).read_text("WHEEL") or "")
            except metadata.PackageNotFoundError:
                continue
    found = [
        (int(major), int(minor))
        for tag in wheel_tags
        for major, minor in re.findall(r"macosx_(\d+)_(\d+)_", tag)
    ]
    major, minor = max(found, default=(12, 0))
    return f"{major}.{minor}"


def windows_version_info(version: str, exe_name: str, description: str) -> str:
    """A PyInstaller version-resource file (the format `pyi-grab_version` prints) for one .exe."""
    numbers = numeric_version(version)
    strings = {
        "CompanyName": PUBLISHER,
        "FileDescription": description,
        "FileVersion": version,
        "InternalName": exe_name,
        "LegalCopyright": f"© {PUBLISHER}",
        "OriginalFilename": f"{exe_name}.exe",
        "ProductName": APP_NAME,
        "ProductVersion": version,
    }
    string_structs = ",\n        ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    # 0x0C09 = English (Australia), 1200 = Unicode.
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers!r},
    prodvers={numbers!r},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable('0C0904B0', [
        {string_structs}
      ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0C09, 1200])])
  ]
)
"""
