"""Report periods: a calendar month or quarter, in the desk's time zone."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

MONTH = "month"
QUARTER = "quarter"
_KEY = re.compile(r"^(?P<year>\d{4})-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4]))$")


@dataclass(frozen=True)
class Period:
    """A month ("2026-03") or a quarter ("2026-Q1"), from its first instant to the next period's."""

    kind: str
    year: int
    number: int  # month 1-12 or quarter 1-4

    @classmethod
    def parse(cls, key: str) -> "Period":
        match = _KEY.match(key or "")
        if not match:
            raise ValueError(f"not a period: {key!r}")
        year = int(match["year"])
        if match["quarter"]:
            return cls(QUARTER, year, int(match["quarter"]))
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise ValueError(f"not a month: {key!r}")
        return cls(MONTH, year, month)

    @classmethod
    def month_of(cls, day: date) -> "Period":
        return cls(MONTH, day.year, day.month)

    @classmethod
    def quarter_of(cls, day: date) -> "Period":
        return cls(QUARTER, day.year, (day.month - 1) // 3 + 1)

    @property
    def key(self) -> str:
        if self.kind == QUARTER:
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-{self.number:02d}"

    @property
    def first_month(self) -> int:
        return (self.number - 1) * 3 + 1 if self.kind == QUARTER else self.number

    @property
    def months(self) -> int:
        return 3 if self.kind == QUARTER else 1

    @property
    def start(self) -> datetime:
        return _month_start(self.year, self.first_month)

    @property
    def end(self) -> datetime:
        """The first instant after the period (exclusive bound)."""
        return _month_start(self.year, self.first_month + self.months)

    def previous(self) -> "Period":
        if self.kind == QUARTER:
            if self.number == 1:
                return Period(QUARTER, self.year - 1, 4)
            return Period(QUARTER, self.year, self.number - 1)
        if self.number == 1:
            return Period(MONTH, self.year - 1, 12)
        return Period(MONTH, self.year, self.number - 1)

    def label(self) -> str:
        if self.kind == QUARTER:
            return _("Q%(quarter)s %(year)s") % {"quarter": self.number, "year": self.year}
        return _("%(year)s-%(month)02d") % {"year": self.year, "month": self.number}

    def __str__(self) -> str:
        return self.label()


def _month_start(year: int, month: int) -> datetime:
    # month may run past 12: the first instant of the following year's month.
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime(year, month, 1, tzinfo=timezone.get_default_timezone())
