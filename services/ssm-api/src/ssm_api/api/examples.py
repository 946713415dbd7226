"""The examples of SSM's OpenAPI document, as one story of fictional people.

Jane Doe (01010112301, Gentsteenweg 123, 9000 Gent) asks on 3 December 2026 to
act for Jan Peters (12121212376, Schoolstraat 1, 9000 Gent) in MyHandicap; Jan
signs the same morning. An Ansoms (78042304657) is a person Jane has no mandate
for. The schemas show these values as their examples, and the operations that
need their own show them through `ssm_api.api.openapi`.
"""

from pydantic import JsonValue

from service_kit.problems import ProblemError
from ssm_api.adapters.register import RegisterUnavailableError
from ssm_api.api.errors import to_problem
from ssm_api.domain.errors import (
    ConditionsNotAcceptedError,
    InvalidInputError,
    InvalidNationalNumberError,
    MandateNotFoundError,
    OverlapError,
    PersonNotFoundError,
    TransitionNotAllowedError,
)
from ssm_api.service.errors import RateLimitedError

JsonDict = dict[str, JsonValue]

MANDATE_ID = "3f0c8a52-6a6e-4a8e-9d1b-2b7d3c1e5a10"
JANE_NRN = "01010112301"
JAN_NRN = "12121212376"
AN_NRN = "78042304657"
SSM_URL = "http://127.0.0.1:8001"

# People and addresses.
JANE: JsonDict = {"national_number": JANE_NRN, "first_name": "Jane", "last_name": "Doe"}
JAN: JsonDict = {"national_number": JAN_NRN, "first_name": "Jan", "last_name": "Peters"}
JAN_ADDRESS: JsonDict = {
    "street": "Schoolstraat",
    "house_number": "1",
    "postal_code": "9000",
    "municipality": "Gent",
}
JAN_SEARCH: JsonDict = {
    "national_number": JAN_NRN,
    "street": "Schoolstraat",
    "house_number": "1",
    "postal_code": "9000",
}
JAN_FOUND: JsonDict = JAN | {"address": JAN_ADDRESS}

# Requests of the mandate's life.
CREATE: JsonDict = {
    "type": "MYHANDICAP",
    "role": "mandatary",
    "counterparty": JAN_SEARCH,
    "start_date": "2026-12-03",
    "end_date": None,
    "reference": "Aanvraag parkeerkaart",
    "language": "nl",
    "accept_conditions": True,
    "initiator_email": None,
    "counterparty_email": "jan.peters@example.org",
}
SIGN: JsonDict = {"accept_conditions": True}
REFUSE: JsonDict = {"reason": "Liever niet."}
STOP_REQUEST: JsonDict = {"accept_conditions": True, "reason": "Niet meer nodig."}

# The mandate as it is read after each step.
CREATED_AT = "2026-12-03T09:15:02Z"
SIGNED_AT = "2026-12-03T10:41:37Z"
STOPPED_AT = "2026-12-10T16:20:11Z"
SIGNED_BY_JANE: JsonDict = {
    "role": "mandatary",
    "signed_at": CREATED_AT,
    "method": "itsme",
}
SIGNED_BY_JAN: JsonDict = {"role": "mandator", "signed_at": SIGNED_AT, "method": "eid"}
STOPPED_BY_JAN: JsonDict = {
    "at": STOPPED_AT,
    "by": "mandator",
    "reason": "Niet meer nodig.",
}


def mandate(status: str, **changes: JsonValue) -> JsonDict:
    """Return Jane's mandate for Jan with a status, and what changes with it."""
    value: JsonDict = {
        "id": MANDATE_ID,
        "type": "MYHANDICAP",
        "status": status,
        "mandator": JAN,
        "mandatary": JANE,
        "initiator": "mandatary",
        "start_date": "2026-12-03",
        "end_date": None,
        "active_since": None,
        "reference": "Aanvraag parkeerkaart",
        "language": "nl",
        "signatures": [SIGNED_BY_JANE],
        "stop": None,
        "created_at": CREATED_AT,
    }
    return value | changes


PENDING = mandate("pending")
BOTH_SIGNED: JsonDict = {
    "active_since": "2026-12-03",
    "signatures": [SIGNED_BY_JANE, SIGNED_BY_JAN],
}
ACTIVE = mandate("active", **BOTH_SIGNED)
REFUSED = mandate("refused")
WITHDRAWN = mandate("withdrawn")
STOPPED = mandate("stopped", **BOTH_SIGNED, end_date="2026-12-10", stop=STOPPED_BY_JAN)
MANDATE_LIST: JsonDict = {"view": "active", "items": [ACTIVE]}
OVERVIEW: JsonDict = {
    "active": 1,
    "to_sign": 0,
    "awaiting_other_party": 0,
    "awaiting_transfer": 0,
    "scheduled": 0,
    "history": 0,
}
CREATED_EVENT: JsonDict = {
    "kind": "created",
    "at": CREATED_AT,
    "by": "mandatary",
    "reason": None,
}
SIGNED_EVENT: JsonDict = {
    "kind": "signed",
    "at": SIGNED_AT,
    "by": "mandator",
    "reason": None,
}
EVENTS: list[JsonValue] = [CREATED_EVENT, SIGNED_EVENT]
MYHANDICAP: JsonDict = {
    "code": "MYHANDICAP",
    "names": {
        "nl": "MyHandicap (DG Personen met een handicap)",
        "fr": "MyHandicap (DG Personnes handicapées)",
        "de": "MyHandicap (GD Personen mit Behinderung)",
        "en": "MyHandicap (DG Persons with Disabilities)",
    },
    "mandator_kinds": ["natural_person"],
    "mandatary_kinds": ["natural_person"],
    "transferable": False,
}

# Access decisions, as e-services ask for them.
SUBJECT: JsonDict = {"type": "person", "id": JANE_NRN}
ACTION: JsonDict = {"name": "MYHANDICAP"}
RESOURCE: JsonDict = {"type": "person", "id": JAN_NRN}
LATER: JsonDict = {"date": "2027-01-15"}
QUESTION: JsonDict = {"subject": SUBJECT, "action": ACTION, "resource": RESOURCE}
ALLOWED: JsonDict = {
    "decision": True,
    "context": {"mandate_id": MANDATE_ID, "end_date": None},
}
DENIED: JsonDict = {"decision": False, "context": {"reason": "stopped"}}
NO_MANDATE: JsonDict = {"decision": False, "context": {"reason": "no_mandate"}}
BATCH: JsonDict = {
    "subject": SUBJECT,
    "action": ACTION,
    "evaluations": [
        {"resource": RESOURCE},
        {"resource": {"type": "person", "id": AN_NRN}},
    ],
    "options": {"evaluations_semantic": "execute_all"},
}
BATCH_ANSWERS: JsonDict = {"evaluations": [ALLOWED, NO_MANDATE]}
SEARCH: JsonDict = {
    "subject": SUBJECT,
    "action": ACTION,
    "resource": {"type": "person"},
    "page": {"limit": 50},
}
JAN_REPRESENTED: JsonDict = {
    "type": "person",
    "id": JAN_NRN,
    "properties": {
        "mandate_id": MANDATE_ID,
        "first_name": "Jan",
        "last_name": "Peters",
        "active_since": "2026-12-03",
        "end_date": None,
    },
}
FOUND: JsonDict = {"results": [JAN_REPRESENTED], "page": {"next_token": ""}}
CONFIGURATION: JsonDict = {
    "policy_decision_point": SSM_URL,
    "access_evaluation_endpoint": f"{SSM_URL}/access/v1/evaluation",
    "access_evaluations_endpoint": f"{SSM_URL}/access/v1/evaluations",
    "search_resource_endpoint": f"{SSM_URL}/access/v1/search/resource",
}

# Refusals, as the routes answer them; the document sets their instance.
CHECK_DIGITS = "The check digits of this national number do not match."
PERSON_NOT_FOUND = to_problem(PersonNotFoundError())
MANDATE_NOT_FOUND = to_problem(MandateNotFoundError(MANDATE_ID))
OVERLAPPING = to_problem(OverlapError(MANDATE_ID))
REGISTER_UNAVAILABLE = to_problem(RegisterUnavailableError())
TOO_MANY_SEARCHES = to_problem(RateLimitedError(42.0))
CONDITIONS_NOT_ACCEPTED = to_problem(
    ConditionsNotAcceptedError(
        "accept_conditions", "The conditions must be read and accepted."
    )
)


def invalid_national_number(field: str) -> ProblemError:
    """Return the refusal of a national number whose check digits do not match."""
    return to_problem(InvalidNationalNumberError(field, CHECK_DIGITS))


def not_allowed(action: str, status: str, reason: str) -> ProblemError:
    """Return the refusal of a step that the mandate does not allow."""
    return to_problem(TransitionNotAllowedError(action, status, reason))


def invalid_input(field: str, message: str) -> ProblemError:
    """Return the refusal of one invalid input."""
    return to_problem(InvalidInputError(field, message))
