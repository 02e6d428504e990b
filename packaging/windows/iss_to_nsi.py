"""Generate an NSIS script that installs exactly what packaging/windows/vtsms-gui.iss installs.

    python packaging/windows/iss_to_nsi.py packaging/windows/vtsms-gui.iss --version 0.1.0 \\
        --app-folder dist/vtsms-gui --output-dir dist > build/wine/vtsms-gui.nsi
    makensis build/wine/vtsms-gui.nsi

Why: Inno Setup's compiler (ISCC.exe) is 32-bit; on a Debian machine whose i386 packages cannot be
installed, Wine cannot run it, but Debian's `makensis` runs natively. The .iss stays the ONE
installer definition: every value (AppId, names, folders, shortcuts, icon, compression, the
minimum Windows) is read from it, and any [Setup] directive or section this script does not know
stops the build, so a change to the .iss cannot be silently left out of the NSIS build.

The generated installer behaves as the Inno Setup one: per-user (no UAC), into
%LOCALAPPDATA%\\Programs\\vtsms-gui, the old _internal folder removed first, a Start menu shortcut,
an optional (unchecked) desktop shortcut, an uninstaller `unins000.exe` registered under
HKCU\\...\\Uninstall\\{AppId}_is1 (the key Inno Setup uses, so either build upgrades the other), and
Inno's command-line switches /VERYSILENT /SILENT /CURRENTUSER /SUPPRESSMSGBOXES /DIR= accepted.
Not reproduced: Inno's CloseApplications (Restart Manager closing a running app before files are
replaced; NSIS has no built-in equivalent).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

# [Setup] directives: each one is used below, or says why NSIS needs nothing for it.
_HANDLED = {
    "AppId",
    "AppName",
    "AppVersion",
    "AppVerName",
    "AppPublisher",
    "AppComments",
    "VersionInfoVersion",
    "VersionInfoProductName",
    "PrivilegesRequired",
    "DefaultDirName",
    "UninstallDisplayName",
    "UninstallDisplayIcon",
    "SetupIconFile",
    "OutputDir",
    "OutputBaseFilename",
    "Compression",
    "SolidCompression",
    "ArchitecturesAllowed",
    "ArchitecturesInstallIn64BitMode",
    "MinVersion",
    "UsePreviousAppDir",
}
_NOT_APPLICABLE = {
    "DisableDirPage": "auto: the folder page is shown on first install only (same here)",
    "DisableProgramGroupPage": "yes: NSIS has no program-group page",
    "UsePreviousTasks": "the desktop-shortcut choice is not remembered (cosmetic)",
    "CloseApplications": "no Restart Manager in NSIS: not reproduced (see the module docstring)",
    "WizardStyle": "look of the wizard only",
}
_SECTIONS = {"Setup", "Languages", "Tasks", "InstallDelete", "Files", "Icons", "Run"}


def preprocess(text: str, defines: dict[str, str]) -> str:
    """Inno's preprocessor, as far as the .iss uses it: #define, #ifndef/#endif, #error, {#Name}."""
    out: list[str] = []
    skipping: list[bool] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#ifndef"):
            skipping.append(line.split()[1] in defines)
            continue
        if line.startswith("#endif"):
            skipping.pop()
            continue
        if any(skipping):
            continue
        if line.startswith("#define"):
            name, _, value = line[len("#define") :].strip().partition(" ")
            defines.setdefault(name, value.strip().strip('"'))
            continue
        if line.startswith("#error"):
            raise SystemExit(f"iss_to_nsi: the .iss says: {line[6:].strip()}")
        if line.startswith("#"):
            raise SystemExit(f"iss_to_nsi: unknown preprocessor line: {line}")
        out.append(re.sub(r"\{#(\w+)\}", lambda m: defines[m.group(1)], raw))
    return "\n".join(out)


def parse(text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            current = header.group(1)
            if current not in _SECTIONS:
                raise SystemExit(f"iss_to_nsi: section [{current}] is not translated to NSIS")
            sections[current] = []
        elif current:
            sections[current].append(line)
    return sections


def entries(lines: list[str]) -> list[dict[str, str]]:
    """`Name: "x"; Filename: "y"; Flags: a b` lines as dicts."""
    result = []
    for line in lines:
        parts = re.findall(r'(\w+):\s*("(?:[^"]|"")*"|[^;]*)', line)
        result.append({k: v.strip().strip('"') for k, v in parts})
    return result


def nsis_path(inno: str) -> str:
    """Inno constants to NSIS variables (per-user: {autopf} is %LOCALAPPDATA%\\Programs)."""
    table = {
        "{autopf}": r"$LOCALAPPDATA\Programs",
        "{localappdata}": "$LOCALAPPDATA",
        "{app}": "$INSTDIR",
        "{autoprograms}": "$SMPROGRAMS",
        "{autodesktop}": "$DESKTOP",
    }
    for inno_name, nsis_name in table.items():
        inno = inno.replace(inno_name, nsis_name)
    if "{" in inno:
        raise SystemExit(f"iss_to_nsi: untranslated Inno constant in {inno!r}")
    return inno


def generate(iss: Path, version: str, app_folder: Path, output_dir: Path) -> str:
    numeric = ".".join((re.findall(r"\d+", version) + ["0"] * 4)[:4])
    defines = {
        "AppVersion": version,
        "AppVersionNumeric": numeric,
        "AppFolder": str(app_folder),
        "OutputDir": str(output_dir),
    }
    sections = parse(preprocess(iss.read_text(encoding="utf-8"), defines))
    setup = dict(line.split("=", 1) for line in sections["Setup"])
    unknown = set(setup) - _HANDLED - set(_NOT_APPLICABLE)
    if unknown:
        raise SystemExit(
            f"iss_to_nsi: [Setup] directives not translated to NSIS: {sorted(unknown)}"
        )
    if setup["PrivilegesRequired"] != "lowest":
        raise SystemExit(
            "iss_to_nsi: only per-user installs (PrivilegesRequired=lowest) are translated"
        )
    app_id = setup["AppId"].replace("{{", "{")
    uninstall_key = rf"Software\Microsoft\Windows\CurrentVersion\Uninstall\{app_id}_is1"
    here = iss.parent
    icon = (here / setup["SetupIconFile"].replace("\\", "/")).resolve()
    install_dir = nsis_path(setup["DefaultDirName"])
    min_major = int(setup["MinVersion"].split(".")[0])

    deletes = [
        f'  RMDir /r "{nsis_path(e["Name"])}"'
        for e in entries(sections.get("InstallDelete", []))
        if e.get("Type") == "filesandordirs"
    ]
    files = []
    for entry in entries(sections["Files"]):
        source = entry["Source"].rstrip("*").rstrip("\\/")
        if "recursesubdirs" not in entry.get("Flags", ""):
            raise SystemExit("iss_to_nsi: only recursive [Files] entries are translated")
        files.append(f'  SetOutPath "{nsis_path(entry["DestDir"])}"')
        files.append(f'  File /r "{Path(source)}/*"')
    tasks = {e["Name"]: e for e in entries(sections.get("Tasks", []))}
    shortcuts, optional, remove = [], [], []
    for entry in entries(sections["Icons"]):
        link = nsis_path(entry["Name"]) + ".lnk"
        target, comment = nsis_path(entry["Filename"]), entry.get("Comment", "")
        command = f'  CreateShortcut "{link}" "{target}" "" "" 0 SW_SHOWNORMAL "" "{comment}"'
        remove.append(f'  Delete "{link}"')
        task = entry.get("Tasks")
        if task:
            if "unchecked" not in tasks[task].get("Flags", ""):
                raise SystemExit("iss_to_nsi: only unchecked tasks are translated")
            optional.append((task, command))
        else:
            shortcuts.append(command)
    runs = entries(sections.get("Run", []))
    run_exe = nsis_path(runs[0]["Filename"]) if runs else None

    previous_dir = f'InstallDirRegKey HKCU "{uninstall_key}" "InstallLocation"'
    out = f"""; GENERATED by packaging/windows/iss_to_nsi.py from {iss.name}: edit the .iss instead.
; 64-bit installer and uninstaller (the app is x64 anyway): Debian's Wine 8 without wine32:i386
; cannot start 32-bit programs, NSIS's default.
Target amd64-unicode
ManifestSupportedOS all
RequestExecutionLevel user
Name "{setup["AppName"]}"
Caption "{setup["AppVerName"]} Setup"
OutFile "{Path(setup["OutputDir"]) / (setup["OutputBaseFilename"] + ".exe")}"
Icon "{icon}"
UninstallIcon "{icon}"
InstallDir "{install_dir}"
{previous_dir if setup.get("UsePreviousAppDir") == "yes" else ""}
SetCompressor {"/SOLID " if setup.get("SolidCompression") == "yes" else ""}lzma
VIProductVersion "{setup["VersionInfoVersion"]}"
VIAddVersionKey "ProductName" "{setup["VersionInfoProductName"]}"
VIAddVersionKey "ProductVersion" "{setup["AppVersion"]}"
VIAddVersionKey "FileVersion" "{setup["AppVersion"]}"
VIAddVersionKey "CompanyName" "{setup["AppPublisher"]}"
VIAddVersionKey "FileDescription" "{setup["AppName"]} Setup"
VIAddVersionKey "LegalCopyright" "{setup["AppPublisher"]}"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"
!include "WinVer.nsh"

!define MUI_ICON "{icon}"
!define MUI_UNICON "{icon}"
{'!define MUI_FINISHPAGE_RUN "' + run_exe + '"' if run_exe else ""}
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

; Inno Setup's switches, so scripts and IT deployment tools work with either build.
!macro InnoSwitches
  ${{GetParameters}} $R0
  ClearErrors
  ${{GetOptions}} $R0 "/VERYSILENT" $R1
  ${{IfNot}} ${{Errors}}
    SetSilent silent
  ${{EndIf}}
  ClearErrors
  ${{GetOptions}} $R0 "/SILENT" $R1
  ${{IfNot}} ${{Errors}}
    SetSilent silent
  ${{EndIf}}
!macroend

Function .onInit
  !insertmacro InnoSwitches
  ClearErrors
  ${{GetOptions}} $R0 "/DIR=" $R1
  ${{IfNot}} ${{Errors}}
    StrCpy $INSTDIR $R1
  ${{EndIf}}
  ; ArchitecturesAllowed=x64compatible, MinVersion={setup["MinVersion"]}
  ${{IfNot}} ${{RunningX64}}
    MessageBox MB_ICONSTOP "{setup["AppName"]} needs 64-bit Windows." /SD IDOK
    Abort
  ${{EndIf}}
  ${{IfNot}} ${{AtLeastWin{min_major}}}
    MessageBox MB_ICONSTOP "{setup["AppName"]} needs Windows {min_major} or later." /SD IDOK
    Abort
  ${{EndIf}}
  SetRegView 64
FunctionEnd

Function un.onInit
  !insertmacro InnoSwitches
  SetRegView 64
FunctionEnd

Section "{setup["AppName"]}" SecMain
  SectionIn RO
{chr(10).join(deletes)}
{chr(10).join(files)}
  WriteUninstaller "$INSTDIR\\unins000.exe"
{chr(10).join(shortcuts)}
  WriteRegStr HKCU "{uninstall_key}" "DisplayName" "{setup["UninstallDisplayName"]}"
  WriteRegStr HKCU "{uninstall_key}" "DisplayVersion" "{setup["AppVersion"]}"
  WriteRegStr HKCU "{uninstall_key}" "Publisher" "{setup["AppPublisher"]}"
  WriteRegStr HKCU "{uninstall_key}" "Comments" "{setup["AppComments"]}"
  WriteRegStr HKCU "{uninstall_key}" "DisplayIcon" "{nsis_path(setup["UninstallDisplayIcon"])}"
  WriteRegStr HKCU "{uninstall_key}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "{uninstall_key}" "UninstallString" '"$INSTDIR\\unins000.exe"'
  WriteRegStr HKCU "{uninstall_key}" "QuietUninstallString" '"$INSTDIR\\unins000.exe" /VERYSILENT'
  WriteRegDWORD HKCU "{uninstall_key}" "NoModify" 1
  WriteRegDWORD HKCU "{uninstall_key}" "NoRepair" 1
SectionEnd
"""
    for task, command in optional:
        label = tasks[task]["Description"].strip("{}").replace("cm:", "")
        out += f'\nSection /o "{label}" Sec{task}\n{command}\nSectionEnd\n'
    out += f"""
Section "Uninstall"
{chr(10).join(remove)}
  ; Only program files live in the install folder (see the top of the .iss): user data stays.
  RMDir /r "$INSTDIR"
  DeleteRegKey HKCU "{uninstall_key}"
SectionEnd
"""
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("iss", type=Path)
    parser.add_argument("--version", required=True)
    parser.add_argument("--app-folder", type=Path, required=True)
    parser.add_argument("--output-dir", type=Path, required=True)
    args = parser.parse_args(argv)
    sys.stdout.write(
        generate(args.iss, args.version, args.app_folder.resolve(), args.output_dir.resolve())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
