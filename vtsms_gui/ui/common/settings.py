"""What the window remembers between runs (QSettings): layout, last server, sender. No secrets."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "vtsms"
APPLICATION = "vtsms-gui"
MAX_RECENT_URLS = 8
DEFAULT_LOW_BALANCE = 100
DEFAULT_SOAP_VERSION = "1.1"


class AppSettings:
    """Typed access to the window's QSettings (tests inject their own, never the user's)."""

    def __init__(self, settings: QSettings | None = None) -> None:
        # A bare QSettings() uses the organisation and application names set in app.py.
        self._settings = settings if settings is not None else QSettings()

    @property
    def qsettings(self) -> QSettings:
        return self._settings

    def sync(self) -> None:
        self._settings.sync()

    # --- login ---

    @property
    def last_url(self) -> str:
        return str(self._settings.value("login/last_url", "", type=str))

    @property
    def recent_urls(self) -> list[str]:
        value = self._settings.value("login/recent_urls", [], type=list)
        return [str(url) for url in value if url] if isinstance(value, list) else []

    def remember_url(self, url: str) -> None:
        """Make `url` the last one used and the first of the recent list."""
        recent = [url, *(u for u in self.recent_urls if u != url)][:MAX_RECENT_URLS]
        self._settings.setValue("login/last_url", url)
        self._settings.setValue("login/recent_urls", recent)

    @property
    def username(self) -> str:
        return str(self._settings.value("login/username", "", type=str))

    @username.setter
    def username(self, value: str) -> None:
        self._settings.setValue("login/username", value)

    @property
    def soap_version(self) -> str:
        value = str(self._settings.value("login/soap_version", DEFAULT_SOAP_VERSION, type=str))
        return value if value in ("1.1", "1.2") else DEFAULT_SOAP_VERSION

    @soap_version.setter
    def soap_version(self, value: str) -> None:
        self._settings.setValue("login/soap_version", value)

    # --- message options ---

    @property
    def sender(self) -> str:
        return str(self._settings.value("message/sender", "", type=str))

    @sender.setter
    def sender(self, value: str) -> None:
        self._settings.setValue("message/sender", value)

    @property
    def low_balance_threshold(self) -> int:
        value = self._settings.value("balance/low_threshold", DEFAULT_LOW_BALANCE, type=int)
        return max(0, value) if isinstance(value, int) else DEFAULT_LOW_BALANCE

    @low_balance_threshold.setter
    def low_balance_threshold(self, value: int) -> None:
        self._settings.setValue("balance/low_threshold", max(0, value))

    # --- office networks (never a proxy password: that lives in the keyring) ---

    @property
    def proxy(self) -> str:
        """ "" follows the environment and the system; "direct" uses none; else an address."""
        return str(self._settings.value("network/proxy", "", type=str))

    @proxy.setter
    def proxy(self, value: str) -> None:
        self._settings.setValue("network/proxy", value)

    @property
    def proxy_username(self) -> str:
        """The user the proxy knows (its password is kept in the keyring)."""
        return str(self._settings.value("network/proxy_username", "", type=str))

    @proxy_username.setter
    def proxy_username(self, value: str) -> None:
        self._settings.setValue("network/proxy_username", value)

    @property
    def ca_file(self) -> str:
        """An organisation CA certificate file, trusted on top of this computer's store."""
        return str(self._settings.value("network/ca_file", "", type=str))

    @ca_file.setter
    def ca_file(self, value: str) -> None:
        self._settings.setValue("network/ca_file", value)

    # --- window layout ---

    def layout(self, key: str) -> QByteArray | None:
        """A saved geometry or splitter state, or None."""
        value = self._settings.value(f"window/{key}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_layout(self, key: str, value: QByteArray) -> None:
        self._settings.setValue(f"window/{key}", value)

    # --- test send ---

    @property
    def test_mobile(self) -> str:
        """The user's own number, for "Send a test to me" (remembered once given)."""
        return str(self._settings.value("send/test_mobile", "", type=str))

    @test_mobile.setter
    def test_mobile(self, value: str) -> None:
        self._settings.setValue("send/test_mobile", value.strip())
