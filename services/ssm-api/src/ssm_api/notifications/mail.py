"""Mail about mandates: its kinds, who receives which, and the message as queued."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ssm_api.domain.mandate import Event, EventKind, Mandate, Role
from ssm_api.domain.types import Language


class MailKind(StrEnum):
    """The mails SSM sends, one template per kind and language."""

    INVITATION = "invitation"
    CONFIRMATION = "confirmation"
    SIGNED = "signed"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"
    REMINDER = "reminder"


@dataclass(frozen=True)
class Contacts:
    """The addresses the parties gave for mail about one mandate; either may lack."""

    mandator: str | None
    mandatary: str | None

    @classmethod
    def given_by(
        cls,
        initiator: Role,
        initiator_email: str | None,
        counterparty_email: str | None,
    ) -> "Contacts":
        """Return the contacts of a creation, where addresses come per initiative."""
        if initiator is Role.MANDATOR:
            return cls(initiator_email, counterparty_email)
        return cls(counterparty_email, initiator_email)

    @property
    def empty(self) -> bool:
        """Tell whether no address at all was given."""
        return self.mandator is None and self.mandatary is None

    def of(self, role: Role) -> str | None:
        """Return the address of the party in a role, if known."""
        return self.mandator if role is Role.MANDATOR else self.mandatary


@dataclass(frozen=True)
class OutgoingMail:
    """A rendered, addressed message for the outbox, with its own Message-ID."""

    mandate_id: str
    kind: MailKind
    recipient: str
    language: Language
    subject: str
    text: str
    html: str
    message_id: str
    created_at: datetime


_TOLD_TO_THE_OTHER = {
    EventKind.SIGNED: MailKind.SIGNED,
    EventKind.REFUSED: MailKind.REFUSED,
    EventKind.WITHDRAWN: MailKind.WITHDRAWN,
    EventKind.STOPPED: MailKind.STOPPED,
}


def notices_for(mandate: Mandate, event: Event) -> list[tuple[MailKind, Role]]:
    """Return which mails an event causes, each with the role of its recipient."""
    if event.kind is EventKind.CREATED:
        return [
            (MailKind.INVITATION, mandate.counterparty),
            (MailKind.CONFIRMATION, mandate.initiator),
        ]
    kind = _TOLD_TO_THE_OTHER.get(event.kind)
    if kind is None or event.by is None:
        # An expiry is nobody's act, and nobody asked to be told of it.
        return []
    return [(kind, event.by.other)]
