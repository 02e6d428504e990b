"""The zeep side of the client: the WSDL (bundled, or the server's own), the SOAP 1.1 or 1.2
binding pointed at the user's URL, secure parser settings, and calls whose failures come back
as VettrakErrors. Imported only when a client is constructed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

import zeep
from zeep.cache import SqliteCache

from vtsms_gui.api.bulk_arrays import BulkArrayPlugin
from vtsms_gui.api.error_translation import TRANSLATABLE, WSDL_OPERATION, translate
from vtsms_gui.api.errors import MalformedResponse, VettrakError
from vtsms_gui.api.proxy import ProxyRoute, resolve_proxy
from vtsms_gui.api.result_matching import RawResult
from vtsms_gui.api.service_url import wsdl_url
from vtsms_gui.api.soap_log import redact, remember_secrets
from vtsms_gui.api.transport import LimitedTransport
from vtsms_gui.domain.send_plan import PlannedRecipient

if TYPE_CHECKING:
    import requests

    from vtsms_gui.api.config import ClientConfig
    from vtsms_gui.api.soap_log import SoapExchange

NAMESPACE = "http://www.ozsoft.com.au/VETtrak/api/complete"
BINDINGS = {"1.1": f"{{{NAMESPACE}}}VT_APISoap", "1.2": f"{{{NAMESPACE}}}VT_APISoap12"}
WSDL_CACHE_FILE = "vt_api_wsdl.sqlite"
WSDL_CACHE_SECONDS = 24 * 60 * 60
_log = logging.getLogger(__name__)


def proxy_route_for(config: ClientConfig) -> Callable[[str], ProxyRoute]:
    """The proxy choice of `config` for any URL (app setting, else environment, else system)."""

    def route(url: str) -> ProxyRoute:
        return resolve_proxy(
            url, config.proxy, username=config.proxy_username, password=config.proxy_password
        )

    return route


def bundled_wsdl_path() -> str:
    """The WSDL shipped with the app (a real file also inside a PyInstaller bundle)."""
    return str(resources.files("vtsms_gui.api") / "wsdl" / "VT_API.wsdl")


def secure_settings() -> zeep.Settings:
    """Strict parsing; no DTDs, entities, external fetches or huge trees from any server."""
    return zeep.Settings(
        strict=True,
        xml_huge_tree=False,
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
    )


class SoapService:
    """zeep client + service proxy for one configuration."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        session: requests.Session | None = None,
        on_exchange: Callable[[SoapExchange], None] | None = None,
    ) -> None:
        remember_secrets(*config.secrets)
        self._config_secrets = config.secrets
        self._transport = LimitedTransport(
            session=session,
            connect_timeout=config.connect_timeout,
            read_timeout=config.read_timeout,
            max_response_bytes=config.max_response_bytes,
            verify=config.verify,
            on_exchange=on_exchange,
            local_wsdl=bundled_wsdl_path(),
            ca_file=config.ca_file,
            proxy_route=proxy_route_for(config),
        )
        if config.use_live_wsdl and config.cache_dir is not None:
            config.cache_dir.mkdir(parents=True, exist_ok=True)
            self._transport.cache = SqliteCache(  # type: ignore[no-untyped-call]
                path=str(config.cache_dir / WSDL_CACHE_FILE), timeout=WSDL_CACHE_SECONDS
            )
        wsdl = wsdl_url(config.service_url) if config.use_live_wsdl else bundled_wsdl_path()
        try:
            client = zeep.Client(  # type: ignore[no-untyped-call]
                wsdl, transport=self._transport, settings=secure_settings()
            )
            self._bulk = BulkArrayPlugin(client, NAMESPACE)
        except TRANSLATABLE as exc:
            error: VettrakError | None = translate(
                exc, WSDL_OPERATION, (*self._config_secrets, *self._transport.route_secrets)
            )
        else:
            error = None
        binding = BINDINGS[config.soap_version]
        if error is None and binding not in client.wsdl.bindings:
            error = MalformedResponse(
                f"The server's service description (WSDL) does not offer SOAP "
                f"{config.soap_version}. Choose the other SOAP version in the settings."
            )
        if error is not None:
            _log_failure(WSDL_OPERATION, error)
            self.close()
            raise error  # raised outside the handler: no chained original to leak details
        client.plugins.append(self._bulk)
        self.zeep_client = client
        self._proxy = client.create_service(  # type: ignore[no-untyped-call]
            binding, config.service_url
        )

    def call(
        self,
        operation: str,
        params: Mapping[str, Any],
        *,
        secrets: Sequence[str | None],
        recipients: Sequence[PlannedRecipient] | None = None,
    ) -> Any:
        """Run `operation`; every failure is raised as a VettrakError with secrets scrubbed.

        `recipients` fill SendSMSMessages' smsRecipients (see BulkArrayPlugin); its results
        are then in `last_results`.
        """
        remember_secrets(*secrets)
        self._transport.secrets = tuple(secrets)
        self._transport.posted = False
        self._bulk.pending = recipients
        self._bulk.results = None
        if recipients is not None:
            params = {**params, "smsRecipients": {"TSMSRecipient": []}}
        try:
            return self._proxy[operation](**params)
        except TRANSLATABLE as exc:
            all_secrets = (*secrets, *self._config_secrets, *self._transport.route_secrets)
            error = translate(exc, operation, all_secrets)
        except (ValueError, TypeError) as exc:
            if self._transport.posted:
                raise
            # lxml refuses text XML cannot carry (control characters) while the request is
            # built: nothing left this computer.
            error = VettrakError(
                "The request could not be built, so nothing was sent: " + redact(str(exc), secrets),
                may_have_sent=False,
            )
        finally:
            self._transport.secrets = ()
            self._bulk.pending = None
        _log_failure(operation, error)
        # Raised outside the handler so that no chained exception carries the token along.
        raise error

    @property
    def last_results(self) -> tuple[RawResult, ...]:
        """The TSMSResults of the last SendSMSMessages reply (empty when it had none)."""
        return self._bulk.results or ()

    def close(self) -> None:
        self._transport.close()


def _log_failure(operation: str, error: VettrakError) -> None:
    """One support-log line per failed call: the user's message, and the technical detail."""
    _log.warning(
        "%s failed: %s: %s%s",
        operation,
        type(error).__name__,
        error.message,
        f" [{error.technical}]" if error.technical else "",
    )
