"""Metrics in the Prometheus text exposition format (version 0.0.4), stdlib only.

Theory of operation: counters and histograms are kept here, updated where
things happen (a REST request ends); everything that is a fact of the live
server (channels by state, RTP totals) is read at scrape time by collectors,
functions returning :class:`Family` objects. :meth:`Registry.render` writes
``# HELP``/``# TYPE`` then the samples of every family, sorted by name.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["CONTENT_TYPE", "Counter", "Family", "Histogram", "Registry", "Sample"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

#: Seconds: REST latency buckets (1 ms .. 10 s).
DEFAULT_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass(frozen=True, slots=True)
class Sample:
    """One line: ``name{labels} value`` (``suffix`` is appended to the family name)."""

    labels: Mapping[str, str]
    value: float
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class Family:
    """A metric family: its name, type (``counter``, ``gauge``, ``histogram``), help, samples."""

    name: str
    kind: str
    help: str
    samples: Sequence[Sample] = ()


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if math.isnan(value):
        return "NaN"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def format_family(family: Family) -> str:
    """One family as exposition text."""
    lines = [
        f"# HELP {family.name} {family.help.replace(chr(92), chr(92) * 2)}",
        f"# TYPE {family.name} {family.kind}",
    ]
    for sample in family.samples:
        labels = ",".join(f'{k}="{_escape(v)}"' for k, v in sample.labels.items())
        braces = f"{{{labels}}}" if labels else ""
        lines.append(f"{family.name}{sample.suffix}{braces} {_number(sample.value)}")
    return "\n".join(lines) + "\n"


@dataclass(slots=True)
class Counter:
    """A counter per label combination."""

    name: str
    help: str
    labelnames: tuple[str, ...] = ()
    _values: dict[tuple[str, ...], float] = field(default_factory=dict)

    def inc(self, *labels: str, amount: float = 1.0) -> None:
        """Add ``amount`` to the counter of ``labels`` (in ``labelnames`` order)."""
        self._values[labels] = self._values.get(labels, 0.0) + amount

    def value(self, *labels: str) -> float:
        """The current count of ``labels``."""
        return self._values.get(labels, 0.0)

    def collect(self) -> Family:
        samples = [
            Sample(dict(zip(self.labelnames, key, strict=True)), value)
            for key, value in sorted(self._values.items())
        ]
        return Family(self.name, "counter", self.help, samples)


@dataclass(slots=True)
class Histogram:
    """A histogram (cumulative buckets, sum, count) per label combination."""

    name: str
    help: str
    labelnames: tuple[str, ...] = ()
    buckets: tuple[float, ...] = DEFAULT_BUCKETS
    _series: dict[tuple[str, ...], tuple[list[int], list[float]]] = field(default_factory=dict)

    def observe(self, value: float, *labels: str) -> None:
        """Record one observation of ``labels``."""
        series = self._series.get(labels)
        if series is None:
            series = ([0] * (len(self.buckets) + 1), [0.0])
            self._series[labels] = series
        counts, total = series
        counts[bisect.bisect_left(self.buckets, value)] += 1
        total[0] += value

    def collect(self) -> Family:
        samples: list[Sample] = []
        for key, (counts, total) in sorted(self._series.items()):
            base = dict(zip(self.labelnames, key, strict=True))
            running = 0
            for bound, count in zip((*self.buckets, math.inf), counts, strict=True):
                running += count
                samples.append(Sample({**base, "le": _number(bound)}, running, "_bucket"))
            samples.append(Sample(base, total[0], "_sum"))
            samples.append(Sample(base, running, "_count"))
        return Family(self.name, "histogram", self.help, samples)


Collector = Callable[[], Iterable[Family]]


class Registry:
    """The metrics of one server."""

    def __init__(self) -> None:
        self._own: list[Counter | Histogram] = []
        self._collectors: list[Collector] = []

    def counter(self, name: str, help: str, labelnames: Sequence[str] = ()) -> Counter:
        """A new counter kept here."""
        counter = Counter(name, help, tuple(labelnames))
        self._own.append(counter)
        return counter

    def histogram(
        self,
        name: str,
        help: str,
        labelnames: Sequence[str] = (),
        buckets: Sequence[float] = DEFAULT_BUCKETS,
    ) -> Histogram:
        """A new histogram kept here."""
        histogram = Histogram(name, help, tuple(labelnames), tuple(sorted(buckets)))
        self._own.append(histogram)
        return histogram

    def add_collector(self, collector: Collector) -> None:
        """Read ``collector``'s families at every scrape."""
        self._collectors.append(collector)

    def families(self) -> list[Family]:
        """Every family now, sorted by name."""
        found = [metric.collect() for metric in self._own]
        for collector in self._collectors:
            found.extend(collector())
        return sorted(found, key=lambda f: f.name)

    def render(self) -> str:
        """The exposition text of every family."""
        return "".join(format_family(f) for f in self.families())
