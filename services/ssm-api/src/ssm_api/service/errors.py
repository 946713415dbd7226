"""Refusals of the use cases that are not rules of the mandate itself."""

from ssm_api.domain.errors import DomainError


class RateLimitedError(DomainError):
    """The caller tried too often; retry_after says how many seconds to wait."""

    def __init__(self, retry_after: float) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


class IdempotencyKeyReusedError(DomainError):
    """The idempotency key was used before for another request."""


class ConcurrentChangeError(DomainError):
    """Another request changed the mandate at the same moment; this one lost."""


class CreationRaceLostError(DomainError):
    """A concurrent creation committed first; the database refused this one."""


class TransientConflictError(DomainError):
    """The database aborted the transaction to break a deadlock; it may be retried."""
