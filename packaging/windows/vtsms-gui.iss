; Inno Setup 6.3+ script: installs the PyInstaller folder (dist\vtsms-gui) for the current user
; only, without administrator rights, with a Start menu shortcut, an optional desktop shortcut
; and an uninstaller (Settings > Apps). packaging/build.py compiles it:
;
;   iscc /DAppVersion=0.1.0 /DAppVersionNumeric=0.1.0.0 /DAppFolder=...\dist\vtsms-gui
;        /DOutputDir=...\dist packaging\windows\vtsms-gui.iss
;
; Upgrades install over the previous version in place (same AppId, same folder). Nothing the
; user made lives in the install folder, so upgrading or uninstalling never touches it:
;   - history (send journal), logs and app data: %LOCALAPPDATA%\vtsms-gui (platformdirs),
;   - window settings: HKCU\Software\vtsms\vtsms-gui (QSettings),
;   - saved passwords: Windows Credential Manager (keyring).

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (packaging/build.py reads vtsms_gui.__version__)
#endif
#ifndef AppVersionNumeric
  #define AppVersionNumeric AppVersion
#endif
; Relative paths are from this script's folder.
#ifndef AppFolder
  #define AppFolder "..\..\dist\vtsms-gui"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#define AppName "vtsms-gui"
#define AppExe "vtsms-gui.exe"

[Setup]
; The AppId ties every version together: never change it, or upgrades install a second copy.
AppId={{3C542303-DD29-4347-81FB-36758E190A97}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=vtsms-gui developers
AppComments=Send SMS to students through your VETtrak server
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductName={#AppName}
; Per-user install: no UAC prompt, into the user's own %LOCALAPPDATA%\Programs. That is where
; {autopf} points in this lowest-privileges mode too, but Inno finds it through the known folder
; FOLDERID_UserProgramFiles, which Wine lacks ("Failed to expand shell folder constant"), and
; CI installs this very setup.exe under Wine: {localappdata}\Programs is the same folder on Windows.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DisableDirPage=auto
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
UsePreviousTasks=yes
; Closes a running vtsms-gui (Windows Restart Manager) before replacing its files.
CloseApplications=yes
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
SetupIconFile=..\..\resources\icons\app\vtsms-gui.ico
OutputDir={#OutputDir}
OutputBaseFilename={#AppName}-{#AppVersion}-setup
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
; The bundle is 64-bit; x64compatible also covers Windows 11 on Arm (x64 emulation).
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 or later.
MinVersion=10.0

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; A new version's bundle may drop libraries: clear the old one so no stale DLL is ever loaded.
; Only program files live here (see the top of this file), so no user data is lost.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#AppFolder}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Send SMS to students through VETtrak"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Send SMS to students through VETtrak"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
