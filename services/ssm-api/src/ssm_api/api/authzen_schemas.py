"""Bodies of the OpenID AuthZEN Authorization API 1.0, as SSM answers them."""

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ssm_api.api import examples as ex


class _Open(BaseModel):
    # The specification lets callers add properties; SSM ignores what it does not use.
    model_config = ConfigDict(extra="allow")


class Subject(_Open):
    """The person logged in to the e-service."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.SUBJECT]})

    type: Literal["person"]
    id: str = Field(description="National number of the logged-in person.")


class Action(_Open):
    """What the subject wants to do: the mandate type that would allow it."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.ACTION]})

    name: str = Field(examples=["MYHANDICAP"])


class Resource(_Open):
    """The person acted for."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.RESOURCE]})

    type: Literal["person"]
    id: str = Field(description="National number of the person acted for.")


class SearchResource(_Open):
    """The kind of resource to search: persons."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"type": "person"}]})

    type: Literal["person"]


class Context(_Open):
    """When to decide; today in Brussels when no date is given."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.LATER]})

    date: dt.date | None = None


class EvaluationRequest(BaseModel):
    """One question: whether the subject may take the action on the resource."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [ex.QUESTION]}
    )

    subject: Subject
    action: Action
    resource: Resource
    context: Context | None = None


class EvaluationResponse(BaseModel):
    """The decision, with the mandate that allows it or the reason it is denied."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.ALLOWED]})

    decision: bool
    context: dict[str, Any]


class EvaluationItem(BaseModel):
    """One question of a batch; what it leaves out comes from the batch's defaults."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"resource": ex.RESOURCE}]}
    )

    subject: Subject | None = None
    action: Action | None = None
    resource: Resource | None = None
    context: Context | None = None


class Semantic(StrEnum):
    """How a batch is evaluated."""

    EXECUTE_ALL = "execute_all"
    DENY_ON_FIRST_DENY = "deny_on_first_deny"
    PERMIT_ON_FIRST_PERMIT = "permit_on_first_permit"


class Options(_Open):
    """Options of a batch."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.BATCH["options"]]})

    evaluations_semantic: Semantic = Semantic.EXECUTE_ALL


class EvaluationsRequest(BaseModel):
    """Several questions at once, with shared defaults."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [ex.BATCH]}
    )

    subject: Subject | None = None
    action: Action | None = None
    resource: Resource | None = None
    context: Context | None = None
    evaluations: list[EvaluationItem] = Field(default_factory=list, max_length=100)
    options: Options | None = None


class EvaluationsResponse(BaseModel):
    """The decisions, in the order of the questions."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.BATCH_ANSWERS]})

    evaluations: list[EvaluationResponse]


class PageRequest(_Open):
    """Where a listing resumes, and how long a page may be."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.SEARCH["page"]]})

    token: str | None = None
    limit: int = Field(default=50, ge=1, le=200)


class ResourceSearchRequest(BaseModel):
    """A search for the persons the subject may act for under the action's type."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [ex.SEARCH]}
    )

    subject: Subject
    action: Action
    resource: SearchResource
    context: Context | None = None
    page: PageRequest | None = None


class FoundResource(BaseModel):
    """A person the subject may act for, with the mandate that allows it."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.JAN_REPRESENTED]})

    type: Literal["person"] = "person"
    id: str
    properties: dict[str, Any]


class PageResponse(BaseModel):
    """Where the next page starts; empty on the last page."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.FOUND["page"]]})

    next_token: str = ""


class ResourceSearchResponse(BaseModel):
    """One page of persons, by last name then first name."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.FOUND]})

    results: list[FoundResource]
    page: PageResponse


class Configuration(BaseModel):
    """Where the policy decision point's endpoints are."""

    model_config = ConfigDict(json_schema_extra={"examples": [ex.CONFIGURATION]})

    policy_decision_point: str
    access_evaluation_endpoint: str
    access_evaluations_endpoint: str
    search_resource_endpoint: str
