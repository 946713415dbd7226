"""Mail in the outbox for what happens to a mandate, in the transaction that did it."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ssm_api.domain.mandate import Event, EventKind, Mandate, Party, Role
from ssm_api.notifications.mail import Contacts, MailKind, OutgoingMail, notices_for
from ssm_api.notifications.rendering import local_date, render
from ssm_api.service.ports import UnitOfWork


@dataclass(frozen=True)
class _Notice:
    kind: MailKind
    recipient: Role
    at: datetime
    event: Event | None = None


@dataclass(frozen=True)
class Notifier:
    """Turn a mandate's new events and its parties' addresses into queued mail."""

    public_base_url: str
    message_domain: str

    async def created(
        self, uow: UnitOfWork, mandate: Mandate, contacts: Contacts
    ) -> None:
        """Keep the addresses; invite the counterparty and confirm to the initiator."""
        if contacts.empty:
            return
        await uow.contacts.add(mandate.id, contacts)
        event = Event(EventKind.CREATED, mandate.created_at, mandate.initiator)
        await self._tell(uow, mandate, contacts, event)

    async def changed(
        self, uow: UnitOfWork, mandate: Mandate, events: Sequence[Event]
    ) -> None:
        """Tell the party that did not act what the other did."""
        contacts = await uow.contacts.get(mandate.id)
        if contacts is None:
            return
        for event in events:
            await self._tell(uow, mandate, contacts, event)

    async def remind(
        self, uow: UnitOfWork, mandate: Mandate, contacts: Contacts, at: datetime
    ) -> None:
        """Tell both parties that the mandate's end date is near."""
        for role in (mandate.initiator, mandate.counterparty):
            notice = _Notice(MailKind.REMINDER, role, at)
            await self._queue(uow, mandate, contacts, notice)

    async def _tell(
        self, uow: UnitOfWork, mandate: Mandate, contacts: Contacts, event: Event
    ) -> None:
        for kind, role in notices_for(mandate, event):
            notice = _Notice(kind, role, event.at, event)
            await self._queue(uow, mandate, contacts, notice)

    async def _queue(
        self, uow: UnitOfWork, mandate: Mandate, contacts: Contacts, notice: _Notice
    ) -> None:
        address = contacts.of(notice.recipient)
        if address is None:
            return
        context = await self._context(uow, mandate, contacts, notice)
        rendered = render(notice.kind, mandate.language, context)
        mail = OutgoingMail(
            mandate_id=mandate.id,
            kind=notice.kind,
            recipient=address,
            language=mandate.language,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            # Made once, here: a resend after a crash carries the same id, so
            # receivers can drop the duplicate.
            message_id=f"<{uuid.uuid4()}@{self.message_domain}>",
            created_at=notice.at,
        )
        await uow.outbox.add(mail)

    async def _context(
        self, uow: UnitOfWork, mandate: Mandate, contacts: Contacts, notice: _Notice
    ) -> dict[str, object]:
        language = mandate.language
        mandate_type = await uow.types.get(mandate.type_code)
        event = notice.event
        return {
            "recipient": _name(mandate.party(notice.recipient)),
            "party_1": _name(mandate.party(mandate.initiator)),
            "party_2": _name(mandate.party(mandate.counterparty)),
            "mandator": _name(mandate.mandator),
            "mandatary": _name(mandate.mandatary),
            "actor": _name(mandate.party(event.by)) if event and event.by else None,
            "service": mandate_type.names[language]
            if mandate_type
            else mandate.type_code,
            "start_date": local_date(mandate.start_date, language),
            "end_date": local_date(mandate.effective_end_date, language),
            "active_since": local_date(mandate.active_since, language),
            "stop_date": local_date(mandate.effective_end_date, language),
            "reason": event.reason if event else None,
            "invited": contacts.of(mandate.counterparty) is not None,
            "link": f"{self.public_base_url.rstrip('/')}/v1/mandates/{mandate.id}",
        }


def _name(party: Party) -> str:
    return f"{party.first_name} {party.last_name}"
