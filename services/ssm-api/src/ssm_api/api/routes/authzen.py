"""Access decisions for e-services, as the OpenID AuthZEN Authorization API 1.0."""

from datetime import date
from typing import Annotated, Any

import structlog
from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import Counter

from service_kit.auth import ServiceClient, missing_scope, scope_dependency
from service_kit.problems import FieldError, ProblemError, problem_responses
from ssm_api.api import authzen_schemas as az
from ssm_api.api import examples
from ssm_api.api.dependencies import ClockDep, ReadingUnitOfWorkDep
from ssm_api.domain.access import AccessDecision
from ssm_api.domain.calendar import brussels_date
from ssm_api.domain.errors import InvalidNationalNumberError
from ssm_api.domain.national_number import NationalNumber
from ssm_api.service import access
from ssm_api.service.ports import Represented

log = structlog.get_logger(__name__)

SCOPE = "ssm:authorize"
NO_STORE = {"Cache-Control": "no-store"}
EVALUATION_PATH = "/access/v1/evaluation"
EVALUATIONS_PATH = "/access/v1/evaluations"
SEARCH_PATH = "/access/v1/search/resource"

router = APIRouter(tags=["authorization"])
Authorized = Annotated[ServiceClient, Depends(scope_dependency(SCOPE))]


def _responses(national_number_field: str) -> dict[int | str, dict[str, Any]]:
    # 503 when the identity provider's keys cannot be read to check the token.
    refusals = [
        missing_scope(SCOPE),
        examples.invalid_national_number(national_number_field),
    ]
    return problem_responses(400, 401, 403, 413, 422, 503, examples=refusals)


def decision_counter(request: Request) -> Counter:
    """Return the counter of decisions by outcome, on the app's registry."""
    counter: Counter = request.app.state.decisions
    return counter


@router.get(
    "/.well-known/authzen-configuration",
    summary="Discover the authorization endpoints",
    response_model=az.Configuration,
)
async def configuration(request: Request) -> az.Configuration:
    """The policy decision point's metadata: where its endpoints are."""
    base = str(request.base_url).rstrip("/")
    return az.Configuration(
        policy_decision_point=base,
        access_evaluation_endpoint=base + EVALUATION_PATH,
        access_evaluations_endpoint=base + EVALUATIONS_PATH,
        search_resource_endpoint=base + SEARCH_PATH,
    )


@router.post(
    EVALUATION_PATH,
    summary="Decide one access question",
    response_model=az.EvaluationResponse,
    responses=_responses("resource.id"),
)
async def evaluation(
    body: az.EvaluationRequest,
    request: Request,
    response: Response,
    _client: Authorized,
    uow: ReadingUnitOfWorkDep,
    clock: ClockDep,
) -> az.EvaluationResponse:
    """May the subject (a person, by national number) act for the resource (another
    person) with the action's mandate type, on `context.date` (default: today in
    Brussels)? `decision` is true only under a mandate of that type active on that
    day; its `context` gives `mandate_id` and `end_date`. A denial's `context` gives
    `reason`: `no_mandate`, `pending`, `scheduled`, `ended` or `stopped`.

    Decisions are never cached: once a stop has returned, every evaluation that
    starts later denies. Only service tokens with scope `ssm:authorize` may ask.
    """
    response.headers.update(NO_STORE)
    question = _question(body.subject, body.action, body.resource, body.context, clock)
    return await _decide(request, uow, question)


@router.post(
    EVALUATIONS_PATH,
    summary="Decide several access questions",
    response_model=az.EvaluationsResponse,
    responses=_responses("evaluations.1.resource.id"),
)
async def evaluations(
    body: az.EvaluationsRequest,
    request: Request,
    response: Response,
    _client: Authorized,
    uow: ReadingUnitOfWorkDep,
    clock: ClockDep,
) -> az.EvaluationsResponse:
    """Several questions in one call, answered in their order. Fields left out of a
    question come from the top-level `subject`, `action`, `resource` and `context`.
    `options.evaluations_semantic` is `execute_all` (default), `deny_on_first_deny`
    or `permit_on_first_permit`; the latter two stop after the first deny or permit,
    and the answer then holds the decisions up to and including it.
    """
    response.headers.update(NO_STORE)
    items = body.evaluations or [az.EvaluationItem()]
    semantic = (body.options or az.Options()).evaluations_semantic
    answers: list[az.EvaluationResponse] = []
    for index, item in enumerate(items):
        question = _question(
            item.subject or body.subject,
            item.action or body.action,
            item.resource or body.resource,
            item.context or body.context,
            clock,
            where=f"evaluations.{index}",
        )
        answer = await _decide(request, uow, question)
        answers.append(answer)
        if _stops(semantic, answer.decision):
            break
    return az.EvaluationsResponse(evaluations=answers)


def _stops(semantic: az.Semantic, decision: bool) -> bool:
    if semantic is az.Semantic.DENY_ON_FIRST_DENY:
        return not decision
    if semantic is az.Semantic.PERMIT_ON_FIRST_PERMIT:
        return decision
    return False


@router.post(
    SEARCH_PATH,
    summary="List the persons a subject may act for",
    response_model=az.ResourceSearchResponse,
    responses=_responses("subject.id"),
)
async def search_resource(
    body: az.ResourceSearchRequest,
    response: Response,
    _client: Authorized,
    uow: ReadingUnitOfWorkDep,
    clock: ClockDep,
) -> az.ResourceSearchResponse:
    """The persons the subject may act for under active mandates of the action's
    type on `context.date` (default today), sorted by last name, then first name.
    Each result's `properties` hold `mandate_id`, `first_name`, `last_name`,
    `active_since` and `end_date`. Pages hold `page.limit` results (default 50); an
    empty `page.next_token` marks the last page.
    """
    response.headers.update(NO_STORE)
    subject = _national_number(body.subject.id, "subject.id")
    page = body.page or az.PageRequest()
    try:
        rows, next_token = await access.represented(
            uow,
            subject,
            body.action.name,
            _day(body.context, clock),
            page_token=page.token,
            limit=page.limit,
        )
    except access.InvalidPageTokenError:
        raise _invalid("page.token", "This page token was not made here.") from None
    return az.ResourceSearchResponse(
        results=[_found(row) for row in rows],
        page=az.PageResponse(next_token=next_token or ""),
    )


def _found(row: Represented) -> az.FoundResource:
    properties: dict[str, Any] = {
        "mandate_id": row.mandate_id,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "active_since": row.active_since.isoformat(),
        "end_date": row.end_date.isoformat() if row.end_date else None,
    }
    return az.FoundResource(id=row.national_number, properties=properties)


def _question(
    subject: az.Subject | None,
    action: az.Action | None,
    resource: az.Resource | None,
    context: az.Context | None,
    clock: ClockDep,
    where: str = "",
) -> access.AccessQuestion:
    prefix = f"{where}." if where else ""
    if subject is None or action is None or resource is None:
        raise _invalid(where or "body", "subject, action and resource are required.")
    return access.AccessQuestion(
        subject=_national_number(subject.id, f"{prefix}subject.id"),
        mandate_type=action.name,
        resource=_national_number(resource.id, f"{prefix}resource.id"),
        day=_day(context, clock),
    )


def _day(context: az.Context | None, clock: ClockDep) -> date:
    if context is not None and context.date is not None:
        return context.date
    return brussels_date(clock.now())


def _national_number(raw: str, field: str) -> NationalNumber:
    try:
        return NationalNumber.parse(raw, field=field)
    except InvalidNationalNumberError as exc:
        raise _invalid(field, exc.message) from None


def _invalid(field: str, message: str) -> ProblemError:
    return ProblemError(
        422, "invalid-input", message, errors=[FieldError(field=field, message=message)]
    )


async def _decide(
    request: Request, uow: ReadingUnitOfWorkDep, question: access.AccessQuestion
) -> az.EvaluationResponse:
    decision = await access.evaluate(uow, question)
    outcome = "allow" if decision.allowed else "deny"
    reason = decision.reason.value if decision.reason else "active"
    decision_counter(request).labels(outcome=outcome, reason=reason).inc()
    log.info(
        "access.decided",
        outcome=outcome,
        reason=reason,
        mandate_type=question.mandate_type,
        subject=request.app.state.hasher(question.subject.value),
    )
    return az.EvaluationResponse(decision=decision.allowed, context=_context(decision))


def _context(decision: AccessDecision) -> dict[str, Any]:
    if decision.allowed:
        end = decision.end_date.isoformat() if decision.end_date else None
        return {"mandate_id": decision.mandate_id, "end_date": end}
    assert decision.reason is not None
    return {"reason": decision.reason.value}
