"""``searchlib serve``: the web UI on a local port."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from searchlib.cli.common import ReportingCommand, index_option, traceback_option
from searchlib.errors import UsageError

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")
"""The host names a browser on this machine uses for a server bound to loopback."""


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


@click.command("serve", cls=ReportingCommand)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free one)."
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but this machine's loopback lets others read the archive.",
)
@index_option
@traceback_option
def serve_command(port: int, host: str, index_dir: Path, traceback: bool) -> None:
    """Search the index in a web browser: a local page with facets, a date chart and articles."""
    from werkzeug.serving import make_server

    from searchlib.web import create_app

    local = is_loopback(host)
    app = create_app(index_dir, trusted_hosts=(*LOOPBACK_NAMES, host) if local else None, warm_up=True)
    if not local:
        click.echo(
            f"warning: listening on {host}: anyone who can reach this machine on port {port} can read "
            "the whole archive (there is no login). Use the default --host 127.0.0.1 to keep it private.",
            err=True,
        )
    try:
        server = make_server(host, port, app, threaded=True)
    except (OSError, SystemExit):  # werkzeug prints the reason and exits when it cannot bind
        raise UsageError(
            f"cannot listen on {host}:{port}: pass another --port (0 picks a free one) or --host"
        ) from None
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Serving {index_dir} at http://{shown}:{server.server_port}/  (Ctrl-C to stop)", err=False)
    try:
        server.serve_forever()
    finally:
        server.server_close()
