"""One homotopy batch across support shapes (padding) gives each system's own roots and path count."""

from __future__ import annotations

import numpy as np

from otr_theory.games.homotopy import (
    mh_bezout,
    solve_padded_systems,
    solve_support_system,
)


def _random_tensors(rng, sizes):
    m = len(sizes)
    return [rng.integers(-9, 10, size=(sizes[p] - 1, *[sizes[q] for q in range(m) if q != p])).astype(float) for p in range(m)]


def _key(root):
    return tuple(np.round(np.concatenate(root), 6))


def test_padded_batch_matches_each_system_alone():
    rng = np.random.default_rng(5)
    shapes = [(2, 2, 2), (3, 2, 2), (2, 3, 3), (3, 3, 2), (4, 3, 2)]
    systems = [(s, _random_tensors(rng, s)) for s in shapes]
    batch = solve_padded_systems(systems, seed=1)
    for (sizes, tens), r in zip(systems, batch, strict=True):
        alone = solve_support_system(tens, sizes, seed=9)
        assert r.ok and alone.ok
        assert r.paths == alone.paths == mh_bezout([k - 1 for k in sizes])
        assert [len(v) for v in r.roots[0]] == list(sizes)
        assert sorted(map(_key, r.roots)) == sorted(map(_key, alone.roots))
        # independent check: each root solves its own (unpadded) system
        for root in r.roots:
            for p, d in enumerate(tens):
                v = d
                for vec in reversed([root[q] for q in range(len(sizes)) if q != p]):
                    v = v @ vec
                assert np.max(np.abs(v)) < 1e-8


def test_a_group_that_does_not_mix_is_padded_to_its_one_strategy():
    """A system where group 3 plays one strategy (size 1) in a batch where it mixes elsewhere:
    the same roots as the two-group system without it, which is linear (one root)."""
    rng = np.random.default_rng(2)
    t3 = _random_tensors(rng, (2, 2, 2))
    t2 = [np.asarray(rng.integers(-9, 10, size=(1, 2, 1)), dtype=float), np.asarray(rng.integers(-9, 10, size=(1, 2, 1)), dtype=float), np.zeros((0, 2, 2))]
    r = solve_padded_systems([((2, 2, 2), t3), ((2, 2, 1), t2)], seed=3)
    assert r[1].ok and r[1].paths == 1
    (root,) = r[1].roots
    a, b = root[0], root[1]
    assert abs(t2[0][0, :, 0] @ b) < 1e-10 and abs(t2[1][0, :, 0] @ a) < 1e-10
    assert np.allclose(root[2], [1.0])
