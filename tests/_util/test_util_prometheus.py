"""The Prometheus text format: counters, histograms, collectors, escaping."""

from __future__ import annotations

from ariel._util.prometheus import Family, Registry, Sample


def test_counters_render_help_type_and_labelled_samples() -> None:
    registry = Registry()
    requests = registry.counter("x_requests_total", "Requests.", ("operation", "status"))
    requests.inc("channels.list", "200")
    requests.inc("channels.list", "200")
    requests.inc("channels.get", "404")
    assert registry.render() == (
        "# HELP x_requests_total Requests.\n"
        "# TYPE x_requests_total counter\n"
        'x_requests_total{operation="channels.get",status="404"} 1\n'
        'x_requests_total{operation="channels.list",status="200"} 2\n'
    )


def test_histograms_are_cumulative_with_sum_and_count() -> None:
    registry = Registry()
    latency = registry.histogram("x_seconds", "Latency.", ("op",), buckets=(0.1, 1.0))
    latency.observe(0.05, "a")
    latency.observe(0.5, "a")
    latency.observe(5.0, "a")
    lines = registry.render().splitlines()
    assert lines[2:] == [
        'x_seconds_bucket{op="a",le="0.1"} 1',
        'x_seconds_bucket{op="a",le="1"} 2',
        'x_seconds_bucket{op="a",le="+Inf"} 3',
        'x_seconds_sum{op="a"} 5.55',
        'x_seconds_count{op="a"} 3',
    ]


def test_collectors_are_read_at_each_scrape_and_label_values_escaped() -> None:
    registry = Registry()
    value = [1]
    registry.add_collector(
        lambda: [Family("x_live", "gauge", "Live.", [Sample({"app": 'a"b\\c'}, value[0])])]
    )
    assert 'x_live{app="a\\"b\\\\c"} 1\n' in registry.render()
    value[0] = 7
    assert 'x_live{app="a\\"b\\\\c"} 7\n' in registry.render()
