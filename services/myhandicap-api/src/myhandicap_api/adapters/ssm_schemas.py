"""The shapes of SSM's AuthZEN answers: anything else is no answer at all."""

from datetime import date
from typing import Annotated, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    model_validator,
)

NrnText = Annotated[str, StringConstraints(pattern=r"^[0-9]{11}$")]


class _Answer(BaseModel):
    # AuthZEN lets servers add fields; only the ones named here are relied on.
    model_config = ConfigDict(extra="ignore", frozen=True)


class DecisionContext(_Answer):
    """Why a decision was taken: the mandate that allows, or the reason it denies."""

    mandate_id: str | None = Field(default=None, min_length=1, max_length=64)
    end_date: date | None = None
    reason: str | None = Field(default=None, max_length=40)


class EvaluationAnswer(_Answer):
    """The answer to one access evaluation."""

    decision: StrictBool
    context: DecisionContext = DecisionContext()

    @model_validator(mode="after")
    def _allow_names_its_mandate(self) -> Self:
        # An allow that names no mandate could not be recorded, so it is not trusted.
        if self.decision and self.context.mandate_id is None:
            msg = "an allowing decision must name its mandate"
            raise ValueError(msg)
        return self


class ResourceProperties(_Answer):
    """What SSM tells about a person the subject may act for."""

    mandate_id: str = Field(min_length=1, max_length=64)
    first_name: str
    last_name: str
    active_since: date | None = None
    end_date: date | None = None


class Resource(_Answer):
    """A person the subject may act for."""

    type: Literal["person"]
    id: NrnText
    properties: ResourceProperties


class Page(_Answer):
    """Where the next page of results starts, if there is one."""

    next_token: str | None = None


class SearchAnswer(_Answer):
    """One page of a resource search."""

    results: list[Resource]
    page: Page | None = None
