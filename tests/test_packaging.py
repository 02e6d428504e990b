"""The installers' build files: the PyInstaller spec (run with stand-ins for PyInstaller), what the
bundle holds, the .deb layout, the Inno Setup script, the icons; `-m slow` runs the real .deb test.
"""

from __future__ import annotations

import ast
import configparser
import importlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from glob import glob
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import vtsms_gui

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
APP_ICONS = ROOT / "resources" / "icons" / "app"
# Upgrades find the installed copy by this id: changing it installs a second copy beside it.
INNO_APP_ID = "{{3C542303-DD29-4347-81FB-36758E190A97}"


@pytest.fixture
def bundle_contents(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(PACKAGING))
    return importlib.import_module("bundle_contents")


@pytest.fixture
def build_script(bundle_contents: ModuleType) -> ModuleType:
    # Loaded under its own name: "build" is also a PyPI package's name.
    spec = importlib.util.spec_from_file_location("vtsms_build_script", PACKAGING / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- version ----------------------------------------------------------------------------------


def test_the_build_version_is_the_package_version(bundle_contents: ModuleType) -> None:
    assert bundle_contents.project_version() == vtsms_gui.__version__


@pytest.mark.parametrize(
    ("version", "numbers"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("1.2.3rc1", (1, 2, 3, 0)),
        ("2.0.dev4", (2, 0, 0, 0)),
        ("1.2.3.4.5", (1, 2, 3, 4)),
        ("7", (7, 0, 0, 0)),
    ],
)
def test_windows_gets_four_version_numbers(
    bundle_contents: ModuleType, version: str, numbers: tuple[int, ...]
) -> None:
    assert bundle_contents.numeric_version(version) == numbers


def test_a_version_without_numbers_is_refused(bundle_contents: ModuleType) -> None:
    with pytest.raises(ValueError, match="does not start with a number"):
        bundle_contents.numeric_version("next")


def test_windows_version_resource_is_a_pyinstaller_version_file(
    bundle_contents: ModuleType,
) -> None:
    text = bundle_contents.windows_version_info("1.2.3rc1", "vtsms-gui", "the window")
    tree = ast.parse(text, mode="eval")
    assert isinstance(tree.body, ast.Call) and ast.unparse(tree.body.func) == "VSVersionInfo"
    strings = {
        node.args[0].value: node.args[1].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and ast.unparse(node.func) == "StringStruct"
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[1], ast.Constant)
    }
    assert strings["FileVersion"] == strings["ProductVersion"] == "1.2.3rc1"
    assert strings["OriginalFilename"] == "vtsms-gui.exe"
    assert "filevers=(1, 2, 3, 0)" in text


# --- the spec, run with stand-ins for PyInstaller's classes ------------------------------------


class Recorder:
    """Stands in for one PyInstaller class: remembers each call's arguments."""

    def __init__(self, kind: str, calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]]):
        self.kind = kind
        self.calls = calls

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((self.kind, args, kwargs))
        return _Built(self.kind, args, kwargs)


class _Built:
    def __init__(self, kind: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.kind, self.args, self.kwargs = kind, args, kwargs
        self.pure: list[Any] = []
        self.scripts: list[Any] = []
        # What an Analysis finds: one Qt translation the spec must drop, one plugin it keeps.
        self.datas = [("PySide6/Qt/translations/qtbase_de.qm", "/x/qtbase_de.qm", "DATA")]
        self.binaries = [("PySide6/Qt/plugins/platforms/libqxcb.so", "/x/libqxcb.so", "BINARY")]


def run_spec(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
    namespace: dict[str, Any] = {
        name: Recorder(name, calls) for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")
    }
    namespace |= {"SPECPATH": str(PACKAGING), "workpath": str(tmp_path / "work"), "os": os}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the spec must not depend on the current folder
    monkeypatch.setattr(sys, "path", [*sys.path])
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.delenv("MACOS_SIGN_IDENTITY", raising=False)
    spec = PACKAGING / "vtsms-gui.spec"
    exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"), namespace)
    return calls


def of_kind(calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]], kind: str) -> list[Any]:
    return [(args, kwargs) for called, args, kwargs in calls if called == kind]


@pytest.mark.parametrize("platform", ["linux", "win32", "darwin"])
def test_spec_builds_both_executables_from_paths_beside_it(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = run_spec(platform, tmp_path, monkeypatch)
    analyses = of_kind(calls, "Analysis")
    assert [Path(args[0][0]).name for args, _ in analyses] == ["launch_gui.py", "launch_cli.py"]
    for args, kwargs in analyses:
        assert Path(args[0][0]).is_absolute() and Path(args[0][0]).is_file()
        assert kwargs["pathex"] == [str(ROOT)]
        for source, _folder in kwargs["datas"]:
            assert Path(source).is_absolute() and glob(source), source
        for hooks in kwargs["hookspath"]:
            assert sorted(p.name for p in Path(hooks).glob("hook-*.py"))
    cli_hidden = analyses[1][1]["hiddenimports"]
    assert "vtsms_gui.cli.send" in cli_hidden  # `vtsms` imports its commands by name

    exes = {kwargs["name"]: kwargs for _, kwargs in of_kind(calls, "EXE")}
    assert set(exes) == {"vtsms-gui", "vtsms"}
    assert exes["vtsms-gui"]["console"] is False and exes["vtsms"]["console"] is True
    for exe in exes.values():
        assert exe["exclude_binaries"] is True  # one-folder
        assert exe["icon"] is None or Path(exe["icon"]).is_file()
    ((collect_args, collect_kwargs),) = of_kind(calls, "COLLECT")
    assert collect_kwargs["name"] == "vtsms-gui"
    assert collect_args[0].kwargs["name"] == "vtsms-gui"  # macOS launches the first executable
    # Qt's translations are dropped from what Analysis found; the xcb plugin is kept.
    assert not [
        entry
        for arg in collect_args
        if isinstance(arg, list)
        for entry in arg
        if "translations" in entry[0]
    ]
    assert any(
        "libqxcb" in entry[0] for arg in collect_args if isinstance(arg, list) for entry in arg
    )


def test_spec_gives_windows_executables_a_version_resource(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = run_spec("win32", tmp_path, monkeypatch)
    for _, kwargs in of_kind(calls, "EXE"):
        assert Path(kwargs["icon"]).suffix == ".ico"
        text = Path(kwargs["version"]).read_text(encoding="utf-8")
        assert f"StringStruct('FileVersion', '{vtsms_gui.__version__}')" in text
        assert f"StringStruct('OriginalFilename', '{kwargs['name']}.exe')" in text


def test_spec_makes_a_macos_app_with_its_info_plist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = run_spec("darwin", tmp_path, monkeypatch)
    ((_, kwargs),) = of_kind(calls, "BUNDLE")
    assert kwargs["name"] == "vtsms-gui.app"
    assert Path(kwargs["icon"]).suffix == ".icns" and Path(kwargs["icon"]).is_file()
    assert kwargs["bundle_identifier"] == "au.edu.vtsms-gui"
    assert kwargs["version"] == vtsms_gui.__version__
    plist = kwargs["info_plist"]
    assert plist["CFBundleShortVersionString"] == vtsms_gui.__version__
    assert plist["NSHighResolutionCapable"] is True
    assert plist["LSBackgroundOnly"] is False
    assert re.fullmatch(r"\d+\.\d+", plist["LSMinimumSystemVersion"])


def test_macos_minimum_is_the_newest_the_qt_wheels_need(bundle_contents: ModuleType) -> None:
    tags = [
        "Wheel-Version: 1.0\nTag: cp39-abi3-macosx_13_0_universal2\n",
        "Tag: cp39-abi3-macosx_11_0_x86_64\nTag: cp39-abi3-macosx_12_3_arm64\n",
    ]
    assert bundle_contents.macos_minimum(tags) == "13.0"
    assert bundle_contents.macos_minimum(["Tag: cp39-abi3-manylinux_2_28_x86_64"]) == "12.0"


def test_no_bundle_on_windows_or_linux(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not of_kind(run_spec("linux", tmp_path, monkeypatch), "BUNDLE")


# --- what the bundle holds ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "needed"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
        ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platforms/libqminimal.so", False),
        ("PySide6\\plugins\\platforms\\qdirect2d.dll", False),
        ("PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms-integration.so", False),
        ("PySide6/Qt/translations/qtbase_fr.qm", False),
        ("PySide6\\translations\\qtbase_fr.qm", False),
        ("vtsms_gui/api/wsdl/VT_API.wsdl", True),
    ],
)
def test_unused_qt_files_are_left_out(bundle_contents: ModuleType, path: str, needed: bool) -> None:
    assert bundle_contents.is_needed_in_bundle(path) is needed


def test_bundle_path_joins_windows_and_posix_paths(bundle_contents: ModuleType) -> None:
    assert (
        bundle_contents.bundle_path(r"C:\Qt\plugins\platforms\qwindows.dll", r"PySide6\plugins")
        == "PySide6/plugins/qwindows.dll"
    )
    assert bundle_contents.bundle_path("/q/libqxcb.so", "PySide6/Qt") == "PySide6/Qt/libqxcb.so"


def _imported_modules(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_app_code_uses_nothing_the_bundle_leaves_out(bundle_contents: ModuleType) -> None:
    excluded = tuple(bundle_contents.EXCLUDES)
    uses = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in (ROOT / "vtsms_gui").rglob("*.py")
        for module in _imported_modules(path)
        if module.startswith(excluded)
        and any(module == name or module.startswith(f"{name}.") for name in excluded)
    }
    assert not uses, f"bundle_contents.EXCLUDES leaves these out of the installed app: {uses}"


def test_frozen_layout_has_the_icons_and_wsdl_where_the_app_looks(
    bundle_contents: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for source, folder in bundle_contents.data_files():
        for file in glob(source):
            (tmp_path / folder).mkdir(parents=True, exist_ok=True)
            shutil.copy(file, tmp_path / folder)
    from vtsms_gui.ui.common import icons

    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.delenv("VTSMS_RESOURCES", raising=False)
    assert icons.resources_dir() == tmp_path / "resources"
    named_in_ui = {
        name
        for path in (ROOT / "vtsms_gui" / "ui").rglob("*.py")
        for name in re.findall(r"\bicon\(\s*\"([\w/-]+)\"", path.read_text(encoding="utf-8"))
    }
    assert named_in_ui
    for name in named_in_ui:
        assert icons.icon_path(name).is_file(), name
    assert (tmp_path / "vtsms_gui" / "api" / "wsdl" / "VT_API.wsdl").is_file()


# --- Linux --------------------------------------------------------------------------------------


def test_desktop_entry_launches_the_installed_app() -> None:
    from vtsms_gui.ui.common.settings import APPLICATION

    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(PACKAGING / "linux" / "vtsms-gui.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"] == "/opt/vtsms-gui/vtsms-gui"
    assert desktop["Icon"] == "vtsms-gui" and desktop["Terminal"] == "false"
    # One main category: with several, menus may list the app once under each.
    assert desktop["Categories"] == "Office;"
    # Qt's X11 window class is the application name: docks then group the window with the entry.
    assert desktop["StartupWMClass"] == APPLICATION


needs_dpkg = pytest.mark.skipif(
    not (
        shutil.which("dpkg-deb") and shutil.which("dpkg-architecture") and shutil.which("objdump")
    ),
    reason="needs dpkg-deb, dpkg-architecture and objdump (apt-get install dpkg-dev binutils)",
)


@needs_dpkg
def test_deb_installs_app_menu_entry_and_icons(tmp_path: Path) -> None:
    app = tmp_path / "vtsms-gui"
    (app / "_internal").mkdir(parents=True)
    for exe in ("vtsms-gui", "vtsms"):
        shutil.copy("/bin/true", app / exe)  # any ELF program: the script reads its glibc needs
    (app / "_internal" / "data.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        ["bash", str(PACKAGING / "linux" / "build_deb.sh"), str(app), "1.2.0rc1", str(out)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    deb = Path(result.stdout.strip().splitlines()[-1])
    assert deb.parent == out and deb.name.startswith("vtsms-gui_1.2.0~rc1_")

    def field(name: str) -> str:
        return subprocess.run(
            ["dpkg-deb", "--field", str(deb), name], capture_output=True, text=True, check=True
        ).stdout.strip()

    assert field("Package") == "vtsms-gui"
    assert field("Version") == "1.2.0~rc1"  # sorts before 1.2.0
    assert re.search(r"libc6 \(>= 2\.\d+\)", field("Depends"))
    assert "libxcb-cursor0" in field("Depends")
    listing = subprocess.run(
        ["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    entries = {line.split()[5]: line for line in listing.splitlines()}
    assert "./opt/vtsms-gui/vtsms-gui" in entries
    assert all(" root/root " in line for line in entries.values())
    assert entries["./usr/bin/vtsms-gui"].endswith("-> /opt/vtsms-gui/vtsms-gui")
    assert entries["./usr/bin/vtsms"].endswith("-> /opt/vtsms-gui/vtsms")
    assert "./usr/share/applications/vtsms-gui.desktop" in entries
    assert "./usr/share/icons/hicolor/scalable/apps/vtsms-gui.svg" in entries
    for png in APP_ICONS.glob("vtsms-gui-*.png"):
        size = png.stem.rsplit("-", 1)[1]
        assert f"./usr/share/icons/hicolor/{size}x{size}/apps/vtsms-gui.png" in entries


@pytest.mark.parametrize(
    "script",
    [
        "linux/build_deb.sh",
        "linux/smoke_test_deb.sh",
        "linux/postinst",
        "linux/postrm",
        "macos/make_dmg.sh",
        "windows/wine_build.sh",
        "windows/wine_smoke.sh",
    ],
)
def test_shell_scripts_parse(script: str) -> None:
    shell = "bash" if script.endswith(".sh") else "sh"
    subprocess.run([shell, "-n", str(PACKAGING / script)], check=True, timeout=10)


# --- Windows ------------------------------------------------------------------------------------


def inno_sections() -> dict[str, list[str]]:
    """The .iss as section -> lines (Inno's format repeats keys, so configparser cannot read it)."""
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for raw in (PACKAGING / "windows" / "vtsms-gui.iss").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        if match := re.fullmatch(r"\[(\w+)\]", line):
            current = match.group(1)
            sections.setdefault(current, [])
        else:
            sections[current].append(line)
    return sections


def test_inno_setup_installs_per_user_and_upgrades_in_place() -> None:
    sections = inno_sections()
    setup = dict(line.split("=", 1) for line in sections["Setup"])
    assert setup["AppId"] == INNO_APP_ID
    assert setup["PrivilegesRequired"] == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in setup  # never offer the admin route
    # {autopf} in this mode, spelled so that Wine (no FOLDERID_UserProgramFiles) can install it too
    assert setup["DefaultDirName"] == r"{localappdata}\Programs\{#AppName}"
    assert setup["AppVersion"] == "{#AppVersion}"  # from the build, never typed in here
    assert (PACKAGING / "windows" / setup["SetupIconFile"].replace("\\", "/")).resolve().is_file()
    assert "#error" in " ".join(sections[""])  # refuses to build without /DAppVersion
    icons = " ".join(sections["Icons"])
    assert r"{autoprograms}\{#AppName}" in icons
    assert r"{autodesktop}\{#AppName}" in icons and "Tasks: desktopicon" in icons
    assert any("desktopicon" in line and "unchecked" in line for line in sections["Tasks"])


def test_inno_setup_default_folder_is_the_pyinstaller_output() -> None:
    defines = dict(
        re.findall(
            r'#define (\w+) "([^"]*)"', (PACKAGING / "windows" / "vtsms-gui.iss").read_text()
        )
    )
    default = (PACKAGING / "windows" / defines["AppFolder"].replace("\\", "/")).resolve()
    assert default == ROOT / "dist" / "vtsms-gui"


def test_build_script_passes_the_project_version_to_each_installer(
    build_script: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    windows = build_script.installer_command("win32", "1.2.0rc1", "iscc")
    assert "/DAppVersion=1.2.0rc1" in windows and "/DAppVersionNumeric=1.2.0.0" in windows
    assert Path(windows[-1]) == PACKAGING / "windows" / "vtsms-gui.iss"
    for platform in ("darwin", "linux"):
        command = build_script.installer_command(platform, "1.2.0", "iscc")
        assert Path(command[1]).is_file() and command[3] == "1.2.0"
    assert build_script.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == vtsms_gui.__version__


# --- icons ----------------------------------------------------------------------------------


def test_committed_icon_files_hold_every_size(qapp: Any) -> None:
    from PySide6.QtGui import QImage, QImageReader

    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        image = QImage(str(APP_ICONS / f"vtsms-gui-{size}.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
    reader = QImageReader(str(APP_ICONS / "vtsms-gui.ico"))
    sizes = set()
    for index in range(reader.imageCount()):
        reader.jumpToImage(index)
        sizes.add(reader.read().width())
    assert {16, 24, 32, 48, 256} <= sizes


def test_make_icons_writes_every_file_that_is_committed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    image = pytest.importorskip("PIL.Image", reason="Pillow (`packaging` extra) writes .ico/.icns")
    monkeypatch.syspath_prepend(str(PACKAGING))
    make_icons = importlib.import_module("make_icons")
    written = make_icons.write_icons(APP_ICONS / "vtsms-gui.svg", tmp_path)
    committed = {p.name for p in APP_ICONS.iterdir() if p.suffix != ".svg"}
    assert {p.name for p in written} == committed
    # Qt's .icns plugin warns about the table of contents Pillow writes: read it back with Pillow.
    with image.open(APP_ICONS / "vtsms-gui.icns") as icns:
        assert {(512, 512, 2), (256, 256, 1), (16, 16, 2)} <= set(icns.info["sizes"])


# --- the real thing -----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_deb_builds_installs_starts_and_uninstalls() -> None:
    if not Path("/etc/debian_version").is_file() or not shutil.which("apt-get"):
        pytest.skip("the .deb smoke test needs Debian or Ubuntu (apt-get, dpkg)")
    if os.geteuid() != 0:
        pytest.skip("the .deb smoke test installs packages: run it as root")
    result = subprocess.run(
        ["bash", str(PACKAGING / "linux" / "smoke_test_deb.sh")],
        capture_output=True,
        text=True,
        timeout=1700,
        check=False,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report[-4000:]
    assert "smoke_test_deb: PASSED" in result.stdout
    assert re.search(r"start-up time .*: \d+ ms", result.stdout)
    assert not Path("/opt/vtsms-gui").exists()


@pytest.mark.parametrize("platform", ["linux", "win32", "darwin"])
def test_truststore_and_its_platform_backend_are_bundled(
    bundle_contents: ModuleType, platform: str
) -> None:
    backend = {"linux": "_openssl", "win32": "_windows", "darwin": "_macos"}[platform]
    hidden = bundle_contents.hidden_imports(platform)
    assert "truststore" in hidden
    assert f"truststore.{backend}" in hidden


def test_the_windows_bundle_check_names_what_is_missing(
    bundle_contents: ModuleType, tmp_path: Path
) -> None:
    for name in bundle_contents.WINDOWS_BUNDLE_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    modules = list(bundle_contents.WINDOWS_BUNDLE_MODULES)
    assert bundle_contents.missing_from_windows_bundle(tmp_path, modules) == []
    (tmp_path / "_internal/PySide6/plugins/platforms/qwindows.dll").unlink()
    modules.remove("keyring.backends.Windows")
    assert bundle_contents.missing_from_windows_bundle(tmp_path, modules) == [
        "_internal/PySide6/plugins/platforms/qwindows.dll",
        "module keyring.backends.Windows",
    ]
    assert {"keyring.backends.Windows", "tzdata"} <= set(bundle_contents.hidden_imports("win32"))
