"""Dates typed on the command line: YYYY-MM-DD only, and a plain answer for every other way of writing one.

Trainers in Mexico and Brazil write 01/09/2026 for 1 September; git would read it as a branch name and
suggest fetching it. Whatever looks like a date in another format is answered with the format to use and,
when it reads unambiguously as day/month/year, the date in that format.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from babel.dates import format_date, get_month_names

from soplib.core.errors import SopError
from soplib.core.words import fold as _plain

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# Numeric dates in other formats; checked only once git has said the text is none of its references.
_DAY_FIRST = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{2}|\d{4}))?$")  # 01/09/2026, 1-9-2026, 01.09
_YEAR_FIRST = re.compile(r"^(\d{4})([/.-])(\d{1,2})\2(\d{1,2})$")  # 2026/09/01, 2026.9.1, 2026-9-1
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")  # 20260901
_WORDS = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"\d+")
# Words of relative dates in the library's languages, without accents: "last month", "ayer", "há 2 semanas".
_RELATIVE = set(
    "yesterday today tomorrow ago day days week weeks month months year years fortnight "
    "ayer hoy manana anteayer dia dias semana semanas mes meses ano anos "
    "ontem hoje amanha anteontem mes meses".split()
)
EXAMPLE = date(2026, 9, 1)


def ask_for_iso(meant: date | None = None) -> SopError:
    """The one answer to a date in another format; `meant` is the date it reads as, when it is clear."""
    day = meant or EXAMPLE
    return SopError(f"write dates as YYYY-MM-DD (for {format_date(day, 'd MMMM y', locale='en')}: {day})")


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _no_such_day(option: str, text: str, year: int, month: int) -> SopError:
    if not 1 <= month <= 12:
        return SopError(f"{option} {text}: there is no month {month:02d} (YYYY-MM-DD: months are 01 to 12)")
    last = calendar.monthrange(year, month)[1]
    named = format_date(date(year, month, 1), "MMMM y", locale="en")
    return SopError(f"{option} {text}: there is no such day ({named} has {last} days)")


def iso_date(option: str, text: str) -> str | None:
    """`text` if it is a YYYY-MM-DD date, None if it is not written so; a day that does not exist
    (2026-02-30) raises."""
    found = _ISO.match(text)
    if found is None:
        return None
    year, month, day = map(int, found.groups())
    if _date(year, month, day) is None:
        raise _no_such_day(option, text, year, month)
    return text


def reject_other_formats(text: str, languages: list[str]) -> None:
    """Raise the plain answer if `text`, which git does not know, reads as a date: 01/09/2026, 1-9-2026,
    01.09.2026, 2026/09/01, 20260901, "last month", "ayer", "1 de setembro de 2026"."""
    if (found := _DAY_FIRST.match(text)) and (found[4] or found[2] == "/"):  # 1.2 may be a version
        day, month, year = (int(part) if part else 0 for part in found.group(1, 3, 4))
        raise ask_for_iso(_date(year, month, day) if year >= 1000 else None)
    if found := _YEAR_FIRST.match(text):
        raise ask_for_iso(_date(*map(int, found.group(1, 3, 4))))
    if found := _COMPACT.match(text):
        raise ask_for_iso(_date(*map(int, found.groups())))
    words = [_plain(word) for word in _WORDS.findall(text)]
    if any(word in _RELATIVE for word in words):
        raise ask_for_iso()
    months = _month_numbers(languages)
    named = [months[word] for word in words if word in months]
    numbers = [int(number) for number in _DIGITS.findall(text)]
    if named and numbers:
        days, years = [n for n in numbers if 1 <= n <= 31], [n for n in numbers if n >= 1000]
        meant = _date(years[0], named[0], days[0]) if len(named) == len(days) == len(years) == 1 else None
        raise ask_for_iso(meant)


def _month_numbers(languages: list[str]) -> dict[str, int]:
    """Month names and their abbreviations in the library's languages ('setembro', 'sept', 'sep' -> 9)."""
    names: dict[str, int] = {}
    for lang in languages:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=lang).items():
                plain = _plain(name).rstrip(".")
                names[plain] = names[plain[:3]] = number
    return names
