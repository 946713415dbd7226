import asyncio
from typing import Any

import pytest

from ssm_api.notifications.dispatcher import Outcome
from ssm_api.notifications.housekeeping import Chores
from ssm_api.notifications.worker import MailWorker, running

pytestmark = pytest.mark.anyio


class FlakyDispatcher:
    """Fails its first round, as when the database is briefly away."""

    def __init__(self, rounds_until_stop: int, stop: asyncio.Event) -> None:
        self.rounds = 0
        self.rounds_until_stop = rounds_until_stop
        self.stop = stop

    async def run_once(self, stop: asyncio.Event | None = None) -> Outcome:
        self.rounds += 1
        if self.rounds == 1:
            msg = "database away"
            raise RuntimeError(msg)
        if self.rounds >= self.rounds_until_stop:
            self.stop.set()
        return Outcome()


class NoChores:
    def __init__(self) -> None:
        self.runs = 0

    async def run(self) -> Chores:
        self.runs += 1
        return Chores(0, 0, 0)


def worker(dispatcher: Any, chores: Any) -> MailWorker:
    return MailWorker(dispatcher, chores, poll_seconds=0.001, chores_seconds=3600)


async def test_the_worker_outlives_a_failed_round() -> None:
    stop = asyncio.Event()
    dispatcher = FlakyDispatcher(rounds_until_stop=3, stop=stop)
    chores = NoChores()

    await asyncio.wait_for(worker(dispatcher, chores).run(stop), 2)

    assert dispatcher.rounds == 3
    assert chores.runs == 1


async def test_leaving_the_block_stops_the_worker() -> None:
    three_rounds = asyncio.Event()
    dispatcher = FlakyDispatcher(rounds_until_stop=3, stop=three_rounds)

    async with running(worker(dispatcher, NoChores()), grace_seconds=1):
        await asyncio.wait_for(three_rounds.wait(), 2)

    assert [t for t in asyncio.all_tasks() if t.get_name() == "mail-worker"] == []
