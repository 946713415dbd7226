"""Play the manual's scenario over HTTP against the running system, step by step.

Jane Doe helps Jan Peters: she finds him, creates the mandate, he signs, she opens
his MyHandicap dossier and applies for him, then she stops the mandate.
"""

import sys
import time
from pathlib import Path
from typing import Any

from devclient import MYHANDICAP, SSM, Session, counterparty

JANE_DOE = "01010112301"
JAN_PETERS = "12121212376"
JAN_EMAIL = "jan.peters@example.org"
MAIL_DIR = Path(__file__).resolve().parent.parent / "var" / "mail"

step_number = 0


def step(text: str) -> None:
    """Print the next step of the scenario."""
    global step_number  # noqa: PLW0603 - a counter of a script's printed steps
    step_number += 1
    print(f"\n{step_number:>2}. {text}")


def show(label: str, value: Any) -> None:
    """Print one result of a step."""
    print(f"    {label}: {value}")


def main() -> int:
    """Run the scenario; exit non-zero at the first surprise."""
    jane, jan = Session(JANE_DOE, "itsme"), Session(JAN_PETERS, "eid")
    _forget_earlier_runs(jane)
    started = time.time()
    mandate = _create_and_sign(jane, jan)
    _use_myhandicap(jane, jan)
    _stop(jane, jan, mandate["id"])
    _show_invitation(started)
    print("\nThe scenario completed.")
    return 0


def _forget_earlier_runs(jane: Session) -> None:
    for view, action, body in (
        ("awaiting_other_party", "withdraw", None),
        ("active", "stop", {"accept_conditions": True, "reason": "earlier demo"}),
        ("scheduled", "stop", {"accept_conditions": True, "reason": "earlier demo"}),
    ):
        for item in jane.ok("GET", f"{SSM}/v1/mandates", params={"view": view})[
            "items"
        ]:
            if item["mandator"]["national_number"] == JAN_PETERS:
                jane.ok("POST", f"{SSM}/v1/mandates/{item['id']}/{action}", json=body)


def _create_and_sign(jane: Session, jan: Session) -> dict[str, Any]:
    step("Jane Doe looks up Jan Peters by national number and address")
    found = jane.ok("POST", f"{SSM}/v1/persons/search", json=counterparty(JAN_PETERS))
    show("found", f"{found['first_name']} {found['last_name']}, {found['address']}")

    step("Jane creates a MYHANDICAP mandate as mandatary, with a reference")
    body = {
        "type": "MYHANDICAP",
        "role": "mandatary",
        "counterparty": counterparty(JAN_PETERS),
        "reference": "aanvraag parkeerkaart",
        "language": "nl",
        "accept_conditions": True,
        "counterparty_email": JAN_EMAIL,
    }
    mandate = jane.ok("POST", f"{SSM}/v1/mandates", json=body)
    show("mandate", f"{mandate['id']} is {mandate['status']}")

    step("Jan sees it under 'to sign' and signs it")
    to_sign = jan.ok("GET", f"{SSM}/v1/mandates", params={"view": "to_sign"})["items"]
    _expect(any(m["id"] == mandate["id"] for m in to_sign), "Jan sees it to sign")
    signed = jan.ok(
        "POST",
        f"{SSM}/v1/mandates/{mandate['id']}/sign",
        json={"accept_conditions": True},
    )
    show("status", signed["status"])

    step("Both see it active")
    for who, session in (("Jane", jane), ("Jan", jan)):
        seen = session.ok("GET", f"{SSM}/v1/mandates/{mandate['id']}")
        _expect(seen["status"] == "active", f"{who} sees it active")
        show(who, f"active since {seen['active_since']}")
    return mandate


def _use_myhandicap(jane: Session, jan: Session) -> None:
    step("Jane lists the persons she represents in MyHandicap")
    persons = jane.ok("GET", f"{MYHANDICAP}/v1/represented-persons")
    names = [f"{p['first_name']} {p['last_name']}" for p in _items(persons)]
    show("represents", ", ".join(names))

    step("Jane opens Jan's dossier")
    dossier = jane.ok("GET", f"{MYHANDICAP}/v1/dossiers/{JAN_PETERS}")
    show("access", dossier["access"])

    step("Jane applies for a parking card for Jan")
    application = jane.ok(
        "POST",
        f"{MYHANDICAP}/v1/dossiers/{JAN_PETERS}/applications",
        json={"kind": "parking_card", "note": "voor de auto van zijn moeder"},
    )
    show("application", f"{application['kind']} is {application['status']}")

    step("Jan sees the application, who submitted it, and his access log")
    own = jan.ok("GET", f"{MYHANDICAP}/v1/dossiers/{JAN_PETERS}")
    mine = [a for a in own["applications"] if a["id"] == application["id"]]
    _expect(bool(mine), "Jan sees the application")
    submitter = mine[0]["submitted_by"]
    show("submitted by", f"{submitter['first_name']} {submitter['last_name']}")
    log = jan.ok("GET", f"{MYHANDICAP}/v1/dossiers/{JAN_PETERS}/access-log")
    for entry in _items(log)[-3:]:
        show("access log", _describe(entry))


def _stop(jane: Session, jan: Session, mandate_id: str) -> None:
    step("Jane stops the mandate, giving a reason")
    stopped = jane.ok(
        "POST",
        f"{SSM}/v1/mandates/{mandate_id}/stop",
        json={"accept_conditions": True, "reason": "Jan regelt het voortaan zelf"},
    )
    show("status", stopped["status"])

    step("Both see it stopped, ending today")
    for who, session in (("Jane", jane), ("Jan", jan)):
        seen = session.ok("GET", f"{SSM}/v1/mandates/{mandate_id}")
        _expect(seen["status"] == "stopped", f"{who} sees it stopped")
        show(who, f"stopped, end date {seen['end_date']}")

    step("Jane can no longer open Jan's dossier")
    refused = jane.call("GET", f"{MYHANDICAP}/v1/dossiers/{JAN_PETERS}")
    _expect(refused.status_code == 403, "opening Jan's dossier is refused")
    show("answer", f"{refused.status_code} {refused.json()['title']}")


def _show_invitation(since: float) -> None:
    step("The invitation to sign arrived in the mail sink")
    deadline = time.time() + 15
    while time.time() < deadline:
        new = [p for p in MAIL_DIR.glob("*.eml") if p.stat().st_mtime >= since - 1]
        for path in new:
            text = path.read_text(errors="replace")
            if JAN_EMAIL in text and "Aanmaken van mandaat" in text:
                subject = next(
                    line for line in text.splitlines() if line.startswith("Subject:")
                )
                show("file", path.relative_to(MAIL_DIR.parent.parent))
                show("subject", subject.removeprefix("Subject:").strip())
                return
        time.sleep(0.5)
    _expect(False, "the invitation reached var/mail/")


def _items(body: Any) -> list[dict[str, Any]]:
    return body if isinstance(body, list) else list(body.get("items", []))


def _describe(entry: dict[str, Any]) -> str:
    actor = entry.get("actor") or entry.get("acted_by") or {}
    name = f"{actor.get('first_name', '')} {actor.get('last_name', '')}".strip()
    return f"{entry.get('action')} by {name} on basis {entry.get('basis')}"


def _expect(condition: bool, what: str) -> None:
    if not condition:
        print(f"\nFAILED: {what}", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    sys.exit(main())
