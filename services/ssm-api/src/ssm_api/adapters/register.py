"""The national register, asked over HTTP with a register:read service token."""

import httpx
import structlog
from pydantic import BaseModel, ConfigDict

from service_kit.client_credentials import ServiceTokenProvider
from ssm_api.domain.address import Address
from ssm_api.domain.national_number import NationalNumber
from ssm_api.service.ports import RegisterPerson

log = structlog.get_logger(__name__)


class RegisterUnavailableError(Exception):
    """The register did not answer, or answered something unreadable."""


class _AddressRecord(BaseModel):
    model_config = ConfigDict(extra="ignore")

    street: str
    house_number: str
    postal_code: str
    municipality: str


class _PersonRecord(BaseModel):
    model_config = ConfigDict(extra="ignore")

    national_number: str
    first_name: str
    last_name: str
    address: _AddressRecord
    natural_person: bool


class HttpRegister:
    """Person records from the register's HTTP API."""

    def __init__(
        self, client: httpx.AsyncClient, base_url: str, tokens: ServiceTokenProvider
    ) -> None:
        self._client = client
        self._base_url = base_url.rstrip("/")
        self._tokens = tokens

    async def find(self, national_number: NationalNumber) -> RegisterPerson | None:
        """Return the person with this number, or None when there is none."""
        response = await self._get(national_number)
        if response.status_code == 401:
            # A token revoked or rotated early: one fresh token, one more try.
            self._tokens.forget()
            response = await self._get(national_number)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            log.error("register.failed", status=response.status_code)
            raise RegisterUnavailableError(str(response.status_code))
        try:
            record = _PersonRecord.model_validate_json(response.content)
        except ValueError as exc:
            log.error("register.malformed")
            raise RegisterUnavailableError("malformed") from exc
        return _person(record)

    async def _get(self, national_number: NationalNumber) -> httpx.Response:
        token = await self._tokens.token()
        try:
            return await self._client.get(
                f"{self._base_url}/persons/{national_number.value}",
                headers={"Authorization": f"Bearer {token}"},
            )
        except httpx.HTTPError as exc:
            log.error("register.unreachable", error_type=type(exc).__name__)
            raise RegisterUnavailableError(type(exc).__name__) from exc


def _person(record: _PersonRecord) -> RegisterPerson:
    address = record.address
    return RegisterPerson(
        national_number=NationalNumber(record.national_number),
        first_name=record.first_name,
        last_name=record.last_name,
        address=Address(
            address.street,
            address.house_number,
            address.postal_code,
            address.municipality,
        ),
        natural_person=record.natural_person,
    )
