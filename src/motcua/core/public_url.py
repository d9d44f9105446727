"""The public address printed in QR codes on paper (slips, procedure posters): MOTCUA_PUBLIC_URL.

When it is not set, `motcua serve` uses the address it listens on, so that `make run PORT=8011`
prints QR codes that open on :8011 rather than on a default port nothing listens on. Outside the
demo an unset public address is a mistake waiting to be printed on a thousand slips: serve warns.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

ENV = "MOTCUA_PUBLIC_URL"
ANY_ADDRESS = {"0.0.0.0", "::", "[::]", ""}


def listening_url(host: str, port: int) -> str:
    """The address a browser on this machine reaches the server at."""
    if host in ANY_ADDRESS:
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def configure(host: str, port: int, *, demo: bool, environ: MutableMapping[str, str] = os.environ) -> str:
    """Set MOTCUA_PUBLIC_URL for the server's processes when it is unset; return the warning to
    print ("" when there is none)."""
    if environ.get(ENV, "").strip():
        return ""
    url = listening_url(host, port)
    environ[ENV] = url
    if demo:
        return ""
    return (
        f"WARNING: {ENV} is not set; QR codes printed on slips and posters point to {url}, which "
        f"citizens' phones may not reach. Set {ENV} to the public address of this service "
        "(e.g. https://motcua.dongthap.gov.vn)."
    )
