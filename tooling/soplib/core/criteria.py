"""The audit criteria of an SOP file: the scorecard table of its "Quality checks" section.

SMEs write it as a plain table, in the GitHub editor, in each language (column names: translations/
scorecard.yml):

    | check    | step | the auditor looks for                        | scoring         |
    | -------- | ---- | -------------------------------------------- | --------------- |
    | Identity | 1    | both account checks before any order detail  | fatal if missed |
    | Notes    | 7, 8 | complete, correct disposition                | standard        |

A table is the scorecard when its header names the check column. `step` holds the numbers of the steps a
check scores (`3`, `3, 4`, `3-5`); a scoring cell starts with the word that says fatal (a missed check
fails the contact) or standard, and the words after it say when ("if paid to a third party"). Any other
column says what the auditor looks for. Cells are read from the one parse of the dialect, as readers read
them. A criterion is known by its check's name (`Criterion.key`), never by its row or step number, so that
reordering rows or renumbering steps leaves every criterion's id, and a QA tool's past scores, intact.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from soplib.core.dialect import Cell, Document, Table, slug

CHECK, STEP, SCORING = "check", "step", "scoring"
_STEP_PART = re.compile(r"(\d{1,4})(?:\s*[-\u2013]\s*(\d{1,4}))?")
_JOINERS = re.compile(r"(?:[\s,;/&+]|\b(?:and|y|e)\b)+", re.IGNORECASE)


def fold(text: str) -> str:
    """Text compared as an SME may type it: any case, with or without accents."""
    decomposed = unicodedata.normalize("NFKD", " ".join(text.split()).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True)
class Terms:
    """Column names and scoring words per language, as written in translations/scorecard.yml."""

    columns: dict[str, dict[str, list[str]]]  # check | step | scoring -> language -> names
    scoring: dict[str, dict[str, list[str]]]  # fatal | standard -> language -> words

    def column(self, text: str, lang: str) -> str | None:
        folded = fold(text)
        return next((k for k, names in self.columns.items() if folded in map(fold, names[lang])), None)

    def name(self, key: str, lang: str) -> str:
        return self.columns[key][lang][0]

    def word(self, key: str, lang: str) -> str:
        return self.scoring[key][lang][0]


@dataclass(frozen=True)
class Criterion:
    key: str  # the slug of its check's name; with the SOP id, the criterion's id
    name: str
    steps: tuple[int, ...]
    fatal: bool
    looks_for: str
    condition: str  # the scoring cell after its first word: "if missed"
    line: int
    step_cell: Cell


@dataclass(frozen=True)
class Problem:
    rule: str
    line: int
    column: int
    message: str
    hint: str


@dataclass(frozen=True)
class Scorecard:
    criteria: tuple[Criterion, ...] = ()
    problems: tuple[Problem, ...] = ()
    found: bool = False  # the file has a scorecard table


def read(document: Document, lang: str, section: str, terms: Terms) -> Scorecard:
    """The scorecard tables of the section named `section` (Quality checks, in the file's language)."""
    heading = next((h for h in document.headings if h.top and h.level == 2 and h.text == section), None)
    if heading is None:
        return Scorecard()
    following = [h.line for h in document.headings if h.top and h.level <= 2 and h.line > heading.line]
    end = following[0] if following else 10**12
    criteria: list[Criterion] = []
    problems: list[Problem] = []
    found = False
    for table in document.tables:
        columns = [terms.column(cell.text, lang) for cell in table.header]
        if heading.line < table.line < end and CHECK in columns:
            found = True
            _table(table, columns, lang, terms, criteria, problems)
    return Scorecard(tuple(criteria), tuple(problems), found)


def _table(
    table: Table,
    columns: list[str | None],
    lang: str,
    terms: Terms,
    criteria: list[Criterion],
    problems: list[Problem],
) -> None:
    missing = [key for key in (STEP, SCORING) if key not in columns]
    if missing:
        names = ", ".join(f"'{terms.name(key, lang)}'" for key in missing)
        header = " | ".join(cell.text for cell in table.header)
        problems.append(
            Problem(
                "scorecard-columns",
                table.line,
                1,
                f"the scorecard table has no {names} column",
                f"write the header as | {header} | {' | '.join(terms.name(k, lang) for k in missing)} |: "
                "the step each check scores, and whether missing it is fatal",
            )
        )
        return
    where = {key: columns.index(key) for key in (CHECK, STEP, SCORING)}
    other = next((i for i, key in enumerate(columns) if key is None), None)
    for row in table.rows:
        cell = {key: row[i] if i < len(row) else Cell("", table.line, 1) for key, i in where.items()}
        steps = _steps(cell[STEP], cell[CHECK].text, problems)
        fatal, condition = _scoring(cell[SCORING], lang, terms, problems)
        looks_for = row[other].text if other is not None and other < len(row) else ""
        name = cell[CHECK].text
        if not name:
            hint = f"name the check in the '{terms.name(CHECK, lang)}' column: its name is the criterion's id"
            problems.append(Problem("scorecard-check", cell[CHECK].line, 1, "a check without a name", hint))
            continue
        line = cell[CHECK].line
        criteria.append(Criterion(slug(name), name, steps, fatal, looks_for, condition, line, cell[STEP]))


def _steps(cell: Cell, check: str, problems: list[Problem]) -> tuple[int, ...]:
    """`3`, `3, 4`, `3-5`: the steps a check scores; a problem when it names none or is not numbers."""
    found: list[int] = []
    for match in _STEP_PART.finditer(cell.text):
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        found.extend(range(first, last + 1) if first <= last else (first, last))
    rest = _JOINERS.sub("", _STEP_PART.sub("", cell.text))
    if not found or rest:
        what = "points at no step" if not cell.text else f"has '{cell.text}' for its step"
        problems.append(
            Problem(
                "scorecard-step",
                cell.line,
                cell.column,
                f"check '{check}' {what}",
                "write the number of the step it scores, e.g. 4, or several: 3, 4 or 3-5",
            )
        )
    return tuple(dict.fromkeys(found))


def _scoring(cell: Cell, lang: str, terms: Terms, problems: list[Problem]) -> tuple[bool, str]:
    first, _, rest = cell.text.partition(" ")
    word = fold(first.rstrip(",;:.-\u2013"))
    for key in ("fatal", "standard"):
        if word in map(fold, terms.scoring[key][lang]):
            return key == "fatal", rest.strip(" ,;:-\u2013")
    fatal, standard = terms.word("fatal", lang), terms.word("standard", lang)
    problems.append(
        Problem(
            "scorecard-scoring",
            cell.line,
            cell.column,
            f"the scoring '{cell.text}' is neither {fatal} nor {standard}",
            f"start it with '{fatal}' (missing the check fails the contact, e.g. '{fatal} if missed') "
            f"or '{standard}'",
        )
    )
    return False, cell.text
