"""Conference mixing: mix, mix-minus and mix-minus over many bridges at once."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ariel.media.mixer import mix, mix_minus, mix_minus_groups

INT16 = st.integers(min_value=-32768, max_value=32767)


def frames_strategy(max_rows: int = 8, max_samples: int = 24) -> st.SearchStrategy[np.ndarray]:
    shape = st.tuples(st.integers(0, max_rows), st.integers(0, max_samples))
    return shape.flatmap(lambda s: hnp.arrays(np.int16, s, elements=INT16))


def naive_mix_minus(frames: npt.NDArray[np.int16]) -> npt.NDArray[np.int16]:
    out = np.zeros(frames.shape, dtype=np.int16)
    for i in range(frames.shape[0]):
        total = np.zeros(frames.shape[1], dtype=np.int64)
        for j in range(frames.shape[0]):
            if j != i:
                total += frames[j]
        out[i] = np.clip(total, -32768, 32767)
    return out


@given(frames_strategy())
def test_mix_minus_matches_the_naive_sum_of_the_others(frames):
    result = mix_minus(frames)
    assert result.dtype == np.int16
    assert np.array_equal(result, naive_mix_minus(frames))


@given(frames_strategy())
def test_mix_is_the_saturated_sum_of_all_rows(frames):
    expected = np.clip(frames.astype(np.int64).sum(axis=0), -32768, 32767)
    result = mix(frames)
    assert result.dtype == np.int16
    assert result.shape == (frames.shape[1],)
    assert np.array_equal(result, expected)


@given(
    st.integers(0, 12).flatmap(
        lambda n: st.tuples(
            hnp.arrays(np.int16, (n, 10), elements=INT16),
            hnp.arrays(np.int64, (n,), elements=st.integers(-3, 3)),
        )
    )
)
def test_grouped_mix_minus_matches_mixing_each_bridge_alone(args):
    frames, groups = args
    result = mix_minus_groups(frames, groups)
    expected = np.zeros(frames.shape, dtype=np.int16)
    for group in set(groups.tolist()):
        rows = np.flatnonzero(groups == group)
        expected[rows] = naive_mix_minus(frames[rows])
    assert result.dtype == np.int16
    assert np.array_equal(result, expected)


def test_mix_minus_saturates_instead_of_wrapping():
    frames = np.array([[30000, -30000], [30000, -30000], [0, 0]], dtype=np.int16)
    result = mix_minus(frames)
    assert result[2].tolist() == [32767, -32768]
    assert result[0].tolist() == [30000, -30000]


def test_saturated_row_does_not_spoil_the_subtraction_for_others():
    # The total is clipped only at the end, so loud talkers still cancel their own audio.
    frames = np.array([[32767], [32767], [-32768]], dtype=np.int16)
    assert mix_minus(frames).ravel().tolist() == [-1, -1, 32767]


def test_lone_participant_hears_silence():
    frames = np.array([[123, -456, 789]], dtype=np.int16)
    assert not np.any(mix_minus(frames))


def test_two_participants_hear_each_other_exactly():
    a = np.arange(160, dtype=np.int16)
    b = -np.arange(160, dtype=np.int16) * 3
    result = mix_minus(np.stack([a, b]))
    assert np.array_equal(result[0], b)
    assert np.array_equal(result[1], a)


def test_mix_of_no_participants_is_silence():
    assert mix(np.zeros((0, 160), dtype=np.int16)).tolist() == [0] * 160


def test_many_participants_use_a_wide_enough_accumulator():
    frames = np.full((70000, 2), 32767, dtype=np.int16)
    frames[:, 1] = -32768
    assert mix(frames).tolist() == [32767, -32768]


def test_groups_keep_bridges_apart_with_sparse_unsorted_labels():
    frames = np.array([[1], [2], [40], [80], [500]], dtype=np.int16)
    groups = np.array([1000, -5, 1000, -5, 42])
    assert mix_minus_groups(frames, groups).ravel().tolist() == [40, 80, 1, 2, 0]


def test_groups_of_many_bridges_of_twenty_mix_in_one_call():
    rng = np.random.default_rng(7)
    frames = rng.integers(-2000, 2000, size=(200 * 20, 160), dtype=np.int16)
    groups = np.repeat(np.arange(200), 20)
    rng.shuffle(groups)
    result = mix_minus_groups(frames, groups)
    first = np.flatnonzero(groups == 0)
    assert np.array_equal(result[first], mix_minus(frames[first]))


def test_empty_group_call_returns_empty():
    result = mix_minus_groups(np.zeros((0, 160), dtype=np.int16), np.zeros(0, dtype=np.int64))
    assert result.shape == (0, 160)


def test_mixing_wrong_shapes_is_refused():
    with pytest.raises(ValueError):
        mix_minus(np.zeros(160, dtype=np.int16))
    with pytest.raises(ValueError):
        mix(np.zeros((2, 2, 2), dtype=np.int16))
    with pytest.raises(ValueError):
        mix_minus_groups(np.zeros((3, 160), dtype=np.int16), np.zeros(2, dtype=np.int64))
    with pytest.raises(ValueError):
        mix_minus_groups(np.zeros((2, 160), dtype=np.int16), np.zeros(2, dtype=np.float64))
