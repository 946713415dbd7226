"""The mail worker: the dispatcher and the chores in one loop, in or out of the API."""

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import structlog

from ssm_api.notifications.dispatcher import Dispatcher, Outcome
from ssm_api.notifications.housekeeping import Housekeeping

log = structlog.get_logger(__name__)


class MailWorker:
    """Send the outbox every poll, and do the chores every so often."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        housekeeping: Housekeeping,
        *,
        poll_seconds: float,
        chores_seconds: float,
    ) -> None:
        self.dispatcher = dispatcher
        self.housekeeping = housekeeping
        self._poll = poll_seconds
        self._chores_every = chores_seconds
        self._chores_due = 0.0

    async def run_once(self) -> Outcome:
        """Do the chores, then send batches until nothing more is due."""
        await self.housekeeping.run()
        total = Outcome()
        while True:
            outcome = await self.dispatcher.run_once()
            total.taken += outcome.taken
            total.sent += outcome.sent
            total.failed += outcome.failed
            if outcome.taken == 0:
                return total

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until asked to stop; a finished send is always recorded first."""
        while not stop.is_set():
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._poll)
            if not stop.is_set():
                await self._round(stop)

    async def _round(self, stop: asyncio.Event) -> None:
        try:
            if time.monotonic() >= self._chores_due:
                await self.housekeeping.run()
                self._chores_due = time.monotonic() + self._chores_every
            await self.dispatcher.run_once(stop)
        except Exception as exc:
            # The database may be away for a while; the loop must outlive that,
            # and the next round tries again. Only the error's type is logged: a
            # database error quotes its statement's values, addresses among them.
            log.error("mail.worker_failed", error=type(exc).__name__)


@asynccontextmanager
async def running(worker: MailWorker, grace_seconds: float) -> AsyncIterator[None]:
    """Run the worker in the background while the block runs, then stop it."""
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop), name="mail-worker")
    try:
        yield
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, grace_seconds)
        except TimeoutError:
            # Cancelled mid-send at worst: the message is held a while, then
            # sent again with the same Message-ID.
            log.warning("mail.worker_cancelled")
