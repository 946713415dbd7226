"""Dates as the law counts them: the calendar day in Brussels, not in UTC."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def brussels_date(instant: datetime) -> date:
    """Return the calendar date in Brussels at an aware instant."""
    if instant.tzinfo is None:
        msg = "instants must carry a time zone"
        raise ValueError(msg)
    return instant.astimezone(BRUSSELS).date()
