"""SMTP delivery with aiosmtplib, one connection per batch of messages."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Protocol

import aiosmtplib

from ssm_api.notifications.queue import QueuedMail


class Channel(Protocol):
    """An open connection to the mail server."""

    async def send_message(self, message: EmailMessage) -> object:
        """Hand one message over; raise when the server does not accept it."""
        ...


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to reach the mail server."""

    host: str
    port: int
    timeout: float
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    # Said in EHLO; the sender's domain spares a reverse lookup of the host name.
    local_hostname: str | None = None

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[Channel]:
        """Open a connection, logged in when credentials are set, and close it."""
        client = aiosmtplib.SMTP(
            hostname=self.host,
            port=self.port,
            timeout=self.timeout,
            start_tls=self.starttls,
            username=self.username,
            password=self.password,
            local_hostname=self.local_hostname,
        )
        await client.connect()
        try:
            yield client
        finally:
            # Whatever was accepted is the server's now; a failed goodbye changes
            # nothing about it.
            with suppress(aiosmtplib.SMTPException, OSError):
                await client.quit()
            client.close()


def email_message(mail: QueuedMail, sender: str) -> EmailMessage:
    """Build the message as sent: plain text with an HTML alternative."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.created_at)
    message["Message-ID"] = mail.message_id
    # RFC 3834: automatic replies (holiday notices) must not answer it.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    # After the content: setting it clears every Content-* header.
    message["Content-Language"] = mail.language
    return message
