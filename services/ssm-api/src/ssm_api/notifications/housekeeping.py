"""Periodic chores of the mail: reminders before end dates, erasure of addresses."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import structlog

from ssm_api.domain.calendar import brussels_date
from ssm_api.notifications.notifier import Notifier
from ssm_api.service.ports import Clock, UnitOfWork

log = structlog.get_logger(__name__)

REMINDERS_PER_RUN = 200


@dataclass(frozen=True)
class Chores:
    """What one run of the chores did."""

    reminded: int
    erased: int
    purged: int


@dataclass(frozen=True)
class Housekeeping:
    """Queue end-date reminders once, and forget addresses no longer needed."""

    units: Callable[[], UnitOfWork]
    notifier: Notifier
    clock: Clock
    reminder_days: int
    retention_days: int

    async def run(self) -> Chores:
        """Do every chore once."""
        reminded = await self.queue_reminders()
        erased, purged = await self.erase_expired()
        return Chores(reminded, erased, purged)

    async def queue_reminders(self) -> int:
        """Queue a reminder to both parties of mandates whose end date is near."""
        now = self.clock.now()
        today = brussels_date(now)
        horizon = today + timedelta(days=self.reminder_days)
        async with self.units() as uow:
            due = await uow.contacts.due_for_reminder(today, horizon, REMINDERS_PER_RUN)
            for mandate_id in due:
                await self._remind(uow, mandate_id)
            await uow.commit()
        if due:
            log.info("mail.reminders_queued", count=len(due))
        return len(due)

    async def erase_expired(self) -> tuple[int, int]:
        """Erase addresses, and mail sent or given up, past the retention period."""
        now = self.clock.now()
        retention = timedelta(days=self.retention_days)
        async with self.units() as uow:
            erased = await uow.contacts.erase_settled(
                now - retention, brussels_date(now) - retention
            )
            purged = await uow.outbox.purge(now - retention)
            await uow.commit()
        if erased or purged:
            log.info("mail.addresses_erased", contacts=erased, messages=purged)
        return erased, purged

    async def _remind(self, uow: UnitOfWork, mandate_id: str) -> None:
        mandate = await uow.mandates.get(mandate_id)
        contacts = await uow.contacts.get(mandate_id)
        if mandate is not None and contacts is not None:
            await self.notifier.remind(uow, mandate, contacts, self.clock.now())
        # Recorded in the transaction that queues it: never a second reminder.
        await uow.contacts.mark_reminded(mandate_id, self.clock.now())
