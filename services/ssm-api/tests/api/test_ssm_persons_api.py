from typing import Any

import httpx
import pytest

from identity_stub.testing import TokenMinter
from ssm_api.adapters.register import RegisterUnavailableError
from ssm_api.domain.national_number import NationalNumber
from ssm_api.service.ports import RegisterPerson

from ..conftest import FrozenClock, StartSsm
from ..support import (
    BART,
    ELODIE,
    JAN,
    JANE,
    LICHTBOEI,
    LUKAS,
    assert_invalid,
    assert_problem,
    bearer,
    search_body,
    with_check_digits,
)

pytestmark = pytest.mark.anyio

SEARCH = "/v1/persons/search"
UNKNOWN = with_check_digits("850730033")


async def search(
    client: httpx.AsyncClient,
    minter: TokenMinter,
    body: dict[str, Any],
    nrn: str = JANE,
) -> httpx.Response:
    return await client.post(SEARCH, json=body, headers=bearer(minter, nrn))


async def test_a_search_finds_the_person_with_names_and_address(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    response = await search(ssm, minter, search_body(JAN))

    assert response.status_code == 200
    assert response.json() == {
        "national_number": JAN,
        "first_name": "Jan",
        "last_name": "Peters",
        "address": {
            "street": "Schoolstraat",
            "house_number": "1",
            "postal_code": "9000",
            "municipality": "Gent",
        },
    }


@pytest.mark.parametrize(
    ("nrn", "typed"),
    [
        pytest.param(
            JAN,
            {"street": "  SCHOOLSTRAAT ", "house_number": " 1", "postal_code": "9000 "},
            id="case-and-spaces",
        ),
        pytest.param(
            ELODIE,
            {"street": "rue de l'eglise", "house_number": "12", "postal_code": "4000"},
            id="accents",
        ),
        pytest.param(
            LUKAS,
            {"street": "BERGSTRASSE", "house_number": "21", "postal_code": "4700"},
            id="eszett",
        ),
        pytest.param(
            "12.12.12-123.76",
            {"street": "Schoolstraat", "house_number": "1", "postal_code": "9000"},
            id="separators-in-the-number",
        ),
    ],
)
async def test_a_search_ignores_case_accents_spaces_and_separators(
    ssm: httpx.AsyncClient, minter: TokenMinter, nrn: str, typed: dict[str, str]
) -> None:
    response = await search(ssm, minter, {"national_number": nrn, **typed})

    assert response.status_code == 200, response.text
    assert response.json()["national_number"] == nrn.replace(".", "").replace("-", "")


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param({"street": "Schoolstraat", "house_number": "2"}, id="number"),
        pytest.param({"street": "Schoolstr."}, id="street"),
        pytest.param({"postal_code": "9050"}, id="postal-code"),
        pytest.param({"house_number": "1A"}, id="letter-added"),
    ],
)
async def test_a_wrong_address_and_an_unknown_number_give_the_same_answer(
    ssm: httpx.AsyncClient, minter: TokenMinter, typed: dict[str, str]
) -> None:
    wrong_address = await search(ssm, minter, search_body(JAN, **typed))
    unknown = await search(ssm, minter, search_body(JAN, national_number=UNKNOWN))

    assert_problem(wrong_address, 404, "person-not-found")
    assert wrong_address.content == unknown.content
    assert wrong_address.headers["content-type"] == unknown.headers["content-type"]
    assert "errors" not in wrong_address.json()


async def test_an_enterprise_of_the_register_can_be_found(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    response = await search(ssm, minter, search_body(LICHTBOEI))

    assert response.status_code == 200
    assert response.json()["last_name"] == "De Lichtboei vzw"


@pytest.mark.parametrize(
    "number",
    [
        pytest.param("12121212377", id="wrong-check-digits"),
        pytest.param("1212121237X", id="not-digits"),
        pytest.param("12.12.12-123.7", id="ten-digits"),
    ],
)
async def test_a_malformed_national_number_is_invalid_input(
    ssm: httpx.AsyncClient, minter: TokenMinter, number: str
) -> None:
    response = await search(ssm, minter, search_body(JAN, national_number=number))

    assert_invalid(response, "national_number")


async def test_a_search_refuses_unknown_and_missing_fields(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    body = {"national_number": JAN, "street": "Schoolstraat", "birth_date": "x"}

    response = await search(ssm, minter, body)

    assert_invalid(response, "house_number", "postal_code", "birth_date")


async def test_searches_beyond_the_limit_wait_for_the_window(
    database_url: str, start_ssm: StartSsm, minter: TokenMinter, clock: FrozenClock
) -> None:
    async with start_ssm(database_url, search_rate_limit=2) as client:
        first = await search(client, minter, search_body(JAN))
        second = await search(client, minter, search_body(JAN, national_number=UNKNOWN))
        third = await search(client, minter, search_body(JAN))
        other_caller = await search(client, minter, search_body(JAN), nrn=BART)
        clock.current = clock.current.replace(minute=1, second=1)
        after_the_window = await search(client, minter, search_body(JAN))

    assert [first.status_code, second.status_code] == [200, 404]
    assert_problem(third, 429, "too-many-searches")
    assert third.headers["retry-after"] == "60"
    assert other_caller.status_code == 200
    assert after_the_window.status_code == 200


class UnreachableRegister:
    async def find(self, national_number: NationalNumber) -> RegisterPerson | None:
        raise RegisterUnavailableError("timeout")


async def test_a_search_while_the_register_is_down_is_503(
    database_url: str, start_ssm: StartSsm, minter: TokenMinter
) -> None:
    async with start_ssm(database_url, register=UnreachableRegister()) as client:
        response = await search(client, minter, search_body(JAN))

    assert_problem(response, 503, "register-unavailable")
