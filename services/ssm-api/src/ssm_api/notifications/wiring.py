"""Build the notifier and the mail worker from the settings."""

from datetime import timedelta

from prometheus_client import CollectorRegistry
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ssm_api.adapters.unit_of_work import SqlUnitOfWork
from ssm_api.config import Settings
from ssm_api.notifications.dispatcher import Dispatcher, DispatchSettings, RetryPolicy
from ssm_api.notifications.housekeeping import Housekeeping
from ssm_api.notifications.metrics import MailMetrics, mail_metrics
from ssm_api.notifications.notifier import Notifier
from ssm_api.notifications.queue import OutboxQueue
from ssm_api.notifications.smtp import SmtpServer
from ssm_api.notifications.worker import MailWorker
from ssm_api.service.ports import Clock, UnitOfWork


def notifier_for(settings: Settings) -> Notifier:
    """Return the notifier that the use cases hand mail to."""
    return Notifier(settings.public_base_url, settings.mail_domain)


def smtp_server_for(settings: Settings) -> SmtpServer:
    """Return the configured mail server."""
    password = settings.smtp_password
    return SmtpServer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        timeout=settings.smtp_timeout_seconds,
        starttls=settings.smtp_starttls,
        username=settings.smtp_username,
        password=password.get_secret_value() if password else None,
        local_hostname=settings.mail_domain,
    )


def dispatcher_for(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    metrics: MailMetrics,
) -> Dispatcher:
    """Return a dispatcher of the outbox to the configured mail server."""
    dispatch = DispatchSettings(
        sender=settings.mail_from,
        batch_size=settings.mail_batch_size,
        hold=timedelta(seconds=settings.mail_claim_seconds),
        retry=RetryPolicy(
            settings.mail_max_attempts,
            settings.mail_retry_base_seconds,
            settings.mail_retry_max_seconds,
        ),
    )
    queue = OutboxQueue(sessions)
    server = smtp_server_for(settings)
    return Dispatcher(queue, server, clock, metrics=metrics, settings=dispatch)


def housekeeping_for(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], clock: Clock
) -> Housekeeping:
    """Return the reminder and erasure chores."""

    def units() -> UnitOfWork:
        return SqlUnitOfWork(sessions, clock)

    return Housekeeping(
        units=units,
        notifier=notifier_for(settings),
        clock=clock,
        reminder_days=settings.reminder_days_before_end,
        retention_days=settings.email_retention_days,
    )


def worker_for(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    metrics: MailMetrics | None = None,
) -> MailWorker:
    """Return the mail worker: dispatcher and chores."""
    metrics = metrics or mail_metrics(CollectorRegistry())
    return MailWorker(
        dispatcher_for(settings, sessions, clock, metrics),
        housekeeping_for(settings, sessions, clock),
        poll_seconds=settings.mail_poll_seconds,
        chores_seconds=settings.mail_housekeeping_seconds,
    )
