"""A mail sink for development: an SMTP server that keeps each message as a file.

    python tools/mailsink.py --host 127.0.0.1 --port 1025 --dir var/mail

Every message becomes one .eml file, named by arrival time and Message-ID, which any
mail program opens. One log line per message names the file, never the content.
"""

import argparse
import logging
import re
import signal
import threading
from datetime import UTC, datetime
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

log = logging.getLogger("mailsink")


class Keeper:
    """An aiosmtpd handler that writes each message it accepts to a directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        """Keep the message as it came, then accept it."""
        content: bytes = envelope.original_content or envelope.content
        message_id = BytesHeaderParser().parsebytes(content).get("Message-ID", "")
        path = self.directory / file_name(message_id, datetime.now(UTC))
        path.write_bytes(content)
        log.info(
            "kept %s (%d bytes, %d recipients)",
            path.name,
            len(content),
            len(envelope.rcpt_tos),
        )
        return "250 Message accepted for delivery"


def file_name(message_id: str, at: datetime) -> str:
    """Return a safe file name for a message: arrival time, then its Message-ID."""
    safe = re.sub(r"[^A-Za-z0-9@._-]", "_", message_id.strip().strip("<>"))[:120]
    return f"{at:%Y%m%dT%H%M%S%fZ}-{safe or 'no-message-id'}.eml"


def main(argv: list[str] | None = None) -> int:
    """Serve until SIGINT or SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--dir", type=Path, default=Path("var/mail"))
    args = parser.parse_args(argv)
    # aiosmtpd's own log names every sender and recipient; ours says one line.
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s mailsink %(message)s"
    )
    log.setLevel(logging.INFO)
    args.dir.mkdir(parents=True, exist_ok=True)

    controller = Controller(
        Keeper(args.dir), hostname=args.host, port=args.port, enable_SMTPUTF8=True
    )
    controller.start()
    log.info("listening on %s:%d, keeping mail in %s", args.host, args.port, args.dir)
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    stopped.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
