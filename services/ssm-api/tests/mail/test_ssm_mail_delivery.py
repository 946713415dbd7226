import asyncio
from collections import Counter
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from pydantic import SecretStr

from identity_stub.testing import TokenMinter
from ssm_api.notifications.queue import OutboxQueue

from ..conftest import FrozenClock
from ..support import create_mandate
from .conftest import (
    Harness,
    Sink,
    SmtpServer,
    free_port,
    mail_settings,
    running_harness,
)

pytestmark = pytest.mark.anyio

BOTH = {"initiator_email": "jane@example.org", "counterparty_email": "jan@example.org"}
PERIODS = [
    ("2026-12-03", "2027-01-01"),
    ("2027-01-01", "2027-02-01"),
    ("2027-02-01", "2027-03-01"),
]


async def create_three(harness: Harness, minter: TokenMinter) -> list[str]:
    """Create three mandates between the same persons, six messages in all."""
    ids = []
    for start, end in PERIODS:
        created = await create_mandate(
            harness.client, minter, start_date=start, end_date=end, **BOTH
        )
        ids.append(created["id"])
    return ids


def later(clock: FrozenClock, **delta: float) -> None:
    clock.current += timedelta(**delta)


async def test_with_smtp_down_the_creation_succeeds_and_mail_follows_later(
    mail: Harness, smtp: SmtpServer, minter: TokenMinter
) -> None:
    closed = free_port()

    await create_mandate(mail.client, minter, **BOTH)
    down = await mail.dispatch(smtp_port=closed)
    not_yet = await mail.dispatch()
    later(mail.clock, hours=1)
    back = await mail.dispatch()

    assert (down.taken, down.failed, down.sent) == (2, 2, 0)
    assert not_yet.taken == 0
    assert back.sent == 2
    assert sorted(m["To"] for m in smtp.sink.received) == [
        "jan@example.org",
        "jane@example.org",
    ]
    rows = await mail.outbox()
    assert [(r.attempts, r.last_error) for r in rows] == [
        (1, "SMTPConnectError"),
        (1, "SMTPConnectError"),
    ]
    assert all(r.sent_at is not None for r in rows)


async def test_a_message_refused_for_now_mid_batch_arrives_later_and_none_twice(
    mail: Harness, smtp: SmtpServer, minter: TokenMinter
) -> None:
    await create_three(mail, minter)
    smtp.sink.replies[3] = "451 4.3.0 Try again later"

    first = await mail.dispatch()
    later(mail.clock, minutes=5)
    second = await mail.dispatch()

    assert (first.taken, first.sent, first.failed) == (6, 5, 1)
    assert (second.taken, second.sent) == (1, 1)
    counts = Counter(smtp.sink.message_ids)
    assert len(counts) == 6
    assert set(counts.values()) == {1}
    assert {r.message_id for r in await mail.outbox()} == set(counts)


async def test_a_dispatcher_stopped_mid_batch_hands_back_the_rest(
    mail: Harness, smtp: SmtpServer, minter: TokenMinter
) -> None:
    await create_three(mail, minter)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    smtp.sink.on_accept = lambda n: (
        loop.call_soon_threadsafe(stop.set) if n == 2 else None
    )

    stopped = await mail.worker().dispatcher.run_once(stop)
    smtp.sink.on_accept = None
    restarted = await mail.dispatch()

    assert (stopped.sent, stopped.released) == (2, 4)
    assert restarted.sent == 4
    counts = Counter(smtp.sink.message_ids)
    assert len(counts) == 6
    assert set(counts.values()) == {1}


async def test_a_dispatcher_that_died_holding_messages_is_replaced_after_the_hold(
    mail: Harness, smtp: SmtpServer, minter: TokenMinter
) -> None:
    await create_mandate(mail.client, minter, **BOTH)
    # A dispatcher that took the batch and then vanished without a word.
    queue = OutboxQueue(mail.app.state.sessions)
    taken = await queue.claim(mail.clock.now(), 10, timedelta(minutes=5))

    during_hold = await mail.dispatch()
    later(mail.clock, minutes=6)
    after_hold = await mail.dispatch()

    assert len(taken) == 2
    assert during_hold.taken == 0
    assert after_hold.sent == 2


async def test_a_permanent_refusal_is_given_up_at_once(
    mail: Harness, smtp: SmtpServer, minter: TokenMinter
) -> None:
    await create_mandate(mail.client, minter, counterparty_email="jan@example.org")
    smtp.sink.replies[1] = "550 5.1.1 <jan@example.org>: no such user"

    outcome = await mail.dispatch()
    later(mail.clock, days=1)
    again = await mail.dispatch()

    (row,) = await mail.outbox()
    assert outcome.failed == 1
    assert again.taken == 0
    assert row.failed_at is not None
    assert row.last_error == "SMTPDataError 550"
    assert "jan@" not in (row.last_error or "")


async def test_a_message_is_given_up_after_the_last_attempt(
    mail: Harness, minter: TokenMinter
) -> None:
    closed = free_port()
    await create_mandate(mail.client, minter, counterparty_email="jan@example.org")

    for _ in range(3):
        await mail.dispatch(smtp_port=closed, mail_max_attempts=3)
        later(mail.clock, hours=2)

    (row,) = await mail.outbox()
    assert row.attempts == 3
    assert row.failed_at is not None
    assert row.sent_at is None


async def test_retries_back_off_exponentially_up_to_the_cap(
    mail: Harness, minter: TokenMinter
) -> None:
    closed = free_port()
    await create_mandate(mail.client, minter, counterparty_email="jan@example.org")
    waits = []

    for _ in range(9):
        await mail.dispatch(smtp_port=closed)
        (row,) = await mail.outbox()
        waits.append((row.next_attempt_at - mail.clock.now()).total_seconds())
        mail.clock.current = row.next_attempt_at

    bases = [30 * 2**n for n in range(7)] + [3600, 3600]
    assert all(0.8 * b <= w <= 1.2 * b for w, b in zip(waits, bases, strict=True))


async def test_metrics_count_the_backlog_and_what_was_sent(
    mail: Harness, minter: TokenMinter
) -> None:
    await create_mandate(mail.client, minter, **BOTH)
    await mail.dispatch(smtp_port=free_port())
    waiting = (await mail.client.get("/metrics")).text
    later(mail.clock, hours=1)
    await mail.dispatch()
    done = (await mail.client.get("/metrics")).text

    assert "ssm_mail_outbox_backlog 2.0" in waiting
    assert 'ssm_mail_failed_attempts_total{kind="invitation"} 1.0' in waiting
    assert "ssm_mail_outbox_backlog 0.0" in done
    assert 'ssm_mail_sent_total{kind="confirmation"} 1.0' in done


async def test_the_service_sends_mail_by_itself_and_stops_cleanly(
    database_url: str, smtp: SmtpServer, minter: TokenMinter, clock: FrozenClock
) -> None:
    settings = mail_settings(
        database_url, smtp.port, mail_dispatcher_enabled=True, mail_poll_seconds=0.02
    )

    async for harness in running_harness(settings, minter, clock):
        await create_mandate(harness.client, minter, **BOTH)
        for _ in range(250):
            if len(smtp.sink.received) == 2:
                break
            await asyncio.sleep(0.02)

    assert len(smtp.sink.received) == 2
    assert [t for t in asyncio.all_tasks() if t.get_name() == "mail-worker"] == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
async def test_a_server_refusing_the_login_loses_no_mail(
    mail: Harness, minter: TokenMinter
) -> None:
    await create_mandate(mail.client, minter, counterparty_email="jan@example.org")
    port = free_port()
    controller = Controller(
        Sink(),
        hostname="127.0.0.1",
        port=port,
        auth_required=True,
        auth_require_tls=False,
        authenticator=lambda *_: AuthResult(success=False, handled=False),
    )

    controller.start()
    try:
        outcome = await mail.dispatch(
            smtp_port=port, smtp_username="ssm", smtp_password=SecretStr("wrong")
        )
    finally:
        controller.stop()

    (row,) = await mail.outbox()
    assert outcome.failed == 1
    assert row.failed_at is None
    assert row.last_error == "SMTPAuthenticationError 535"
