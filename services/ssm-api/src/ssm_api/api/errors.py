"""Where refusals of the use cases become problem documents."""

import math

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from service_kit.problems import FieldError, ProblemError, problem_response
from ssm_api.adapters.register import RegisterUnavailableError
from ssm_api.domain.errors import (
    DomainError,
    InvalidInputError,
    MandateNotFoundError,
    OverlapError,
    PersonNotFoundError,
    TransitionNotAllowedError,
)
from ssm_api.service.errors import (
    ConcurrentChangeError,
    IdempotencyKeyReusedError,
    RateLimitedError,
    TransientConflictError,
)

_FIXED: dict[type[Exception], tuple[int, str, str]] = {
    PersonNotFoundError: (
        404,
        "person-not-found",
        "No person matches this national number and address.",
    ),
    MandateNotFoundError: (404, "mandate-not-found", "No such mandate of yours."),
    TransientConflictError: (
        409,
        "concurrent-change",
        "Another request changed the same mandates at the same moment; try again.",
    ),
    ConcurrentChangeError: (
        409,
        "concurrent-change",
        "The mandate was changed by another request at the same moment.",
    ),
    RegisterUnavailableError: (
        503,
        "register-unavailable",
        "The national register cannot be asked now; try again later.",
    ),
}


def to_problem(error: Exception) -> ProblemError:
    """Map a refusal to its status, problem type and details."""
    match error:
        case InvalidInputError(field=field, message=message):
            errors = [FieldError(field=field, message=message)]
            return ProblemError(422, "invalid-input", message, errors=errors)
        case TransitionNotAllowedError(status=mandate_status, reason=reason):
            extensions = {"mandate_status": mandate_status}
            return ProblemError(
                409, "transition-not-allowed", reason, extensions=extensions
            )
        case OverlapError(other_id=other_id):
            return ProblemError(
                409,
                "overlapping-mandate",
                "A mandate of this type between the same persons overlaps in time.",
                extensions={"overlapping_mandate_id": other_id},
            )
        case RateLimitedError(retry_after=retry_after):
            headers = {"Retry-After": str(math.ceil(retry_after))}
            return ProblemError(
                429, "too-many-searches", "Too many searches.", headers=headers
            )
        case IdempotencyKeyReusedError():
            return ProblemError(
                422,
                "idempotency-key-reused",
                "This Idempotency-Key was used for another request.",
                errors=[FieldError(field="Idempotency-Key", message="used before")],
            )
    status, slug, detail = _FIXED.get(
        type(error), (500, "internal-error", "An unexpected error occurred.")
    )
    return ProblemError(status, slug, detail)


async def _on_refusal(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(request, to_problem(exc))


def install_error_handlers(app: FastAPI) -> None:
    """Answer every refusal of the use cases with its problem document."""
    app.add_exception_handler(DomainError, _on_refusal)
    app.add_exception_handler(RegisterUnavailableError, _on_refusal)
