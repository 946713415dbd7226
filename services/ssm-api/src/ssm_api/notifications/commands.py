"""The `ssm-api outbox` commands: dispatch the outbox, list what could not be sent."""

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TextIO

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from service_kit.db import create_engine
from service_kit.logs import configure_logging
from ssm_api.adapters.clock import SystemClock
from ssm_api.config import Settings
from ssm_api.notifications.queue import OutboxQueue, Trouble
from ssm_api.notifications.wiring import worker_for


def dispatch(settings: Settings, *, once: bool) -> int:
    """Send the outbox: one pass, or until SIGINT or SIGTERM."""
    configure_logging(settings.effective_log_format, settings.log_level)
    asyncio.run(_dispatch(settings, once=once))
    return 0


def failures(settings: Settings, out: TextIO) -> int:
    """Write the messages given up or being retried; never an address or a body."""
    troubles = asyncio.run(_troubles(settings))
    out.write("id\tkind\tstatus\tattempts\tlast_error\tcreated_at\n")
    for trouble in troubles:
        out.write(_line(trouble))
    return 0


async def _dispatch(settings: Settings, *, once: bool) -> None:
    async with _sessions(settings) as sessions:
        worker = worker_for(settings, sessions, SystemClock())
        if once:
            await worker.run_once()
            return
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await worker.run(stop)


async def _troubles(settings: Settings) -> list[Trouble]:
    async with _sessions(settings) as sessions:
        return await OutboxQueue(sessions).troubles()


@asynccontextmanager
async def _sessions(
    settings: Settings,
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(settings.database_url)
    try:
        yield async_sessionmaker(engine, expire_on_commit=False)
    finally:
        await engine.dispose()


def _line(trouble: Trouble) -> str:
    fields = (
        trouble.id,
        trouble.kind,
        trouble.status,
        trouble.attempts,
        trouble.last_error or "",
        trouble.created_at.isoformat(),
    )
    return "\t".join(str(f) for f in fields) + "\n"
