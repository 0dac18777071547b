"""Call-progress tones (indications) as Asterisk's ``playtones`` generator makes them.

Theory of operation: a tone is a list of parts such as ``440+480/2000,0/4000`` (ring) or
``!350+440/100,!0/100,350+440`` (stutter dial tone). Each part is one or two sine waves played for
``duration_ms`` (``None`` or 0: until stopped). Like ``ast_playtones_start``, the list plays from
the top once and then repeats from the first part *without* the ``!`` prefix to the end; if every
part has ``!`` the tone plays once and the generator is :attr:`~ToneGenerator.finished`. (A ``!``
part placed after the first repeating part is inside the repeated stretch, as in Asterisk.)

Levels follow Asterisk: each sine has amplitude 7219 (the ``vol`` that ``playtones`` defaults to,
about -13 dBm0 per tone), so a dual tone peaks near 14438. A ``*`` part amplitude-modulates
``freq1`` by ``freq2`` the way ``playtones_generator`` does: the carrier is scaled by
``0.9 * |s2 - 32768| / 32768``, i.e. about 90 % level with a modulation depth of ``vol/32768``.

Unlike Asterisk, which switches parts only at frame boundaries and restarts both oscillators at
every part, parts here end on the exact sample, and the phase of a frequency carries over from one
part to the next when the next part uses the same frequency (and across :meth:`read` calls), so
``425/200,425+400/200`` has no discontinuity. A new frequency starts at phase 0 (sample value 0),
as Asterisk's oscillators do. Each :meth:`~ToneGenerator.read` renders whole stretches with numpy;
the only Python loop is over the parts a call spans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["DEFAULT_VOLUME", "ToneGenerator", "TonePartLike", "ToneSegment"]

DEFAULT_VOLUME = 7219
"""Peak amplitude of each sine, Asterisk's ``playtones`` default (``d.vol = 7219``)."""


class TonePartLike(Protocol):
    """One part of a tone list (``ariel.config.indications.TonePart`` has this shape)."""

    @property
    def freq1(self) -> int:
        """First frequency in Hz; 0 is silence."""
        ...

    @property
    def freq2(self) -> int:
        """Second frequency in Hz; 0 if none."""
        ...

    @property
    def modulate(self) -> bool:
        """Whether ``freq1`` is modulated by ``freq2`` instead of mixed with it."""
        ...

    @property
    def duration_ms(self) -> int | None:
        """Length of the part; ``None`` (or 0) lasts until the generator is stopped."""
        ...

    @property
    def once(self) -> bool:
        """Whether the part is played once at the start (``!``) rather than repeated."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class ToneSegment:
    """A plain :class:`TonePartLike`, for tones built in code (DTMF, tests)."""

    freq1: int
    freq2: int = 0
    modulate: bool = False
    duration_ms: int | None = None
    once: bool = False


@dataclass(frozen=True, slots=True)
class _Plan:
    freq1: float
    freq2: float
    modulate: bool
    length: int | None  # samples; None lasts forever


class ToneGenerator:
    """Endless audio for a tone list, read in frames.

    Args:
        parts: The tone's parts, in order; at least one.
        rate: Sample rate in Hz.
        volume: Peak amplitude of each sine (Asterisk's default 7219).

    Raises:
        ValueError: No parts, a non-positive rate, or a negative frequency or duration.

    >>> gen = ToneGenerator([ToneSegment(freq1=440, freq2=480, duration_ms=2000)])
    >>> frame = gen.read(160)
    >>> frame.dtype, frame.shape, int(frame[0])
    (dtype('int16'), (160,), 0)
    """

    def __init__(
        self, parts: Sequence[TonePartLike], rate: int = 8000, *, volume: int = DEFAULT_VOLUME
    ) -> None:
        if not parts:
            raise ValueError("a tone needs at least one part")
        if rate <= 0:
            raise ValueError(f"sample rate must be positive, not {rate}")
        plans: list[_Plan] = []
        for part in parts:
            if part.freq1 < 0 or part.freq2 < 0:
                raise ValueError(f"negative frequency in tone part {part!r}")
            if part.duration_ms is not None and part.duration_ms < 0:
                raise ValueError(f"negative duration in tone part {part!r}")
            length: int | None = None
            if part.duration_ms:  # None and 0 both mean "until stopped", as in Asterisk
                length = max(1, round(part.duration_ms * rate / 1000))
            plans.append(_Plan(float(part.freq1), float(part.freq2), bool(part.modulate), length))
        self._plans = plans
        self._repeat_from = next((i for i, p in enumerate(parts) if not p.once), None)
        self._rate = rate
        self._volume = float(volume)
        self._index = 0
        self._pos = 0  # samples already played of the current part
        self._phase1 = 0.0  # oscillator phases, in cycles, in [0, 1)
        self._phase2 = 0.0
        self._finished = False

    @property
    def rate(self) -> int:
        """The sample rate in Hz."""
        return self._rate

    @property
    def finished(self) -> bool:
        """True once a tone made only of ``!`` parts has played them all."""
        return self._finished

    def read(self, n: int) -> npt.NDArray[np.int16]:
        """The next ``n`` samples; silence once the tone has :attr:`finished`.

        Raises:
            ValueError: ``n`` is negative.
        """
        if n < 0:
            raise ValueError(f"cannot read {n} samples")
        out = np.zeros(n, dtype=np.float64)
        filled = 0
        while filled < n and not self._finished:
            plan = self._plans[self._index]
            take = n - filled
            if plan.length is not None:
                take = min(take, plan.length - self._pos)
            out[filled : filled + take] = self._render(plan, take)
            filled += take
            self._pos += take
            if plan.length is not None and self._pos >= plan.length:
                self._advance(plan)
        return np.clip(np.rint(out), -32768, 32767).astype(np.int16)

    def _render(self, plan: _Plan, count: int) -> npt.NDArray[np.float64]:
        steps = np.arange(count, dtype=np.float64)
        s1 = self._oscillate(plan.freq1, self._phase1, steps)
        s2 = self._oscillate(plan.freq2, self._phase2, steps)
        self._phase1 = (self._phase1 + plan.freq1 * count / self._rate) % 1.0
        self._phase2 = (self._phase2 + plan.freq2 * count / self._rate) % 1.0
        if plan.modulate:
            # playtones_generator: p = |v3_2 - 32768| * 9 / 10 + 1; out = v3_1 * p >> 15
            return s1 * (np.abs(s2 - 32768.0) * 0.9 + 1.0) / 32768.0
        return s1 + s2

    def _oscillate(
        self, freq: float, phase: float, steps: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.float64]:
        if freq == 0.0:
            return np.zeros(len(steps), dtype=np.float64)
        cycles = phase + steps * (freq / self._rate)
        return self._volume * np.sin(2.0 * np.pi * cycles)

    def _advance(self, old: _Plan) -> None:
        self._pos = 0
        self._index += 1
        if self._index >= len(self._plans):
            if self._repeat_from is None:
                self._finished = True
                return
            self._index = self._repeat_from
        new = self._plans[self._index]
        carried = {old.freq1: self._phase1, old.freq2: self._phase2}
        self._phase1 = carried.get(new.freq1, 0.0) if new.freq1 else 0.0
        self._phase2 = carried.get(new.freq2, 0.0) if new.freq2 else 0.0
