"""Checks that hold for the whole test run, whatever the package."""

import os
from collections.abc import Generator

import pytest

_skipped_on_postgres: list[str] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    expected_failure = hasattr(report, "wasxfail")
    if report.skipped and not expected_failure and item.get_closest_marker("postgres"):
        _skipped_on_postgres.append(item.nodeid)
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # Where PostgreSQL is required (CI), a skipped PostgreSQL test is a failure.
    if os.environ.get("REQUIRE_POSTGRES") == "1" and _skipped_on_postgres:
        print(f"\n{len(_skipped_on_postgres)} PostgreSQL tests were skipped:")
        for nodeid in _skipped_on_postgres[:20]:
            print(f"  {nodeid}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
