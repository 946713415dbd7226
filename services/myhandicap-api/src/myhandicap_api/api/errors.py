"""Domain refusals answered as problem documents, each with a stable type."""

import structlog
from fastapi import Request
from fastapi.responses import JSONResponse

from myhandicap_api.domain.access import DenialReason
from myhandicap_api.domain.errors import (
    AccessDeniedError,
    ApplicationNotFoundError,
    AuthorityUnavailableError,
    InvalidNationalNumberError,
    MyHandicapError,
)
from service_kit.problems import FieldError, ProblemError, problem_response

log = structlog.get_logger(__name__)

NO_BASIS_DETAIL = (
    "You have no basis to act on this dossier: it is not yours, you are not a "
    "professional, and no active MYHANDICAP mandate from its owner to you exists."
)


def problem_for(error: MyHandicapError) -> ProblemError:
    """Choose the status and problem type of a domain refusal."""
    match error:
        case InvalidNationalNumberError():
            field = FieldError(field=error.field, message=error.message)
            detail = "The request is not valid; see errors."
            return ProblemError(422, "invalid-input", detail, errors=[field])
        case AccessDeniedError(reason=DenialReason.ACCESS_LOG_RESTRICTED):
            detail = "Only the dossier's owner and professionals see its access log."
            return ProblemError(403, "access-log-restricted", detail)
        case AccessDeniedError():
            extensions = {"reason": error.reason}
            return ProblemError(
                403, "no-access-basis", NO_BASIS_DETAIL, extensions=extensions
            )
        case AuthorityUnavailableError():
            detail = "Mandates cannot be checked now, so no access is given; retry."
            return ProblemError(503, "mandates-unavailable", detail)
        case ApplicationNotFoundError():
            detail = "The dossier holds no application with this id."
            return ProblemError(404, "application-not-found", detail)
    return ProblemError(500, "internal-error", "An unexpected error occurred.")


async def on_domain_error(request: Request, exc: Exception) -> JSONResponse:
    """Answer a domain refusal, and log access refusals without identifying anyone."""
    assert isinstance(exc, MyHandicapError)
    if isinstance(exc, AccessDeniedError):
        hasher = request.app.state.hasher
        log.info(
            "access.denied",
            action=exc.action,
            reason=exc.reason,
            actor_ref=hasher(exc.actor),
            owner_ref=hasher(exc.owner),
        )
    return problem_response(request, problem_for(exc))
