"""`send-matching serve`: run the service with uvicorn (httptools)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import uvicorn

from send_matching.settings import get_settings


def main(argv: Sequence[str] | None = None) -> None:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="send-matching", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="Serve the HTTP API")
    serve.add_argument("--host", default=settings.host, help="default: MATCHING_HOST or 127.0.0.1")
    serve.add_argument(
        "--port", type=int, default=settings.port, help="default: MATCHING_PORT or 8001"
    )
    args = parser.parse_args(argv)
    if args.command == "serve":
        uvicorn.run(
            "send_matching.app:create_app",
            factory=True,
            host=args.host,
            port=args.port,
            http="httptools",
            access_log=False,  # the app logs every request itself, with its request id
            log_config=None,
            proxy_headers=bool(settings.forwarded_allow_ips),
            forwarded_allow_ips=settings.forwarded_allow_ips or None,
        )


if __name__ == "__main__":
    main()
