"""Write the published OpenAPI documents under openapi/, or check they are current.

Each document is what its application serves at /openapi.json, built with the
development settings (no network, no database: the lifespan does not run), plus
the one thing only the published copy needs: the servers of the local development
stack. Everything about operations comes from the applications themselves.

    python tools/openapi.py write    # after changing an API
    python tools/openapi.py check    # fails when a document is out of date
"""

import argparse
import copy
import difflib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from fastapi import FastAPI
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from identity_stub.app import create_app as create_identity_stub
from identity_stub.testing import stub_settings
from myhandicap_api.api.app import create_app as create_myhandicap
from myhandicap_api.config import Settings as MyHandicapSettings
from ssm_api.api.app import create_app as create_ssm
from ssm_api.config import Settings as SsmSettings

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "openapi"
LOCAL_SERVER = "Local development stack (`make run`)"
DIFF_LINES = 40

SettingsT = TypeVar("SettingsT", bound=BaseSettings)


def development_settings(settings_class: type[SettingsT]) -> SettingsT:
    """Build a service's development settings from its defaults alone.

    The shell's variables are ignored: the documents do not depend on them, and a
    variable exported for a deployment must not break or change the build.
    """
    isolated = type(
        settings_class.__name__,
        (settings_class,),
        {"settings_customise_sources": classmethod(_constructor_only)},
    )
    return cast(SettingsT, isolated(environment="development"))


def _constructor_only(
    cls: type[BaseSettings],
    /,
    settings_cls: type[BaseSettings],
    init_settings: PydanticBaseSettingsSource,
    **other_sources: PydanticBaseSettingsSource,
) -> tuple[PydanticBaseSettingsSource, ...]:
    return (init_settings,)


def _identity_stub() -> FastAPI:
    return create_identity_stub(stub_settings(environment="development"))


def _ssm() -> FastAPI:
    return create_ssm(development_settings(SsmSettings))


def _myhandicap() -> FastAPI:
    return create_myhandicap(development_settings(MyHandicapSettings))


@dataclass(frozen=True)
class Document:
    """One published document: its file, the app that serves it, its local URL."""

    filename: str
    build: Callable[[], FastAPI]
    local_url: str

    @property
    def path(self) -> Path:
        """Return where the document is committed."""
        return OUTPUT / self.filename

    def render(self) -> str:
        """Return the document as the app serves it now, ready to be written."""
        return render(published(self.build().openapi(), self.local_url))


DOCUMENTS = (
    Document("identity-stub.json", _identity_stub, "http://127.0.0.1:8000"),
    Document("ssm-api.json", _ssm, "http://127.0.0.1:8001"),
    Document("myhandicap-api.json", _myhandicap, "http://127.0.0.1:8002"),
)


def published(served: dict[str, Any], local_url: str) -> dict[str, Any]:
    """Add to a served document what only its published copy carries.

    The apps serve no `servers`, so their interactive docs call whichever host
    serves them; the published copy names the local development stack.
    """
    document = copy.deepcopy(served)
    document["servers"] = [{"url": local_url, "description": LOCAL_SERVER}]
    return document


def render(document: dict[str, Any]) -> str:
    """Serialise a document the same way every time: sorted keys, two spaces."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def stale_diff(document: Document) -> str | None:
    """Return how the committed file differs from the app, or None if it does not."""
    expected = document.render()
    path = document.path
    actual = path.read_text(encoding="utf-8") if path.exists() else ""
    if actual == expected:
        return None
    name = str(path.relative_to(ROOT))
    lines = difflib.unified_diff(
        actual.splitlines(keepends=True),
        expected.splitlines(keepends=True),
        fromfile=f"{name} (committed)",
        tofile=f"{name} (served by the app)",
    )
    diff = list(lines)
    shown = "".join(diff[:DIFF_LINES])
    more = len(diff) - DIFF_LINES
    return shown + (f"... {more} more lines\n" if more > 0 else "")


def write() -> int:
    """Write every document, once all of them have been built."""
    rendered = [(document.path, document.render()) for document in DOCUMENTS]
    OUTPUT.mkdir(exist_ok=True)
    for path, text in rendered:
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


def check() -> int:
    """Tell which documents differ from what their apps serve."""
    failures = 0
    for document in DOCUMENTS:
        diff = stale_diff(document)
        if diff is not None:
            failures += 1
            print(diff, file=sys.stderr)
    if failures:
        print(
            f"{failures} OpenAPI document(s) out of date: run `make openapi`.",
            file=sys.stderr,
        )
        return 1
    print("the OpenAPI documents are current")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the subcommand and return its exit status."""
    parser = argparse.ArgumentParser(
        description="Write or check the published OpenAPI documents."
    )
    parser.add_argument("command", choices=("write", "check"))
    args = parser.parse_args(argv)
    return write() if args.command == "write" else check()


if __name__ == "__main__":
    sys.exit(main())
