"""The examples of MyHandicap's OpenAPI document, as one story of fictional people.

Jan Peters (12121212376) gave Jane Doe (01010112301) a MYHANDICAP mandate in
SSM, active since 3 December 2026. That day Jane opens Jan's dossier and applies
for a parking card for him; the day before, An Ansoms (78042304657), who holds
no mandate from Jan, was refused. The schemas show these values as examples.
"""

from pydantic import JsonValue

from myhandicap_api.api.errors import problem_for
from myhandicap_api.domain.access import AccessAction, DenialReason
from myhandicap_api.domain.errors import (
    AccessDeniedError,
    ApplicationNotFoundError,
    AuthorityUnavailableError,
    InvalidNationalNumberError,
)
from service_kit.problems import ProblemExample

JsonDict = dict[str, JsonValue]

MANDATE_ID = "3f0c8a52-6a6e-4a8e-9d1b-2b7d3c1e5a10"
APPLICATION_ID = "8d2e6b14-3c7f-4a91-b5d0-6e4f2a9c1b37"
EARLIER_APPLICATION_ID = "c41a9f07-5e2b-4d86-a3c1-9b7e0d5f2a64"
JANE_NRN = "01010112301"
JAN_NRN = "12121212376"
AN_NRN = "78042304657"
# As a path parameter: the separators people type are allowed.
JAN_NRN_TYPED = "12.12.12-123.76"
JAN_NRN_MISTYPED = "12.12.12-123.67"
PARKING_CARD_NOTE = "Jan gebruikt een rolstoel; Jane vervoert hem met haar wagen."

JANE: JsonDict = {
    "national_number": JANE_NRN,
    "first_name": "Jane",
    "last_name": "Doe",
    "organisation": None,
}
AN: JsonDict = {
    "national_number": AN_NRN,
    "first_name": "An",
    "last_name": "Ansoms",
    "organisation": None,
}
ME: JsonDict = JANE | {
    "kind": "citizen",
    "manage_mandates_url": "http://127.0.0.1:8001/v1/mandates/overview",
}
JAN_REPRESENTED: JsonDict = {
    "mandate_id": MANDATE_ID,
    "national_number": JAN_NRN,
    "first_name": "Jan",
    "last_name": "Peters",
    "active_since": "2026-12-03",
    "end_date": None,
}
JAN: JsonDict = {"national_number": JAN_NRN, "first_name": "Jan", "last_name": "Peters"}
BY_MANDATE: JsonDict = {"basis": "mandate", "mandate_id": MANDATE_ID}

PARKING_CARD: JsonDict = {
    "id": APPLICATION_ID,
    "owner_national_number": JAN_NRN,
    "kind": "parking_card",
    "status": "submitted",
    "note": PARKING_CARD_NOTE,
    "submitted_at": "2026-12-03T11:02:45Z",
    "submitted_by": JANE,
    "basis": "mandate",
    "mandate_id": MANDATE_ID,
}
INTEGRATION_ALLOWANCE: JsonDict = {
    "id": EARLIER_APPLICATION_ID,
    "owner_national_number": JAN_NRN,
    "kind": "integration_allowance",
    "status": "in_review",
    "note": None,
    "submitted_at": "2026-11-28T14:30:00Z",
    "submitted_by": JAN | {"organisation": None},
    "basis": "own",
    "mandate_id": None,
}
APPLICATIONS: JsonDict = {"items": [PARKING_CARD, INTEGRATION_ALLOWANCE]}
DOSSIER: JsonDict = {
    "person": JAN,
    "applications": [INTEGRATION_ALLOWANCE],
    "access": BY_MANDATE,
}

SUBMITTED: JsonDict = {
    "occurred_at": "2026-12-03T11:02:45Z",
    "action": "submit_application",
    "outcome": "allowed",
    "actor": JANE,
    "basis": "mandate",
    "mandate_id": MANDATE_ID,
    "reason": None,
}
OPENED: JsonDict = SUBMITTED | {
    "occurred_at": "2026-12-03T11:01:10Z",
    "action": "open_dossier",
}
REFUSED: JsonDict = {
    "occurred_at": "2026-12-02T15:30:00Z",
    "action": "open_dossier",
    "outcome": "denied",
    "actor": AN,
    "basis": None,
    "mandate_id": None,
    "reason": "no_mandate",
}
ACCESS_LOG: JsonDict = {"items": [SUBMITTED, OPENED, REFUSED]}

# Refusals, as the routes answer them; the document sets their instance.
NO_ACCESS_BASIS = problem_for(
    AccessDeniedError(
        AN_NRN, JAN_NRN, AccessAction.OPEN_DOSSIER, DenialReason.NO_MANDATE
    )
)
ACCESS_LOG_RESTRICTED = problem_for(
    AccessDeniedError(
        JANE_NRN,
        JAN_NRN,
        AccessAction.READ_ACCESS_LOG,
        DenialReason.ACCESS_LOG_RESTRICTED,
    )
)
MANDATES_UNAVAILABLE = problem_for(AuthorityUnavailableError("timeout"))
APPLICATION_NOT_FOUND = problem_for(ApplicationNotFoundError())
# Shown at the mistyped number, not at the example of the path parameter.
INVALID_NRN = ProblemExample(
    problem_for(
        InvalidNationalNumberError(
            "nrn", "The check digits of this national number do not match."
        )
    ),
    path={"nrn": JAN_NRN_MISTYPED},
)
