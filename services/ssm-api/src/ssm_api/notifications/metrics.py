"""Prometheus metrics of the outbox, on the registry the service exposes."""

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge


@dataclass(frozen=True)
class MailMetrics:
    """How much mail waits, went out, or could not be sent."""

    backlog: Gauge
    sent: Counter
    failed_attempts: Counter
    given_up: Counter


def mail_metrics(registry: CollectorRegistry) -> MailMetrics:
    """Register the outbox metrics on a registry."""
    return MailMetrics(
        backlog=Gauge(
            "ssm_mail_outbox_backlog",
            "Messages in the outbox neither sent nor given up.",
            registry=registry,
        ),
        sent=Counter(
            "ssm_mail_sent",
            "Messages the SMTP server accepted, by kind.",
            ["kind"],
            registry=registry,
        ),
        failed_attempts=Counter(
            "ssm_mail_failed_attempts",
            "Attempts to send that failed, by kind.",
            ["kind"],
            registry=registry,
        ),
        given_up=Counter(
            "ssm_mail_given_up",
            "Messages no longer tried after their last failed attempt, by kind.",
            ["kind"],
            registry=registry,
        ),
    )
