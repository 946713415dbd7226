"""Give An Ansoms active MYHANDICAP mandates for the four people she helps.

Idempotent: a person An already represents is left as is.
"""

from devclient import SSM, Session, counterparty

AN_ANSOMS = "78042304657"
REPRESENTED = ["52090713336", "49113020895", "00022906479", "38051701121"]


def main() -> None:
    """Create and sign the missing mandates."""
    an = Session(AN_ANSOMS)
    active = an.ok("GET", f"{SSM}/v1/mandates", params={"view": "active"})["items"]
    already = {m["mandator"]["national_number"] for m in active}
    for national_number in REPRESENTED:
        if national_number in already:
            continue
        body = {
            "type": "MYHANDICAP",
            "role": "mandatary",
            "counterparty": counterparty(national_number),
            "accept_conditions": True,
        }
        mandate = an.ok("POST", f"{SSM}/v1/mandates", json=body)
        Session(national_number, "eid").ok(
            "POST",
            f"{SSM}/v1/mandates/{mandate['id']}/sign",
            json={"accept_conditions": True},
        )
    print(f"An Ansoms represents {len(REPRESENTED)} people through active mandates.")


if __name__ == "__main__":
    main()
