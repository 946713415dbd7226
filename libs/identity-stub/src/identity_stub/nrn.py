"""Belgian national register numbers (rijksregisternummer), including BIS numbers."""

import re

_SEPARATORS = re.compile(r"[\s.\-/]")
_ELEVEN_DIGITS = re.compile(r"\d{11}")


def strip_separators(raw: str) -> str:
    """Remove the dots, dashes, slashes and spaces people write in an NRN."""
    return _SEPARATORS.sub("", raw)


def is_valid(nrn: str) -> bool:
    """Tell whether an 11-digit NRN carries correct check digits."""
    if not _ELEVEN_DIGITS.fullmatch(nrn):
        return False
    body, check = nrn[:9], int(nrn[9:])
    # Numbers given from 2000 on are checked as if prefixed with a 2; the
    # number alone does not say which century applies, so either may pass.
    return check in (97 - int(body) % 97, 97 - int("2" + body) % 97)
