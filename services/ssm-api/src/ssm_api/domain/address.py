"""Addresses, compared the way a person types them."""

import unicodedata
from dataclasses import dataclass


def normalise(text: str) -> str:
    """Fold case and accents and trim surrounding spaces, nothing else."""
    decomposed = unicodedata.normalize("NFD", text.strip())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold()


@dataclass(frozen=True)
class Address:
    """A postal address in Belgium, as the register holds it."""

    street: str
    house_number: str
    postal_code: str
    municipality: str

    def matches(self, street: str, house_number: str, postal_code: str) -> bool:
        """Tell whether typed street, number and postal code are exactly this one."""
        return (
            normalise(self.street) == normalise(street)
            and normalise(self.house_number) == normalise(house_number)
            and normalise(self.postal_code) == normalise(postal_code)
        )
