"""`send-matching serve`: run the service with uvicorn (httptools)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

import uvicorn


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="send-matching", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="Serve the HTTP API")
    serve.add_argument("--host", default=os.environ.get("MATCHING_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("MATCHING_PORT", "8001")))
    args = parser.parse_args(argv)
    if args.command == "serve":
        print(f"send-matching on http://{args.host}:{args.port} (docs at /docs)", flush=True)
        uvicorn.run(
            "send_matching.app:create_app",
            factory=True,
            host=args.host,
            port=args.port,
            http="httptools",
            access_log=False,  # the app logs every request itself, with its request id
            log_config=None,
        )


if __name__ == "__main__":
    main()
