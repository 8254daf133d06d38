"""The audit criteria a change added, removed or altered, for calibration packs and knowledge checks.

Criteria are matched by id (soplib.audit.forms), so a reordered scorecard is no change. A criterion's steps
changed only when they are other steps, not when the same steps were renumbered: the diff's alignment of
the procedure says which old step each new one is.
"""

from __future__ import annotations

from dataclasses import dataclass

from soplib.audit.forms import Form, Item, Readings, read_form
from soplib.core.state import SopState
from soplib.diff.blocks import STEP
from soplib.diff.model import SopDiff


@dataclass(frozen=True)
class CriterionChange:
    id: str
    name: str  # in the newer version's words (the older one's when removed)
    status: str  # added | removed | changed
    fatal: bool  # now (before, when removed)
    was_fatal: bool | None  # None: the criterion is new
    steps: tuple[int, ...]  # now (before, when removed)
    old_steps: tuple[int, ...] = ()  # before, when the criterion scores other steps now
    reworded: bool = False  # its check, what the auditor looks for or its scoring words changed

    @property
    def newly_fatal(self) -> bool:
        return self.fatal and self.status != "removed" and self.was_fatal is not True


def criteria_changes(
    readings: Readings, state: SopState, lang: str, old: str | None, new: str, diff: SopDiff | None
) -> tuple[CriterionChange, ...]:
    """What changed in the audit criteria from version `old` (None: none, a new SOP) to `new`, in `lang`."""
    after = read_form(readings, state, lang, new)
    before = read_form(readings, state, lang, old) if old else None
    if after is None or (old and before is None):
        return ()  # a text older than the git history: nothing to compare
    return tuple(_compare(before, after, _renumbered(diff)))


def _compare(before: Form | None, after: Form, renumbered: dict[int, int]) -> list[CriterionChange]:
    old = {item.id: item for item in before.items} if before else {}
    found = []
    for item in after.items:
        past = old.pop(item.id, None)
        if past is None:
            found.append(CriterionChange(item.id, item.name, "added", item.fatal, None, item.steps))
            continue
        moved = tuple(renumbered.get(step, -step) for step in past.steps) != item.steps
        reworded = _words(past) != _words(item) and before is not None and before.lang == after.lang
        if moved or reworded or past.fatal != item.fatal:
            old_steps = past.steps if moved else ()
            found.append(
                CriterionChange(
                    item.id, item.name, "changed", item.fatal, past.fatal, item.steps, old_steps, reworded
                )
            )
    found += [
        CriterionChange(item.id, item.name, "removed", item.fatal, item.fatal, item.steps)
        for item in old.values()
    ]
    return found


def _words(item: Item) -> tuple[str, str, str]:
    return item.name, item.looks_for, item.condition


def _renumbered(diff: SopDiff | None) -> dict[int, int]:
    """Old step number -> new step number, for the steps of the procedure found in both versions."""
    found: dict[int, int] = {}
    for section in diff.sections if diff else ():
        if section.key != "procedure":
            continue
        for block in section.blocks:
            if block.kind == STEP and block.old_number is not None and block.new_number is not None:
                found[block.old_number] = block.new_number
    return found
