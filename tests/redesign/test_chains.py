"""Chains of one-to-one links found by pointer jumping are the chains a walk from each head finds."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from approvals.redesign.rules import linked_runs


def walked(src: list[int], dst: list[int]) -> list[tuple[int, ...]]:
    following = dict(zip(src, dst, strict=True))
    chains = []
    for head in sorted(set(src) - set(dst)):
        chain = [head]
        while chain[-1] in following:
            chain.append(following[chain[-1]])
        chains.append(tuple(chain))
    return chains


@given(st.permutations(list(range(40))), st.integers(0, 39), st.lists(st.integers(1, 6), max_size=12))
def test_pointer_jumping_finds_the_chains_a_walk_finds(order, cut, lengths) -> None:  # type: ignore[no-untyped-def]
    # ids cut into runs of the given lengths; each run is a chain, or a cycle when it is the cut one
    src, dst, at = [], [], 0
    for n, length in enumerate(lengths):
        run = order[at : at + length + 1]
        at += length + 1
        if len(run) < 2:
            continue
        src += run[:-1]
        dst += run[1:]
        if n == cut % max(len(lengths), 1):  # close this one into a cycle: no head, no chain
            src.append(run[-1])
            dst.append(run[0])
    expected = walked(src, dst)
    assert linked_runs(np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)) == expected


def test_no_links_no_chains() -> None:
    assert linked_runs(np.array([], dtype=np.int64), np.array([], dtype=np.int64)) == []
