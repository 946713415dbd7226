import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from identity_stub.testing import TokenMinter

from ..conftest import FrozenClock
from ..support import (
    CHANTAL,
    JAN,
    JAN_ADDRESS,
    JANE,
    JANE_ADDRESS,
    LICHTBOEI,
    LUKAS,
    NO_MANDATES,
    address_of,
    assert_invalid,
    assert_problem,
    bearer,
    mandate_body,
    overview,
    with_check_digits,
)

pytestmark = pytest.mark.anyio

LIMIT = 64 * 1024


async def post_mandate(
    client: httpx.AsyncClient,
    minter: TokenMinter,
    body: dict[str, Any],
    nrn: str = JANE,
) -> httpx.Response:
    return await client.post("/v1/mandates", json=body, headers=bearer(minter, nrn))


async def assert_nothing_created(
    client: httpx.AsyncClient, minter: TokenMinter
) -> None:
    assert await overview(client, minter, JANE) == NO_MANDATES
    assert await overview(client, minter, JAN) == NO_MANDATES


async def test_creating_answers_201_with_the_mandate_and_its_location(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    body = mandate_body(end_date="2027-12-03", counterparty_email="jan@example.org")

    response = await post_mandate(ssm, minter, body)

    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["location"] == f"/v1/mandates/{created['id']}"
    assert created | {"id": "x"} == {
        "id": "x",
        "type": "MYHANDICAP",
        "status": "pending",
        "mandator": {
            "national_number": JAN,
            "first_name": "Jan",
            "last_name": "Peters",
        },
        "mandatary": {
            "national_number": JANE,
            "first_name": "Jane",
            "last_name": "Doe",
        },
        "initiator": "mandatary",
        "start_date": "2026-12-03",
        "end_date": "2027-12-03",
        "active_since": None,
        "reference": "papa",
        "language": "nl",
        "signatures": [
            {
                "role": "mandatary",
                "signed_at": "2026-12-03T11:00:00Z",
                "method": "itsme",
            }
        ],
        "stop": None,
        "created_at": "2026-12-03T11:00:00Z",
    }
    location = await ssm.get(response.headers["location"], headers=bearer(minter, JAN))
    assert location.json() == created


async def test_the_initiator_may_be_the_mandator(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    body = mandate_body(role="mandator")

    response = await post_mandate(ssm, minter, body)

    assert response.status_code == 201
    assert response.json()["mandator"]["national_number"] == JANE
    assert response.json()["mandatary"]["national_number"] == JAN
    assert response.json()["signatures"][0]["role"] == "mandator"


@pytest.mark.parametrize(
    ("initiator", "language"),
    [
        pytest.param(JANE, "nl", id="dutch"),
        pytest.param(CHANTAL, "fr", id="french"),
        pytest.param(LUKAS, "de", id="german"),
    ],
)
async def test_start_and_language_default_to_today_and_the_initiators_locale(
    ssm: httpx.AsyncClient, minter: TokenMinter, initiator: str, language: str
) -> None:
    body = mandate_body()
    del body["language"]

    response = await post_mandate(ssm, minter, body, nrn=initiator)

    assert response.status_code == 201, response.text
    assert response.json()["start_date"] == "2026-12-03"
    assert response.json()["language"] == language


async def test_a_token_without_locale_gives_dutch(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    body = mandate_body()
    del body["language"]

    response = await ssm.post(
        "/v1/mandates", json=body, headers=bearer(minter, CHANTAL, locale=None)
    )

    assert response.json()["language"] == "nl"


async def test_an_explicit_language_wins_over_the_locale(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    response = await post_mandate(ssm, minter, mandate_body(language="en"), CHANTAL)

    assert response.json()["language"] == "en"


async def test_an_unknown_person_and_a_wrong_address_look_the_same(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    unknown = {"national_number": with_check_digits("850730033"), **JAN_ADDRESS}
    wrong_address = {"national_number": JAN, **JAN_ADDRESS, "house_number": "3"}

    by_number = await post_mandate(ssm, minter, mandate_body(counterparty=unknown))
    by_address = await post_mandate(
        ssm, minter, mandate_body(counterparty=wrong_address)
    )

    assert_invalid(by_number, "counterparty")
    assert by_number.content == by_address.content
    await assert_nothing_created(ssm, minter)


INVALID_CREATIONS = [
    pytest.param(
        {"counterparty": {**JAN_ADDRESS, "national_number": "12121212377"}},
        "counterparty.national_number",
        id="wrong-check-digits",
    ),
    pytest.param(
        {"counterparty": {"national_number": JANE, **JANE_ADDRESS}},
        "counterparty.national_number",
        id="self-mandate",
    ),
    pytest.param(
        {"counterparty": {"national_number": LICHTBOEI, **address_of(LICHTBOEI)}},
        "counterparty",
        id="no-natural-person",
    ),
    pytest.param({"start_date": "2026-12-02"}, "start_date", id="start-in-the-past"),
    pytest.param(
        {"start_date": "2026-12-10", "end_date": "2026-12-10"},
        "end_date",
        id="end-on-the-start",
    ),
    pytest.param({"end_date": "2026-12-02"}, "end_date", id="end-before-the-start"),
    pytest.param({"type": "MYPENSION"}, "type", id="unknown-type"),
    pytest.param({"language": "es"}, "language", id="unsupported-language"),
    pytest.param({"role": "witness"}, "role", id="unknown-role"),
    pytest.param(
        {"accept_conditions": False}, "accept_conditions", id="conditions-refused"
    ),
    pytest.param({"start_date": "3 december"}, "start_date", id="not-a-date"),
    pytest.param(
        {"counterparty_email": "jan-at-example"}, "counterparty_email", id="bad-email"
    ),
    pytest.param({"reference": "x" * 201}, "reference", id="reference-too-long"),
    pytest.param({"nickname": "Janneke"}, "nickname", id="unknown-field"),
    pytest.param(
        {"counterparty": {"national_number": JAN, **JAN_ADDRESS, "birth_date": "x"}},
        "counterparty.birth_date",
        id="unknown-nested-field",
    ),
]


@pytest.mark.parametrize(("overrides", "field"), INVALID_CREATIONS)
async def test_an_invalid_creation_is_422_naming_the_field_and_creates_nothing(
    ssm: httpx.AsyncClient, minter: TokenMinter, overrides: dict[str, Any], field: str
) -> None:
    body = mandate_body(**overrides)

    response = await post_mandate(ssm, minter, body)

    assert_invalid(response, field)
    await assert_nothing_created(ssm, minter)


async def test_conditions_left_out_are_422(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    body = mandate_body()
    del body["accept_conditions"]

    response = await post_mandate(ssm, minter, body)

    assert_invalid(response, "accept_conditions")


async def test_a_body_that_is_not_json_is_422(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    headers = bearer(minter, JANE) | {"Content-Type": "application/json"}

    response = await ssm.post("/v1/mandates", content=b"{not json", headers=headers)

    assert_problem(response, 422, "invalid-input")
    await assert_nothing_created(ssm, minter)


def padded(size: int) -> bytes:
    """Return a valid creation body of exactly size bytes, padded with spaces."""
    text = json.dumps(mandate_body()).encode()
    return text[:-1] + b" " * (size - len(text)) + b"}"


async def chunks(content: bytes, size: int = 8192) -> AsyncIterator[bytes]:
    for start in range(0, len(content), size):
        yield content[start : start + size]


async def test_a_body_of_exactly_64_kib_is_accepted(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    headers = bearer(minter, JANE) | {"Content-Type": "application/json"}

    response = await ssm.post("/v1/mandates", content=padded(LIMIT), headers=headers)

    assert response.status_code == 201, response.text


async def test_a_larger_announced_body_is_413(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    headers = bearer(minter, JANE) | {"Content-Type": "application/json"}

    response = await ssm.post(
        "/v1/mandates", content=padded(LIMIT + 1), headers=headers
    )

    assert response.request.headers["content-length"] == str(LIMIT + 1)
    assert_problem(response, 413, "payload-too-large")
    await assert_nothing_created(ssm, minter)


async def test_a_larger_streamed_body_is_413(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    headers = bearer(minter, JANE) | {"Content-Type": "application/json"}

    response = await ssm.post(
        "/v1/mandates", content=chunks(padded(LIMIT + 1)), headers=headers
    )

    assert "content-length" not in response.request.headers
    assert_problem(response, 413, "payload-too-large")
    await assert_nothing_created(ssm, minter)


async def test_a_streamed_body_within_the_limit_is_accepted(
    ssm: httpx.AsyncClient, minter: TokenMinter
) -> None:
    headers = bearer(minter, JANE) | {"Content-Type": "application/json"}

    response = await ssm.post(
        "/v1/mandates", content=chunks(padded(LIMIT)), headers=headers
    )

    assert response.status_code == 201, response.text


async def test_today_is_the_date_in_brussels_not_in_utc(
    ssm: httpx.AsyncClient, minter: TokenMinter, clock: FrozenClock
) -> None:
    # 22:30 UTC on 31 March is half past midnight on 1 April in Brussels (CEST).
    clock.current = clock.current.replace(month=3, day=31, hour=22, minute=30)

    on_the_brussels_day = await post_mandate(
        ssm, minter, mandate_body(start_date="2026-04-01", end_date="2026-04-02")
    )
    on_the_utc_day = await post_mandate(
        ssm, minter, mandate_body(start_date="2026-03-31", reference="utc")
    )

    assert on_the_brussels_day.status_code == 201, on_the_brussels_day.text
    assert on_the_brussels_day.json()["created_at"] == "2026-03-31T22:30:00Z"
    assert_invalid(on_the_utc_day, "start_date")


async def test_the_default_start_is_the_brussels_day(
    ssm: httpx.AsyncClient, minter: TokenMinter, clock: FrozenClock
) -> None:
    clock.current = clock.current.replace(month=3, day=31, hour=22, minute=30)

    response = await post_mandate(ssm, minter, mandate_body())

    assert response.json()["start_date"] == "2026-04-01"
