"""Match the items of two versions (sections, blocks, lines) and tell which ones moved.

1. Identical items in the same order are anchors (difflib's longest matching blocks).
2. The items left are paired: identical ones first, then the most similar ones of the same kind (a
   reworded step), if at least `threshold` of their words match.
3. A pair that does not fit between its neighbouring anchors, or breaks the order of the pairs between
   them, moved. Renumbering does not matter: the number of a step is not part of its text.

The result is in the newer version's order, with each removed item where it stood in the older one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Protocol

THRESHOLD = 0.5


class Alignable(Protocol):
    @property
    def ident(self) -> str: ...  # equal idents: the same item

    @property
    def kind(self) -> str: ...

    @property
    def words(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Pair:
    old: int | None
    new: int | None
    moved: bool = False


def align(old: Sequence[Alignable], new: Sequence[Alignable], threshold: float = THRESHOLD) -> list[Pair]:
    old_keys, new_keys = [item.ident for item in old], [item.ident for item in new]
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    anchors = [(m.a + k, m.b + k) for m in matcher.get_matching_blocks() for k in range(m.size)]
    anchored_old, anchored_new = {i for i, _ in anchors}, {j for _, j in anchors}
    free_old = [i for i in range(len(old)) if i not in anchored_old]
    free_new = [j for j in range(len(new)) if j not in anchored_new]
    extra = _identical(old_keys, new_keys, free_old, free_new)
    taken_old, taken_new = {i for i, _ in extra}, {j for _, j in extra}
    extra += _similar(
        old,
        new,
        [i for i in free_old if i not in taken_old],
        [j for j in free_new if j not in taken_new],
        threshold,
    )
    moved = _moved(anchors, extra)
    pairs = [Pair(i, j) for i, j in anchors] + [Pair(i, j, (i, j) in moved) for i, j in extra]
    paired_new = {p.new for p in pairs}
    pairs += [Pair(None, j) for j in range(len(new)) if j not in paired_new]
    return _in_order(len(old), pairs)


def _identical(
    old: list[str], new: list[str], free_old: list[int], free_new: list[int]
) -> list[tuple[int, int]]:
    waiting: dict[str, list[int]] = {}
    for i in free_old:
        waiting.setdefault(old[i], []).append(i)
    pairs = []
    for j in free_new:
        if waiting.get(new[j]):
            pairs.append((waiting[new[j]].pop(0), j))
    return pairs


def _similar(
    old: Sequence[Alignable],
    new: Sequence[Alignable],
    free_old: list[int],
    free_new: list[int],
    threshold: float,
) -> list[tuple[int, int]]:
    """The most similar pairs first; among equally similar ones, the closest in position."""
    candidates = []
    matcher: SequenceMatcher[str] = SequenceMatcher(None, autojunk=False)
    for j in free_new:
        if not new[j].words:
            continue
        matcher.set_seq2(new[j].words)  # difflib caches what it learns about the second sequence
        for i in free_old:
            if old[i].kind != new[j].kind or not old[i].words:
                continue
            matcher.set_seq1(old[i].words)
            if matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold:
                ratio = matcher.ratio()
                if ratio >= threshold:
                    candidates.append((-ratio, abs(i - j), j, i))
    pairs, used_old, used_new = [], set(), set()
    for _, _, j, i in sorted(candidates):
        if i not in used_old and j not in used_new:
            pairs.append((i, j))
            used_old.add(i)
            used_new.add(j)
    return pairs


def _moved(anchors: list[tuple[int, int]], extra: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The extra pairs that are out of place between the anchors (which are in order by construction)."""
    anchor_new = [j for _, j in anchors]
    gaps: dict[int, list[tuple[int, int]]] = {}
    moved = set()
    for i, j in extra:
        gap = bisect_left(anchor_new, j)
        low = anchors[gap - 1][0] if gap > 0 else -1
        high = anchors[gap][0] if gap < len(anchors) else 10**9
        if low < i < high:
            gaps.setdefault(gap, []).append((i, j))
        else:
            moved.add((i, j))
    for pairs in gaps.values():
        pairs.sort(key=lambda pair: pair[1])
        kept = _increasing([i for i, _ in pairs])
        moved.update(pair for position, pair in enumerate(pairs) if position not in kept)
    return moved


def _increasing(values: list[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence of `values`."""
    tails: list[int] = []
    tail_positions: list[int] = []
    previous = [-1] * len(values)
    for position, value in enumerate(values):
        k = bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_positions.append(position)
        else:
            tails[k] = value
            tail_positions[k] = position
        previous[position] = tail_positions[k - 1] if k else -1
    kept, position = set(), tail_positions[-1] if tail_positions else -1
    while position >= 0:
        kept.add(position)
        position = previous[position]
    return kept


def _in_order(old_count: int, pairs: list[Pair]) -> list[Pair]:
    paired_old = {p.old for p in pairs}
    removed = [i for i in range(old_count) if i not in paired_old]
    result: list[Pair] = []
    waiting = 0
    for pair in sorted(pairs, key=lambda p: p.new if p.new is not None else -1):
        if pair.old is not None and not pair.moved:
            while waiting < len(removed) and removed[waiting] < pair.old:
                result.append(Pair(removed[waiting], None))
                waiting += 1
        result.append(pair)
    result += [Pair(i, None) for i in removed[waiting:]]
    return result
