from datetime import UTC, datetime

import anyio
import pytest

from identity_stub.testing import TokenMinter
from ssm_api.cli import main

from ..support import create_mandate
from .conftest import Harness, SmtpServer, free_port

pytestmark = pytest.mark.anyio

BOTH = {"initiator_email": "jane@example.org", "counterparty_email": "jan@example.org"}


@pytest.fixture
def environment(
    monkeypatch: pytest.MonkeyPatch, database_url: str, smtp: SmtpServer
) -> None:
    monkeypatch.setenv("SSM_ENVIRONMENT", "test")
    monkeypatch.setenv("SSM_DATABASE_URL", database_url)
    monkeypatch.setenv("SSM_SMTP_PORT", str(smtp.port))


async def test_failures_lists_given_up_and_retried_mail_without_addresses(
    mail: Harness,
    smtp: SmtpServer,
    minter: TokenMinter,
    environment: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await create_mandate(mail.client, minter, end_date="2027-01-01", **BOTH)
    smtp.sink.replies[1] = "550 5.1.1 <jan@example.org>: no such user"
    await mail.dispatch()
    await create_mandate(
        mail.client, minter, start_date="2027-01-01", counterparty_email="x@example.org"
    )
    await mail.dispatch(smtp_port=free_port())
    capsys.readouterr()

    status = await anyio.to_thread.run_sync(main, ["outbox", "failures"])

    out = capsys.readouterr().out
    header, *lines = out.splitlines()
    assert status == 0
    assert header == "id\tkind\tstatus\tattempts\tlast_error\tcreated_at"
    assert [line.split("\t")[1:5] for line in lines] == [
        ["invitation", "failed", "1", "SMTPDataError 550"],
        ["invitation", "retrying", "1", "SMTPConnectError"],
    ]
    assert "@" not in out
    assert "Peters" not in out


async def test_dispatch_once_sends_what_is_due_and_exits(
    mail: Harness,
    smtp: SmtpServer,
    minter: TokenMinter,
    environment: None,
) -> None:
    # The command reads the real clock: the mail must be due by it.
    mail.clock.current = datetime(2020, 1, 6, 11, tzinfo=UTC)
    await create_mandate(mail.client, minter, **BOTH)

    status = await anyio.to_thread.run_sync(main, ["outbox", "dispatch", "--once"])

    assert status == 0
    assert sorted(m["To"] for m in smtp.sink.received) == [
        "jan@example.org",
        "jane@example.org",
    ]
    assert all(row.sent_at is not None for row in await mail.outbox())
