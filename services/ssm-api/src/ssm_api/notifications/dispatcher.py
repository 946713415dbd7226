"""The outbox dispatcher: due messages go out over SMTP, each outcome is recorded."""

import asyncio
import logging
import random
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

import structlog
from aiosmtplib import (
    SMTPException,
    SMTPNotSupported,
    SMTPRecipientsRefused,
    SMTPResponseException,
)

from ssm_api.notifications.metrics import MailMetrics
from ssm_api.notifications.queue import OutboxQueue, QueuedMail
from ssm_api.notifications.smtp import Channel, email_message
from ssm_api.service.ports import Clock

log = structlog.get_logger(__name__)

# What the server says about one message; the connection stays usable.
_REFUSED = (SMTPResponseException, SMTPRecipientsRefused, SMTPNotSupported)


class MailServer(Protocol):
    """Something that opens connections to a mail server."""

    def connect(self) -> AbstractAsyncContextManager[Channel]:
        """Open a connection, closed when the block ends."""
        ...


@dataclass(frozen=True)
class RetryPolicy:
    """How often a message is tried, and how long to wait in between."""

    max_attempts: int = 10
    base_seconds: float = 30.0
    max_seconds: float = 3600.0

    def delay(self, attempts: int, jitter: float) -> timedelta:
        """Return the wait after a number of failed attempts; jitter lies in [0, 1)."""
        seconds = min(self.max_seconds, self.base_seconds * 2 ** (attempts - 1))
        # Up to a fifth either way, so that messages that failed together do not
        # all come back at the same instant.
        return timedelta(seconds=seconds * (0.8 + 0.4 * jitter))


@dataclass
class Outcome:
    """What one run of the dispatcher did with the messages it took."""

    taken: int = 0
    sent: int = 0
    failed: int = 0
    released: int = 0


@dataclass(frozen=True)
class DispatchSettings:
    """Who sends, how much at once, and how long a batch may be held."""

    sender: str
    batch_size: int = 50
    hold: timedelta = timedelta(minutes=5)
    retry: RetryPolicy = RetryPolicy()


class Dispatcher:
    """Send due outbox messages over SMTP and record what became of each."""

    def __init__(
        self,
        queue: OutboxQueue,
        server: MailServer,
        clock: Clock,
        *,
        metrics: MailMetrics,
        settings: DispatchSettings,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._queue = queue
        self._server = server
        self._clock = clock
        self._metrics = metrics
        self._settings = settings
        self._jitter = jitter

    async def run_once(self, stop: asyncio.Event | None = None) -> Outcome:
        """Send one batch of due messages; between two, stop when asked."""
        settings = self._settings
        now = self._clock.now()
        batch = await self._queue.claim(now, settings.batch_size, settings.hold)
        outcome = Outcome(taken=len(batch))
        if batch:
            await self._deliver(batch, outcome, stop)
        self._metrics.backlog.set(await self._queue.backlog())
        return outcome

    async def _deliver(
        self, batch: list[QueuedMail], outcome: Outcome, stop: asyncio.Event | None
    ) -> None:
        waiting = list(batch)
        # Past half its hold, a batch could be taken by another dispatcher too.
        deadline = time.monotonic() + self._settings.hold.total_seconds() / 2
        try:
            async with self._server.connect() as channel:
                while waiting and not _asked(stop) and time.monotonic() < deadline:
                    await self._send(channel, waiting[0], outcome)
                    waiting.pop(0)
        except (SMTPException, OSError) as exc:
            # No connection, or it broke: none of the rest can go out now. That
            # is no fault of the messages, so none is given up before its time.
            for mail in waiting:
                await self._failed(mail, exc, outcome, refused=False)
            return
        if waiting:
            await self._queue.release([m.id for m in waiting], self._clock.now())
            outcome.released = len(waiting)

    async def _send(self, channel: Channel, mail: QueuedMail, outcome: Outcome) -> None:
        try:
            await channel.send_message(email_message(mail, self._settings.sender))
        except _REFUSED as exc:
            await self._failed(mail, exc, outcome, refused=True)
            return
        # Marked at once after the server's acceptance. A crash in between sends
        # the message again later; its unchanged Message-ID lets receivers drop
        # the copy.
        await self._queue.mark_sent(mail.id, self._clock.now())
        outcome.sent += 1
        self._metrics.sent.labels(mail.kind).inc()
        log.info("mail.sent", message_id=mail.message_id, kind=mail.kind)

    async def _failed(
        self, mail: QueuedMail, exc: Exception, outcome: Outcome, *, refused: bool
    ) -> None:
        attempts = mail.attempts + 1
        error = describe(exc)
        now = self._clock.now()
        retry = self._settings.retry
        given_up = attempts >= retry.max_attempts or (refused and is_permanent(exc))
        if given_up:
            await self._queue.give_up(mail.id, attempts, now, error)
            self._metrics.given_up.labels(mail.kind).inc()
        else:
            next_at = now + retry.delay(attempts, self._jitter())
            await self._queue.retry_later(mail.id, attempts, next_at, error)
        outcome.failed += 1
        self._metrics.failed_attempts.labels(mail.kind).inc()
        # An operator must act on a message given up; a retry is only noted.
        log.log(
            logging.ERROR if given_up else logging.WARNING,
            "mail.failed",
            message_id=mail.message_id,
            kind=mail.kind,
            attempts=attempts,
            error=error,
            given_up=given_up,
        )


def _asked(stop: asyncio.Event | None) -> bool:
    return stop is not None and stop.is_set()


def describe(exc: Exception) -> str:
    """Name a failure briefly; the server's own words may quote the address."""
    name = type(exc).__name__
    if isinstance(exc, SMTPResponseException):
        return f"{name} {exc.code}"
    if isinstance(exc, SMTPRecipientsRefused):
        return f"{name} {' '.join(sorted({str(r.code) for r in exc.recipients}))}"
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"{name} errno {exc.errno}"
    return name


def is_permanent(exc: Exception) -> bool:
    """Tell whether the server refused for good (5xx), so retrying cannot help."""
    if isinstance(exc, SMTPResponseException):
        return 500 <= exc.code < 600
    if isinstance(exc, SMTPRecipientsRefused):
        return all(500 <= r.code < 600 for r in exc.recipients)
    return False
