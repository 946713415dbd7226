from datetime import UTC, datetime, timedelta

import pytest

from identity_stub.testing import TokenMinter
from ssm_api.adapters.tables import MandateContactRow, OutboxMessageRow

from ..support import JAN, JANE, act, create_mandate, sign
from .conftest import Harness, SmtpServer

pytestmark = pytest.mark.anyio

BOTH = {"initiator_email": "jane@example.org", "counterparty_email": "jan@example.org"}
END = "2027-03-01"


def on(harness: Harness, day: str, hour: int = 11) -> None:
    harness.clock.current = datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


async def signed_with_end(harness: Harness, minter: TokenMinter) -> str:
    created = await create_mandate(harness.client, minter, end_date=END, **BOTH)
    await sign(harness.client, minter, created["id"])
    await harness.dispatch()
    mandate_id: str = created["id"]
    return mandate_id


async def test_the_reminder_is_queued_once_the_configured_days_before_the_end(
    mail: Harness, smtp: SmtpServer, minter: TokenMinter
) -> None:
    await signed_with_end(mail, minter)
    smtp.sink.received.clear()
    chores = mail.worker().housekeeping

    on(mail, "2027-02-14")
    too_early = await chores.queue_reminders()
    on(mail, "2027-02-15")
    due = await chores.queue_reminders()
    on(mail, "2027-02-16")
    again = await chores.queue_reminders()
    await mail.dispatch()
    await mail.dispatch()

    assert (too_early, due, again) == (0, 1, 0)
    assert sorted(m["To"] for m in smtp.sink.received) == [
        "jan@example.org",
        "jane@example.org",
    ]
    assert {m["Subject"] for m in smtp.sink.received} == {
        "Mandaat tussen Jane Doe en Jan Peters loopt af op 1 maart 2027"
    }


async def test_the_days_before_the_end_are_configurable(
    mail: Harness, minter: TokenMinter
) -> None:
    await signed_with_end(mail, minter)
    on(mail, "2027-02-26")

    with_three = await mail.worker(reminder_days_before_end=3).housekeeping.run()

    assert with_three.reminded == 1


async def test_no_reminder_for_a_stopped_or_unsigned_mandate(
    mail: Harness, minter: TokenMinter
) -> None:
    stopped = await signed_with_end(mail, minter)
    await act(mail.client, minter, stopped, "stop", JANE)
    await create_mandate(
        mail.client, minter, start_date="2027-03-01", end_date="2027-03-10", **BOTH
    )
    on(mail, "2027-02-28")

    chores = await mail.worker().housekeeping.run()

    assert chores.reminded == 0


async def test_addresses_are_erased_after_the_retention_period_of_a_final_mandate(
    mail: Harness, minter: TokenMinter
) -> None:
    created = await create_mandate(mail.client, minter, **BOTH)
    await act(mail.client, minter, created["id"], "refuse", JAN)
    await mail.dispatch()
    chores = mail.worker().housekeeping
    refused_at = mail.clock.now()

    mail.clock.current = refused_at + timedelta(days=29)
    kept = await chores.erase_expired()
    mail.clock.current = refused_at + timedelta(days=30, minutes=1)
    erased = await chores.erase_expired()

    assert kept == (0, 0)
    assert erased == (1, 3)
    assert await mail.contacts() == 0
    assert await mail.count(OutboxMessageRow) == 0


async def test_addresses_are_kept_while_mail_can_still_come(
    mail: Harness, minter: TokenMinter
) -> None:
    await signed_with_end(mail, minter)
    on(mail, "2027-02-20")
    await create_mandate(
        mail.client, minter, start_date="2027-03-01", end_date="2027-04-01", **BOTH
    )
    on(mail, "2027-03-30")

    erased, _ = await mail.worker().housekeeping.erase_expired()

    # The first ended on 1 March, 29 days ago; the second, left unsigned, expired
    # on 22 March.
    assert erased == 0
    assert await mail.contacts() == 2


async def test_addresses_of_ended_and_expired_mandates_are_erased(
    mail: Harness, minter: TokenMinter
) -> None:
    await signed_with_end(mail, minter)
    await create_mandate(
        mail.client, minter, start_date="2027-03-01", end_date="2027-04-01", **BOTH
    )
    on(mail, "2027-05-01")

    erased, _ = await mail.worker(email_retention_days=30).housekeeping.erase_expired()

    assert erased == 2
    assert await mail.count(MandateContactRow) == 0


async def test_unsent_mail_survives_the_erasure(
    mail: Harness, minter: TokenMinter
) -> None:
    created = await create_mandate(mail.client, minter, **BOTH)
    await act(mail.client, minter, created["id"], "withdraw", JANE)
    mail.clock.current += timedelta(days=31)

    erased, purged = await mail.worker().housekeeping.erase_expired()

    assert (erased, purged) == (1, 0)
    assert await mail.count(OutboxMessageRow, OutboxMessageRow.sent_at.is_(None)) == 3
