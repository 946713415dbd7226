"""The Belgian national register number (rijksregisternummer) and BIS number."""

import re

from myhandicap_api.domain.errors import InvalidNationalNumberError

_SEPARATORS = re.compile(r"[\s./-]")
_ELEVEN_DIGITS = re.compile(r"[0-9]{11}")


def parse_national_number(raw: str, field: str = "national_number") -> str:
    """Strip the usual separators, verify digits and check digits, return 11 digits."""
    digits = _SEPARATORS.sub("", raw)
    if not _ELEVEN_DIGITS.fullmatch(digits):
        raise InvalidNationalNumberError(field, "A national number has 11 digits.")
    if not has_valid_check_digits(digits):
        raise InvalidNationalNumberError(
            field, "The check digits of this national number do not match."
        )
    return digits


def has_valid_check_digits(digits: str) -> bool:
    """Tell whether the last two digits check the first nine.

    The check is 97 minus the first nine digits modulo 97; for births from 2000 on a
    2 is put before those nine digits. BIS numbers, whose month is raised by 20 or
    40, follow the same rule. The number alone does not tell the century, so either
    rule may pass.
    """
    body, check = int(digits[:9]), int(digits[9:])
    return check in {97 - body % 97, 97 - (2_000_000_000 + body) % 97}
