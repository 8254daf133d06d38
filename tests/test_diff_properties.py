"""Properties of the diff's building blocks, on generated text: nothing lost, nothing invented."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from soplib.diff.align import align
from soplib.diff.blocks import parse_body
from soplib.diff.compare import compare_sections
from soplib.diff.model import Op, Status
from soplib.diff.words import diff_words, words

WORD = st.sampled_from(["the", "agent", "refund", "72", "hours", "**Check**", "5,000", "MXN", ",", "."])
LINE = st.lists(WORD, max_size=25).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(LINE, LINE)
def test_the_pieces_give_back_both_texts(old: str, new: str) -> None:
    pieces = diff_words(old, new)
    assert words("".join(p.text for p in pieces if p.op is not Op.DELETE)) == words(new)
    assert words("".join(p.text for p in pieces if p.op is not Op.INSERT)) == words(old)
    assert all(p.op is not Op.SAME for p in pieces if p.figure)


STEP = st.sampled_from(
    [
        "**Open the case.** Open the oldest case.",
        "**Check the evidence.** The seller has 72 hours.",
        "**Check the history.** Look for earlier removals.",
        "**Decide.** Overturn when the listing complies.",
        "**Notify.** Send the outcome.",
        "**Close.** Resolve the case.",
    ]
)


def _body(steps: list[str]) -> str:
    return "## Procedure\n\n" + "\n".join(f"{n}. {step}" for n, step in enumerate(steps, 1)) + "\n"


@settings(max_examples=200, deadline=None)
@given(st.lists(STEP, max_size=8), st.lists(STEP, max_size=8))
def test_every_step_of_both_versions_is_shown_once(old: list[str], new: list[str]) -> None:
    names = {"procedure": "procedure"}
    before, after = parse_body(_body(old), names), parse_body(_body(new), names)
    pairs = align(before[0].blocks, after[0].blocks)
    assert sorted(p.old for p in pairs if p.old is not None) == list(range(len(old)))
    assert sorted(p.new for p in pairs if p.new is not None) == list(range(len(new)))
    sections = compare_sections(before, after)
    if sorted(old) == sorted(new):  # the same steps in another order: nothing added or removed
        assert all(b.status is Status.SAME for s in sections for b in s.blocks)
    if old == new:
        assert all(s.status is Status.SAME for s in sections)
