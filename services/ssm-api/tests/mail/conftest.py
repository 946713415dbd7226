"""Fixtures of the mail tests: a real SMTP server, SSM in process, its dispatcher."""

import socket
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, cast

import httpx
import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI
from sqlalchemy import func, select

from identity_stub.testing import TokenMinter, stub_app_for
from service_kit.jwks import StaticKeys
from ssm_api.adapters.tables import MandateContactRow, OutboxMessageRow
from ssm_api.api.app import create_app
from ssm_api.config import Settings
from ssm_api.notifications.dispatcher import Outcome
from ssm_api.notifications.wiring import worker_for
from ssm_api.notifications.worker import MailWorker

from ..conftest import FrozenClock, settings_for


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass
class Sink:
    """An aiosmtpd handler that keeps what it accepts and answers as told."""

    received: list[EmailMessage] = field(default_factory=list)
    # Reply to the n-th DATA (counted from 1) with this instead of accepting it.
    replies: dict[int, str] = field(default_factory=dict)
    on_accept: Callable[[int], None] | None = None
    calls: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.calls += 1
        if self.calls in self.replies:
            return self.replies[self.calls]
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append(cast(EmailMessage, message))
        if self.on_accept is not None:
            self.on_accept(len(self.received))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if m["To"] == address]

    @property
    def message_ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.received]


@dataclass
class SmtpServer:
    port: int
    sink: Sink


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(port, sink)
    finally:
        controller.stop()


@dataclass
class Harness:
    """SSM in process with its dispatcher driven by hand, one pass at a time."""

    client: httpx.AsyncClient
    app: FastAPI
    clock: FrozenClock
    settings: Settings

    def worker(self, **overrides: Any) -> MailWorker:
        settings = self.settings.model_copy(update=overrides)
        state = self.app.state
        return worker_for(settings, state.sessions, self.clock, state.mail_metrics)

    async def dispatch(self, **overrides: Any) -> Outcome:
        return await self.worker(**overrides).run_once()

    async def count(self, row: Any, *where: Any) -> int:
        async with self.app.state.sessions() as session:
            total = await session.scalar(
                select(func.count()).select_from(row).where(*where)
            )
        return int(total or 0)

    async def outbox(self) -> list[OutboxMessageRow]:
        async with self.app.state.sessions() as session:
            query = select(OutboxMessageRow).order_by(OutboxMessageRow.id)
            return list((await session.execute(query)).scalars())

    async def contacts(self) -> int:
        return await self.count(MandateContactRow)


async def running_harness(
    settings: Settings, minter: TokenMinter, clock: FrozenClock
) -> AsyncIterator[Harness]:
    app = create_app(
        settings,
        keys=StaticKeys(minter.jwks),
        clock=clock,
        transport=httpx.ASGITransport(stub_app_for(minter)),
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app), base_url="http://ssm.test"
        ) as client,
    ):
        yield Harness(client, app, clock, settings)


def mail_settings(database_url: str, smtp_port: int, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "smtp_port": smtp_port,
        "mail_dispatcher_enabled": False,
        "public_base_url": "https://ssm.example",
    }
    return settings_for(database_url, **(values | overrides))


@pytest.fixture
async def mail(
    database_url: str, smtp: SmtpServer, minter: TokenMinter, clock: FrozenClock
) -> AsyncIterator[Harness]:
    settings = mail_settings(database_url, smtp.port)
    async for harness in running_harness(settings, minter, clock):
        yield harness
