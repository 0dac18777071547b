"""N-party audio mixing for conference bridges: everyone hears everyone but themselves.

Theory of operation: a softmix bridge takes one frame (e.g. 160 samples, 20 ms) from each
participant per tick and sends each participant the sum of the *others* ("mix-minus", so nobody
hears their own echo). Summing ``n - 1`` rows for each of ``n`` participants is O(n²); instead the
total of all rows is computed once in a wider integer type and each participant's own row is
subtracted from it, which is O(n) and exact because integer addition is. The result is then
saturated to int16 (clipped, not wrapped), as Asterisk's softmix does with its saturating adds.

:func:`mix_minus_groups` does the same for many bridges in one call: the rows of all bridges are
stacked, labelled with their bridge, sorted by label and summed per run with ``np.add.reduceat``;
each row then gets its group's total minus itself. There is no Python loop over bridges.

Participants who sent nothing this tick are the caller's business: pass a row of zeros.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["mix", "mix_minus", "mix_minus_groups"]

_INT16_MIN = -32768
_INT16_MAX = 32767
# int32 holds the sum of up to 65536 int16 rows exactly (65536 * -32768 == -2**31).
_INT32_SAFE_ROWS = 65536


def _accumulator(rows: int) -> type[np.int32] | type[np.int64]:
    return np.int32 if rows <= _INT32_SAFE_ROWS else np.int64


def _check_frames(frames: npt.NDArray[np.int16]) -> None:
    if frames.ndim != 2:
        raise ValueError(f"frames must be 2-D (participants, samples), not {frames.shape}")
    if not np.issubdtype(frames.dtype, np.integer):
        raise ValueError(f"frames must hold integer samples, not {frames.dtype}")


def _saturate(values: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.int16]:
    clipped: npt.NDArray[np.integer[Any]] = np.clip(values, _INT16_MIN, _INT16_MAX)
    return clipped.astype(np.int16)


def mix(frames: npt.NDArray[np.int16]) -> npt.NDArray[np.int16]:
    """The saturated sum of all rows (what a recorder or a listener of the bridge hears).

    Args:
        frames: ``(participants, samples)`` int16 audio, one row per participant.

    Returns:
        One ``(samples,)`` int16 row; zeros when there are no participants.

    Raises:
        ValueError: ``frames`` is not a 2-D integer array.

    >>> mix(np.array([[30000, -5], [10000, 5]], dtype=np.int16)).tolist()
    [32767, 0]
    """
    _check_frames(frames)
    total = frames.sum(axis=0, dtype=_accumulator(frames.shape[0]))
    return _saturate(total)


def mix_minus(frames: npt.NDArray[np.int16]) -> npt.NDArray[np.int16]:
    """For each participant, the saturated sum of everyone else's audio.

    Args:
        frames: ``(participants, samples)`` int16 audio, one row per participant.

    Returns:
        An array of the same shape: row ``i`` is the sum of all rows but ``i``.

    Raises:
        ValueError: ``frames`` is not a 2-D integer array.

    >>> mix_minus(np.array([[1, 2], [10, 20], [100, 200]], dtype=np.int16)).tolist()
    [[110, 220], [101, 202], [11, 22]]
    """
    _check_frames(frames)
    acc = _accumulator(frames.shape[0])
    wide = frames.astype(acc)
    total = wide.sum(axis=0, dtype=acc)
    return _saturate(total[np.newaxis, :] - wide)


def mix_minus_groups(
    frames: npt.NDArray[np.int16], group_ids: npt.NDArray[np.integer[Any]]
) -> npt.NDArray[np.int16]:
    """Mix-minus for many bridges at once.

    Args:
        frames: ``(rows, samples)`` int16 audio of every participant of every bridge.
        group_ids: ``(rows,)`` integer labels; rows with equal labels are in the same bridge.
            Labels need not be contiguous or sorted.

    Returns:
        An array shaped like ``frames``: row ``i`` is the saturated sum of the rows of its
        bridge except row ``i`` itself.

    Raises:
        ValueError: Bad shapes or dtypes.

    >>> f = np.array([[1], [2], [40], [80]], dtype=np.int16)
    >>> mix_minus_groups(f, np.array([7, 3, 7, 3])).ravel().tolist()
    [40, 80, 1, 2]
    """
    _check_frames(frames)
    ids = np.asarray(group_ids)
    if ids.shape != (frames.shape[0],):
        raise ValueError(f"group_ids must have shape ({frames.shape[0]},), not {ids.shape}")
    if not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"group_ids must be integers, not {ids.dtype}")
    if frames.shape[0] == 0:
        return np.zeros(frames.shape, dtype=np.int16)
    _, inverse = np.unique(ids, return_inverse=True)
    inverse = inverse.reshape(-1)
    largest = int(np.bincount(inverse).max())
    acc = _accumulator(largest)
    wide = frames.astype(acc)
    order = np.argsort(inverse, kind="stable")
    sorted_labels = inverse[order]
    starts = np.concatenate(([0], np.flatnonzero(np.diff(sorted_labels)) + 1))
    totals = np.add.reduceat(wide[order], starts, axis=0)  # one row per label, in label order
    return _saturate(totals[inverse] - wide)
