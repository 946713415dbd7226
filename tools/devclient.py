"""A small client of the running system, for the demo and the seed scripts."""

from typing import Any

import httpx

IDP = "http://127.0.0.1:8000"
SSM = "http://127.0.0.1:8001"
MYHANDICAP = "http://127.0.0.1:8002"


class Session:
    """One person logged in through the identity stub's development tokens."""

    def __init__(self, national_number: str, method: str = "itsme") -> None:
        response = httpx.post(
            f"{IDP}/dev/tokens",
            json={"national_number": national_number, "method": method},
            timeout=5,
        )
        response.raise_for_status()
        self.national_number = national_number
        token = response.json()["access_token"]
        self.headers = {"Authorization": f"Bearer {token}"}

    def call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send one request as this person."""
        return httpx.request(method, url, headers=self.headers, timeout=10, **kwargs)

    def ok(self, method: str, url: str, **kwargs: Any) -> Any:
        """Send one request as this person and return its JSON, failing loudly."""
        response = self.call(method, url, **kwargs)
        if response.status_code >= 400:
            raise SystemExit(
                f"{method} {url} answered {response.status_code}: {response.text}"
            )
        return response.json()


def person(national_number: str) -> dict[str, Any]:
    """Return a person of the demo register."""
    people = httpx.get(f"{IDP}/dev/persons", timeout=5).json()
    return next(p for p in people if p["national_number"] == national_number)


def counterparty(national_number: str) -> dict[str, str]:
    """Return what identifies a person in a mandate request: number and address."""
    address = person(national_number)["address"]
    return {
        "national_number": national_number,
        "street": address["street"],
        "house_number": address["house_number"],
        "postal_code": address["postal_code"],
    }
