"""SSM's access hot path under load, in process: latency, throughput and memory.

    python bench/run.py [--strict] [--only postgres|sqlite] [--rows N] [--calls N]

For PostgreSQL (BENCH_DATABASE_URL, a database of its own made and dropped on that
server) and for SQLite (a temporary file), the register is migrated and seeded with
100,000 mandates. A second process then starts SSM in process and asks it through
httpx's ASGI transport, with a real service token of scope `ssm:authorize`:

* AuthZEN evaluations one after another (latency p50/p95/p99),
* evaluations from 20 concurrent callers (throughput, and latency under load),
* resource searches one after another (latency),
* and the process's peak resident memory.

The measuring process holds SSM and its callers and nothing else: the seeding runs
before it starts, so the peak memory is SSM's own plus a small load generator.
The callers share the CPU with SSM, so the figures are a floor of a deployed
replica's capacity, not of a network round trip.

Each target says what it is for. Results are compared with them and reported;
the exit status is 0 unless --strict is given and a target is missed.
"""

import argparse
import asyncio
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, insert
from sqlalchemy.engine import make_url

from identity_stub.testing import TokenMinter, stub_app_for
from service_kit.jwks import StaticKeys
from service_kit.testing import fresh_database
from ssm_api.adapters.tables import MandateRow
from ssm_api.api.app import create_app
from ssm_api.config import Settings
from ssm_api.domain.calendar import brussels_date
from ssm_api.migrate import upgrade

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
IDP = "http://idp.bench"
SSM = "http://ssm.bench"
EVALUATION = "/access/v1/evaluation"
SEARCH = "/access/v1/search/resource"
MANDATE_TYPE = "MYHANDICAP"
MIB = 1024 * 1024


@dataclass(frozen=True)
class Target:
    """A bound on one measured figure, with the reason it is set there."""

    metric: str
    label: str
    bound: float
    higher_is_better: bool
    why: str
    databases: tuple[str, ...] = ("postgres",)

    def met(self, value: float) -> bool:
        """Tell whether the measured value keeps to the bound."""
        return value >= self.bound if self.higher_is_better else value < self.bound

    def describe(self) -> str:
        """Return the target as a person reads it."""
        sign = ">=" if self.higher_is_better else "<"
        return f"{self.label} {sign} {self.bound:g}"


# Targets hold for PostgreSQL, which production runs; SQLite, the development and
# demonstration database, is measured against them for information only. They are
# set for this setting: in process, on a 2-core machine, callers in the same process.
TARGETS = (
    Target(
        "eval_p95_ms",
        "evaluation p95 ms",
        20,
        higher_is_better=False,
        why="MyHandicap asks once per request on another's dossier, within a 2 s "
        "deadline for token, request and retry: the decision must stay a small "
        "part of a page's time",
    ),
    Target(
        "eval_p99_ms",
        "evaluation p99 ms",
        50,
        higher_is_better=False,
        why="the slowest answers, too, stay far inside that 2 s deadline",
    ),
    Target(
        "load_per_s",
        "evaluations/s, 20 callers",
        200,
        higher_is_better=True,
        why="a floor for one process that shares its CPU with its callers; "
        "falling below it means each decision got dearer",
    ),
    Target(
        "load_p95_ms",
        "evaluation p95 ms, 20 callers",
        150,
        higher_is_better=False,
        why="with 20 callers waiting their turn, answers still come well inside "
        "the deadline",
    ),
    Target(
        "search_p95_ms",
        "search p95 ms",
        50,
        higher_is_better=False,
        why="MyHandicap lists the represented persons on its people page and "
        "again when a dossier is opened for someone else",
    ),
    Target(
        "peak_rss_mib",
        "peak RSS MiB",
        192,
        higher_is_better=False,
        why="the memory request of SSM's container in deploy/k8s/ssm-api.yaml "
        "(its limit is 512 MiB)",
    ),
    Target(
        "errors",
        "failed requests",
        1,
        higher_is_better=False,
        why="a benchmark with failures measures nothing",
    ),
)


# --- The register: 100,000 mandates, four per mandatary and four per mandator.


def national_number(born_offset: int, serial: int) -> str:
    """Return a valid number of someone born before 2000."""
    born = date(1930, 1, 1) + timedelta(days=born_offset)
    body = f"{born:%y%m%d}{serial:03d}"
    return f"{body}{97 - int(body) % 97:02d}"


def mandator(person: int) -> str:
    """Return the number of a mandator (odd serials)."""
    return national_number(person, 1 + 2 * (person % 498))


def mandatary(person: int) -> str:
    """Return the number of a mandatary (even serials, never a mandator's)."""
    return national_number(person, 2 + 2 * (person % 498))


@dataclass(frozen=True)
class Register:
    """The seeded register's shape: how many mandates, between how many people."""

    rows: int
    today: date

    @property
    def people(self) -> int:
        """Return the number of mandators, which is also that of mandataries."""
        return max(self.rows // 4, 8)

    def pair(self, number: int) -> tuple[str, str]:
        """Return (mandatary, mandator) of mandate `number`; each pair occurs once."""
        return mandatary(number // 4), mandator(number % self.people)

    def questions(self, count: int) -> list[tuple[str, str]]:
        """Return evaluation questions over the whole register, one in ten unfounded.

        An unfounded question asks for a mandator the mandatary has no mandate from.
        """
        asked = []
        for k in range(count):
            number = (k * 7919) % self.rows
            subject, resource_ = self.pair(number)
            if k % 10 == 9:
                resource_ = mandator((number + self.people // 2) % self.people)
            asked.append((subject, resource_))
        return asked

    def subjects(self, count: int) -> list[str]:
        """Return mandataries to list the represented persons of."""
        return [mandatary((k * 7919) % self.people) for k in range(count)]

    def mandates(self, batch: int = 5_000) -> Iterator[list[dict[str, Any]]]:
        """Yield the register's rows in batches, in every state, mostly signed."""
        rows = []
        for number in range(self.rows):
            rows.append(self._row(number))
            if len(rows) == batch:
                yield rows
                rows = []
        if rows:
            yield rows

    def _row(self, number: int) -> dict[str, Any]:
        states = ["signed"] * 6 + ["pending", "stopped", "withdrawn", "refused"]
        state = [*states, "expired"][number % 11]
        start = self.today - timedelta(days=600 - number % 700)
        at = datetime(start.year, start.month, start.day, 9, tzinfo=UTC)
        signed = state in {"signed", "stopped", "expired"}
        subject, resource_ = self.pair(number)
        first_names = ["An", "Bart", "Chantal", "Dirk", "Els", "Filip", "Greet"]
        last_names = ["Peeters", "Janssens", "Maes", "Dubois", "Claes", "Goossens"]
        return {
            "id": f"00000000-0000-4000-8000-{number:012d}",
            "type_code": MANDATE_TYPE,
            "mandator_nrn": resource_,
            "mandator_first_name": first_names[number % 7],
            "mandator_last_name": last_names[number % 6],
            "mandator_kind": "natural_person",
            "mandatary_nrn": subject,
            "mandatary_first_name": "Jane",
            "mandatary_last_name": "Doe",
            "mandatary_kind": "natural_person",
            "initiator": "mandatary" if number % 2 else "mandator",
            "start_date": start,
            "end_date": None
            if number % 3 == 0
            else start + timedelta(1 + number % 400),
            "expires_on": start + timedelta(days=30),
            "reference": None,
            "language": "nl",
            "state": state,
            "mandator_signed_at": at if signed else None,
            "mandator_sign_method": "itsme" if signed else None,
            "mandatary_signed_at": at,
            "mandatary_sign_method": "itsme",
            "stopped_at": at + timedelta(days=9) if state == "stopped" else None,
            "stopped_by": "mandator" if state == "stopped" else None,
            "stop_reason": None,
            "created_at": at - timedelta(days=1),
            "version": 1,
        }


def seed(url: str, register: Register) -> float:
    """Migrate the database, fill it, let it gather statistics; return seconds."""
    started = time.perf_counter()
    upgrade(url)
    async_url = make_url(url)
    sqlite = async_url.get_backend_name() == "sqlite"
    engine = create_engine(
        async_url.set(drivername="sqlite" if sqlite else "postgresql+psycopg")
    )
    try:
        with engine.begin() as connection:
            for batch in register.mandates():
                connection.execute(insert(MandateRow), batch)
        with engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as connection:
            connection.exec_driver_sql("ANALYZE mandate")
    finally:
        engine.dispose()
    return time.perf_counter() - started


# --- The measuring process: SSM in process, asked through the ASGI transport.


def percentile(values: Sequence[float], share: float) -> float:
    """Return the nearest-rank percentile of the values."""
    ordered = sorted(values)
    rank = min(max(math.ceil(share * len(ordered)) - 1, 0), len(ordered) - 1)
    return ordered[rank]


def summary(prefix: str, latencies: Sequence[float]) -> dict[str, float]:
    """Return p50/p95/p99 of latencies in seconds, as milliseconds."""
    return {
        f"{prefix}_{name}_ms": percentile(latencies, share) * 1000
        for name, share in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99))
    }


@dataclass
class Caller:
    """An e-service asking SSM, counting what went wrong and what was allowed."""

    http: httpx.AsyncClient
    errors: int = 0
    allowed: int = 0

    async def evaluate(self, subject: str, resource_: str) -> float:
        """Ask one access question; return how long the answer took."""
        body = {
            "subject": {"type": "person", "id": subject},
            "action": {"name": MANDATE_TYPE},
            "resource": {"type": "person", "id": resource_},
        }
        started = time.perf_counter()
        response = await self.http.post(EVALUATION, json=body)
        elapsed = time.perf_counter() - started
        if response.status_code != httpx.codes.OK:
            self.errors += 1
        elif response.json()["decision"]:
            self.allowed += 1
        return elapsed

    async def search(self, subject: str) -> float:
        """List the persons the subject may act for; return how long it took."""
        body = {
            "subject": {"type": "person", "id": subject},
            "action": {"name": MANDATE_TYPE},
            "resource": {"type": "person"},
        }
        started = time.perf_counter()
        response = await self.http.post(SEARCH, json=body)
        elapsed = time.perf_counter() - started
        if response.status_code != httpx.codes.OK:
            self.errors += 1
        return elapsed


def cpu_seconds() -> float:
    """Return the CPU time this process has used, user and system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def current_rss_mib() -> float:
    """Return the resident memory now (Linux), or 0 where it cannot be read."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / MIB


async def sequential_evaluations(
    caller: Caller, questions: list[tuple[str, str]]
) -> dict[str, float]:
    """Ask the questions one after another."""
    cpu = cpu_seconds()
    latencies = [await caller.evaluate(*q) for q in questions]
    figures = summary("eval", latencies)
    figures["eval_cpu_ms"] = (cpu_seconds() - cpu) / len(questions) * 1000
    return figures


async def concurrent_evaluations(
    caller: Caller, questions: list[tuple[str, str]], concurrency: int
) -> dict[str, float]:
    """Ask the questions from several callers at once, each taking the next one."""
    pending = iter(questions)
    latencies: list[float] = []

    async def one_caller() -> None:
        for question in pending:
            latencies.append(await caller.evaluate(*question))

    started = time.perf_counter()
    await asyncio.gather(*(one_caller() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return summary("load", latencies) | {"load_per_s": len(latencies) / elapsed}


async def measure(url: str, register: Register, options: argparse.Namespace) -> Any:
    """Start SSM on the database and put it through every phase."""
    baseline = current_rss_mib()
    minter = TokenMinter(issuer=IDP)
    settings = Settings.model_validate(
        {
            "environment": "test",
            "database_url": url,
            "oidc_issuer": IDP,
            "register_url": f"{IDP}/register",
            "token_url": f"{IDP}/token",
            "mail_dispatcher_enabled": False,
            "log_format": "json",  # as in production, one line per request
        }
    )
    app = create_app(
        settings,
        keys=StaticKeys(minter.jwks),
        transport=httpx.ASGITransport(stub_app_for(minter)),
    )
    token = minter.service_token("myhandicap-api", ["ssm:authorize"], expires_in=3600)
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app), base_url=SSM, headers=headers
        ) as http,
    ):
        caller = Caller(http)
        for question in register.questions(options.warmup):
            await caller.evaluate(*question)
        caller.allowed = 0
        asked = register.questions(options.calls)
        figures = await sequential_evaluations(caller, asked)
        figures["allowed_share"] = caller.allowed / len(asked)
        figures |= await concurrent_evaluations(
            caller, register.questions(options.calls * 2), options.concurrency
        )
        searches = [await caller.search(s) for s in register.subjects(options.searches)]
        figures |= summary("search", searches)
    figures["errors"] = caller.errors
    figures["baseline_rss_mib"] = baseline
    figures["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


# --- The conductor: databases, seeding, one measuring process each, the report.


def postgres_database() -> AbstractContextManager[str]:
    """Make a database of its own on the configured server, dropped afterwards."""
    server = make_url(os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES))
    return fresh_database(server, "ssm_bench")


@contextmanager
def sqlite_database() -> Iterator[str]:
    """Make a SQLite file in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="ssm_bench_") as folder:
        yield f"sqlite+aiosqlite:///{Path(folder) / 'ssm.db'}"


DATABASES: dict[str, Callable[[], AbstractContextManager[str]]] = {
    "postgres": postgres_database,
    "sqlite": sqlite_database,
}


def run_measurement(url: str, options: argparse.Namespace) -> dict[str, float]:
    """Measure in a process of its own, so that its peak memory is SSM's alone."""
    with tempfile.TemporaryDirectory(prefix="ssm_bench_") as folder:
        out, logs = Path(folder) / "figures.json", Path(folder) / "ssm.log"
        command = [sys.executable, __file__, "--measure", url, "--out", str(out)]
        command += [f"--{name}={getattr(options, name)}" for name in PHASE_OPTIONS]
        with logs.open("wb") as log_file:
            # The arguments are this script's own, built above.
            done = subprocess.run(command, stderr=log_file, check=False)  # noqa: S603
        if done.returncode != 0:
            tail = logs.read_text(errors="replace").splitlines()[-30:]
            msg = "the measuring process failed:\n" + "\n".join(tail)
            raise RuntimeError(msg)
        figures: dict[str, float] = json.loads(out.read_text())
    return figures


ROWS: tuple[tuple[str, str, str], ...] = (
    ("seed_seconds", "seeding (migrate, insert, analyze) s", "{:.1f}"),
    ("allowed_share", "evaluations allowed", "{:.0%}"),
    ("eval_p50_ms", "evaluation p50 ms", "{:.2f}"),
    ("eval_p95_ms", "evaluation p95 ms", "{:.2f}"),
    ("eval_p99_ms", "evaluation p99 ms", "{:.2f}"),
    ("eval_cpu_ms", "CPU per evaluation ms (SSM + caller)", "{:.2f}"),
    ("load_per_s", "evaluations/s, 20 callers", "{:.0f}"),
    ("load_p50_ms", "evaluation p50 ms, 20 callers", "{:.1f}"),
    ("load_p95_ms", "evaluation p95 ms, 20 callers", "{:.1f}"),
    ("load_p99_ms", "evaluation p99 ms, 20 callers", "{:.1f}"),
    ("search_p50_ms", "search p50 ms", "{:.2f}"),
    ("search_p95_ms", "search p95 ms", "{:.2f}"),
    ("search_p99_ms", "search p99 ms", "{:.2f}"),
    ("baseline_rss_mib", "RSS before start MiB", "{:.0f}"),
    ("peak_rss_mib", "peak RSS MiB", "{:.0f}"),
    ("errors", "failed requests", "{:.0f}"),
)


def report(results: dict[str, dict[str, float]], options: argparse.Namespace) -> bool:
    """Print the figures and the targets; return whether every binding one is met."""
    names = list(results)
    width = max(len(label) for _, label, _ in ROWS) + 2
    out = [
        f"SSM access hot path: {options.rows:,} mandates, {options.calls:,} "
        f"sequential evaluations, {options.calls * 2:,} from {options.concurrency} "
        f"callers, {options.searches:,} searches, {os.cpu_count()} CPUs",
        "",
        "".ljust(width) + "".join(n.rjust(12) for n in names),
    ]
    for key, label, form in ROWS:
        cells = [
            form.format(results[n][key]) if key in results[n] else "-" for n in names
        ]
        out.append(label.ljust(width) + "".join(c.rjust(12) for c in cells))
    out += ["", "targets".ljust(width) + "".join(n.rjust(12) for n in names)]
    all_met = True
    for target in TARGETS:
        cells = []
        for name in names:
            met = target.met(results[name][target.metric])
            binding = name in target.databases
            all_met &= met or not binding
            cells.append(("pass" if met else "FAIL") + ("" if binding else " (i)"))
        out.append(target.describe().ljust(width) + "".join(c.rjust(12) for c in cells))
    out += ["", "(i): for information; the targets bind PostgreSQL, which production"]
    out += ["runs. Why each target:"]
    out += [f"  {t.describe()}: {t.why}" for t in TARGETS]
    sys.stdout.write("\n".join(out) + "\n")
    return all_met


PHASE_OPTIONS = ("rows", "calls", "concurrency", "searches", "warmup", "today")


def arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 on a miss")
    parser.add_argument("--only", choices=sorted(DATABASES), action="append")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=2_000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--searches", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=brussels_date(datetime.now(UTC)),
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Seed, measure and report every database; see the module's docstring."""
    options = arguments(argv)
    register = Register(options.rows, options.today)
    if options.measure:
        figures = asyncio.run(measure(options.measure, register, options))
        options.out.write_text(json.dumps(figures))
        return 0
    results: dict[str, dict[str, float]] = {}
    for name in options.only or list(DATABASES):
        with DATABASES[name]() as url:
            sys.stdout.write(f"{name}: seeding {options.rows:,} mandates...\n")
            sys.stdout.flush()
            seconds = seed(url, register)
            sys.stdout.write(f"{name}: measuring...\n")
            sys.stdout.flush()
            results[name] = run_measurement(url, options) | {"seed_seconds": seconds}
    met = report(results, options)
    return 1 if options.strict and not met else 0


if __name__ == "__main__":
    sys.exit(main())
