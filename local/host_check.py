"""Only the local stack's own host names are served: a page of another site that gets its
name to resolve to 127.0.0.1 (DNS rebinding) is the same origin as that name, not as the
local stack, and its requests carry that name as their `Host`."""

import json
from collections.abc import Collection, Iterable
from typing import Any

from werkzeug.wrappers import Response

LOCAL_NAMES = ("127.0.0.1", "localhost")
# Misdirected Request: this server does not answer for that name.
MISDIRECTED = 421


def local_hosts(port: int) -> frozenset[str]:
    """The `Host` values a client of 127.0.0.1:port sends: by address or by `localhost`."""
    return frozenset(f"{name}:{port}" for name in LOCAL_NAMES)


class OwnHostsOnly:
    """WSGI middleware: a request whose `Host` is not one of the allowed gets a JSON 421.

    Nothing is allowed until `allow` names the hosts (a server bound to a free port knows
    its port only once it is bound).
    """

    def __init__(self, application: Any) -> None:
        self._application = application
        self._hosts: frozenset[str] = frozenset()
        self._suffixes: tuple[str, ...] = ()

    def allow(self, hosts: Collection[str], suffixes: Collection[str] = ()) -> None:
        self._hosts = frozenset(host.lower() for host in hosts)
        self._suffixes = tuple(suffix.lower() for suffix in suffixes)

    def allows(self, host: str) -> bool:
        host = host.lower()
        return host in self._hosts or (
            bool(self._suffixes) and host.split(":")[0].endswith(self._suffixes)
        )

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if self.allows(environ.get("HTTP_HOST", "")):
            result: Iterable[bytes] = self._application(environ, start_response)
            return result
        refusal = Response(
            json.dumps({"message": "This server answers only for its own host name"}),
            status=MISDIRECTED,
            content_type="application/json",
        )
        return refusal(environ, start_response)
