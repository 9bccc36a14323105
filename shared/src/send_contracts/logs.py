"""One log shape for both services: a JSON object a line, from structlog and the standard library
(uvicorn's start-up lines too), with the same field names: `event`, `level`, `timestamp`,
`logger`, `service`, and on a request's lines `request_id`; its access line adds `method`, `path`,
`status` and `duration_ms`. Needs the `http` extra (structlog)."""

import logging
import sys

import structlog

# Read at each line, not captured: structlog caches a logger's processors on first use.
_service = {"name": "unknown"}


def _add_service(_: object, __: str, event: structlog.types.EventDict) -> structlog.types.EventDict:
    event.setdefault("service", _service["name"])
    return event


_SHARED: list[structlog.types.Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    _add_service,
]


def log_formatter(*, json: bool = True) -> logging.Formatter:
    """How every line is rendered: one JSON object per line, or console text."""
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )


class _StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stdout` is at each line (pytest's capture swaps it)."""

    @property
    def stream(self) -> object:
        return sys.stdout

    @stream.setter
    def stream(self, _: object) -> None:
        pass


def configure_logging(service: str, *, level: str = "INFO", json: bool = True) -> None:
    """Send structlog and the standard library's loggers (uvicorn's too) through one renderer.

    Access lines come from each service's request-id middleware, which knows the request id, so
    uvicorn's own access logger is turned off."""
    _service["name"] = service
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = _StdoutHandler()
    handler.setFormatter(log_formatter(json=json))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True
