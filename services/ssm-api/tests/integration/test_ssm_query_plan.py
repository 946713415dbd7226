"""The access hot path keeps to its index on a register of 100,000 mandates.

The statements checked are the ones the repository sends: they are captured from
the driver while `access_candidates` and `represented_by` run, then explained with
the parameters they were sent with. PostgreSQL plans them twice in production: with
the values (the first executions on a connection), then, once psycopg has prepared
the statement, possibly with a generic plan that ignores the values. Both must use
`ix_mandate_access` and never read the whole table.
"""

import re
from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any

import pytest
from psycopg import sql
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.ext.asyncio import AsyncSession

from service_kit.db import create_engine as create_async_engine
from ssm_api.adapters.repository import SqlMandates
from ssm_api.migrate import upgrade

from ..conftest import fresh_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.anyio]

Sent = list[tuple[str, dict[str, Any]]]  # statements as the driver got them

ROWS = 100_000
PEOPLE = 25_000  # mandators and mandataries each: four mandates per person
INDEX = "ix_mandate_access"
DAY = date(2026, 6, 1)

# Eleven digits with valid check digits: a birth date before 2000, a serial (odd
# for mandators, even for mandataries, so the two groups never share a number),
# then 97 minus the nine digits modulo 97.
_BODY = (
    "to_char(date '1930-01-01' + {p}, 'YYMMDD') "
    "|| lpad(({first} + 2 * ({p} % 498))::text, 3, '0')"
)
_NRN = "{body} || lpad((97 - ({body})::bigint % 97)::text, 2, '0')"

# Every (mandator, mandatary) pair occurs once, so the exclusion constraint on
# overlapping open mandates holds whatever the dates.
SEED = f"""
INSERT INTO mandate (
    id, type_code, mandator_nrn, mandator_first_name, mandator_last_name,
    mandator_kind, mandatary_nrn, mandatary_first_name, mandatary_last_name,
    mandatary_kind, initiator, start_date, end_date, expires_on, reference,
    language, state, mandator_signed_at, mandator_sign_method, mandatary_signed_at,
    mandatary_sign_method, stopped_at, stopped_by, stop_reason, created_at, version
)
SELECT
    '00000000-0000-4000-8000-' || lpad(g::text, 12, '0'),
    'MYHANDICAP',
    {_NRN.format(body=_BODY.format(p="mandator", first=1))},
    (ARRAY['An', 'Bart', 'Chantal', 'Dirk', 'Els', 'Filip', 'Greet'])[1 + g % 7],
    (ARRAY['Peeters', 'Janssens', 'Maes', 'Dubois', 'Claes', 'Goossens',
           'Wouters', 'Lambert', 'Martin', 'Jacobs', 'Willems'])[1 + g % 11],
    'natural_person',
    {_NRN.format(body=_BODY.format(p="mandatary", first=2))},
    'Jane', 'Doe', 'natural_person',
    CASE WHEN g % 2 = 0 THEN 'mandator' ELSE 'mandatary' END,
    start_date,
    CASE WHEN g % 3 = 0 THEN NULL ELSE start_date + 1 + g % 400 END,
    start_date + 30,
    NULL,
    'nl',
    state,
    CASE WHEN state IN ('signed', 'stopped', 'expired') THEN start_date::timestamptz
    END,
    CASE WHEN state IN ('signed', 'stopped', 'expired') THEN 'itsme' END,
    start_date::timestamptz,
    'itsme',
    CASE WHEN state = 'stopped' THEN start_date::timestamptz + interval '9 days' END,
    CASE WHEN state = 'stopped' THEN 'mandator' END,
    NULL,
    start_date::timestamptz - interval '1 day',
    1
FROM (
    SELECT
        g,
        (g - 1) % {PEOPLE} AS mandator,
        (g - 1) / 4 AS mandatary,
        date '2025-01-01' + g % 700 AS start_date,
        (ARRAY['signed', 'signed', 'signed', 'signed', 'signed', 'signed',
               'pending', 'stopped', 'withdrawn', 'refused', 'expired'])[1 + g % 11]
            AS state
    FROM generate_series(1, {ROWS}) AS g
) AS seq
"""


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    with fresh_postgres("ssm_plan") as url:
        upgrade(url)
        engine = sync_engine(url)
        with engine.begin() as connection:
            connection.execute(text(SEED))
        with engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as connection:
            connection.execute(text("ANALYZE mandate"))
        engine.dispose()
        yield url


def sync_engine(url: str) -> Engine:
    return create_engine(make_url(url).set(drivername="postgresql+psycopg"))


@pytest.fixture(scope="module")
def engine(database_url: str) -> Iterator[Engine]:
    engine = sync_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
async def mandates(database_url: str) -> AsyncIterator[tuple[SqlMandates, Sent]]:
    """Yield the repository on the app's own engine, and what its driver is sent."""
    engine = create_async_engine(database_url)
    sent: Sent = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def capture(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any
    ) -> None:
        if re.search(r"\bFROM mandate\b", statement):
            sent.append((statement, dict(parameters)))

    async with AsyncSession(engine) as session:
        yield SqlMandates(session), sent
    await engine.dispose()


def busiest_mandatary(engine: Engine) -> str:
    """Return someone who may act for several persons on the day."""
    with engine.connect() as connection:
        nrn: str = connection.execute(
            text(
                "SELECT mandatary_nrn FROM mandate WHERE state = 'signed' "
                "AND start_date <= :day AND (end_date IS NULL OR end_date > :day) "
                "GROUP BY mandatary_nrn ORDER BY count(*) DESC, mandatary_nrn LIMIT 1"
            ),
            {"day": DAY},
        ).scalar_one()
    return nrn


def pair(engine: Engine, number: int) -> tuple[str, str]:
    """Return the mandatary and mandator of the seeded mandate with this number."""
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT mandatary_nrn, mandator_nrn FROM mandate WHERE id = :id"),
            {"id": f"00000000-0000-4000-8000-{number:012d}"},
        ).one()
    return row.mandatary_nrn, row.mandator_nrn


def explain(
    connection: Connection, statement: str, parameters: dict[str, Any]
) -> dict[str, Any]:
    """Return the plan PostgreSQL makes for the statement with these values."""
    plan = connection.exec_driver_sql(
        "EXPLAIN (FORMAT JSON) " + statement, parameters
    ).scalar_one()
    return dict(plan[0]["Plan"])


def explain_generic(
    connection: Connection, statement: str, parameters: dict[str, Any]
) -> dict[str, Any]:
    """Return the plan of the statement once prepared, made without its values."""
    names: list[str] = []

    def positional(match: re.Match[str]) -> str:
        if match[1] not in names:
            names.append(match[1])
        return f"${names.index(match[1]) + 1}"

    prepared = re.sub(r"%\((\w+)\)s", positional, statement)
    # EXECUTE's arguments cannot be typed from a bound parameter, so they go inline.
    driver = connection.connection.driver_connection
    arguments = ", ".join(
        sql.Literal(parameters[name]).as_string(driver) for name in names
    )
    connection.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
    connection.exec_driver_sql("PREPARE hot_path AS " + prepared)
    plan = connection.exec_driver_sql(
        f"EXPLAIN (FORMAT JSON) EXECUTE hot_path({arguments})"
    ).scalar_one()
    connection.exec_driver_sql("DEALLOCATE hot_path")
    connection.exec_driver_sql("RESET plan_cache_mode")
    return dict(plan[0]["Plan"])


def nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def readable(plan: dict[str, Any], depth: int = 0) -> str:
    """Render a JSON plan about as EXPLAIN's text format does."""
    line = plan["Node Type"]
    if "Index Name" in plan:
        line += f" using {plan['Index Name']}"
    if "Relation Name" in plan:
        line += f" on {plan['Relation Name']}"
    cost = f"cost={plan['Startup Cost']}..{plan['Total Cost']}"
    line += f"  ({cost} rows={plan['Plan Rows']})"
    details = [
        f"{key}: {', '.join(value) if isinstance(value, list) else value}"
        for key in ("Index Cond", "Recheck Cond", "Filter", "Sort Key")
        if (value := plan.get(key)) is not None
    ]
    pad = "  " * depth
    lines = [pad + line, *(f"{pad}    {d}" for d in details)]
    lines += [readable(child, depth + 1) for child in plan.get("Plans", [])]
    return "\n".join(lines)


def assert_uses_access_index(name: str, plan: dict[str, Any]) -> None:
    print(f"\n--- {name}\n{readable(plan)}")  # noqa: T201 - read with -s
    scans = [n for n in nodes(plan) if n.get("Relation Name") == "mandate"]
    kinds = [(n["Node Type"], n.get("Index Name")) for n in nodes(plan)]
    assert not [n for n in scans if n["Node Type"] == "Seq Scan"], kinds
    index_scans = {"Index Scan", "Index Only Scan", "Bitmap Index Scan"}
    assert any(
        n["Node Type"] in index_scans and n.get("Index Name") == INDEX
        for n in nodes(plan)
    ), kinds


def check_plans(
    engine: Engine, name: str, statement: str, params: dict[str, Any]
) -> None:
    print(f"\n=== {name}\n{statement}\n{params}")  # noqa: T201 - read with -s
    with engine.connect() as connection:
        assert_uses_access_index(
            f"{name}, planned with its values", explain(connection, statement, params)
        )
        assert_uses_access_index(
            f"{name}, generic plan", explain_generic(connection, statement, params)
        )


async def test_the_seeded_register_is_large_and_mixed(engine: Engine) -> None:
    with engine.connect() as connection:
        states: dict[str, int] = dict(
            connection.execute(
                text("SELECT state, count(*) FROM mandate GROUP BY state")
            ).all()
        )
        people = connection.execute(
            text("SELECT count(DISTINCT mandatary_nrn) FROM mandate")
        ).scalar_one()

    assert sum(states.values()) == ROWS
    assert set(states) == {
        "signed",
        "pending",
        "stopped",
        "withdrawn",
        "refused",
        "expired",
    }
    assert people == PEOPLE


async def test_an_access_decision_reads_the_pair_through_the_access_index(
    mandates: tuple[SqlMandates, Sent], engine: Engine
) -> None:
    repository, sent = mandates
    mandatary, mandator = pair(engine, 4_001)

    candidates = await repository.access_candidates("MYHANDICAP", mandatary, mandator)

    assert [c.mandate_id for c in candidates] == [
        "00000000-0000-4000-8000-000000004001"
    ]
    [(statement, params)] = sent
    check_plans(engine, "access_candidates", statement, params)


async def test_the_represented_persons_are_read_through_the_access_index(
    mandates: tuple[SqlMandates, Sent], engine: Engine
) -> None:
    repository, sent = mandates
    mandatary = busiest_mandatary(engine)

    first = await repository.represented_by("MYHANDICAP", mandatary, DAY, None, 1)
    key = (first[-1].last_name, first[-1].first_name, first[-1].mandate_id)
    second = await repository.represented_by("MYHANDICAP", mandatary, DAY, key, 1)

    assert len(first) == len(second) == 1
    assert first[0].mandate_id != second[0].mandate_id
    first_page, next_page = sent
    check_plans(engine, "represented_by, first page", *first_page)
    check_plans(engine, "represented_by, next page", *next_page)
