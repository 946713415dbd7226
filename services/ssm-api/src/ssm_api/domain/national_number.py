"""The Belgian national register number (rijksregisternummer) and BIS number."""

import re
from dataclasses import dataclass

from ssm_api.domain.errors import InvalidNationalNumberError

_SEPARATORS = re.compile(r"[\s./-]")


@dataclass(frozen=True, order=True)
class NationalNumber:
    """Eleven digits whose last two check the first nine."""

    value: str

    @classmethod
    def parse(cls, raw: str, field: str = "national_number") -> "NationalNumber":
        """Strip the usual separators and verify the digits and check digits."""
        digits = _SEPARATORS.sub("", raw)
        if len(digits) != 11 or not digits.isascii() or not digits.isdigit():
            raise InvalidNationalNumberError(field, "A national number has 11 digits.")
        if not has_valid_check_digits(digits):
            raise InvalidNationalNumberError(
                field, "The check digits of this national number do not match."
            )
        return cls(digits)

    def __str__(self) -> str:
        return self.value


def has_valid_check_digits(digits: str) -> bool:
    """Tell whether the check digits fit, for births before or from 2000 on.

    The check is 97 minus the first nine digits modulo 97; for people born from
    2000 on, a 2 is put before those nine digits. BIS numbers follow the same rule.
    """
    body, check = int(digits[:9]), int(digits[9:])
    return check in {97 - body % 97, 97 - (2_000_000_000 + body) % 97}
