"""Structured logs: one event per line, JSON in production, readable in development."""

import hashlib
import hmac
import logging
import sys
from typing import Literal

import structlog


def configure_logging(
    log_format: Literal["json", "console"], level: str = "INFO"
) -> None:
    """Route structlog and the standard library through one renderer."""
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    # Our own middleware logs each request with its route template; uvicorn's access
    # line would add the raw path, which can hold a national number.
    logging.getLogger("uvicorn.access").disabled = True
    # The HTTP client logs every outgoing URL at INFO; the register's URLs carry
    # national numbers.
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True


class KeyedHasher:
    """Stand-in for personal identifiers in logs, stable under one secret key.

    A plain hash of a national number is reversed by trying the few billion
    possible numbers; an HMAC cannot be without the key.
    """

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __call__(self, value: str) -> str:
        """Return a short keyed digest of value."""
        return hmac.new(self._key, value.encode(), hashlib.sha256).hexdigest()[:16]
