"""Latency figures every benchmark prints the same way. No Django here: a benchmark that only
drives a running server over HTTP uses these without setting Django up in its own process."""

from __future__ import annotations

import statistics


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))
    return ordered[index]


def describe(samples_ms: list[float], decimals: int = 2) -> str:
    if not samples_ms:
        return "no samples"
    return (
        f"p50 {statistics.median(samples_ms):.{decimals}f} ms, "
        f"p95 {percentile(samples_ms, 0.95):.{decimals}f} ms, "
        f"p99 {percentile(samples_ms, 0.99):.{decimals}f} ms"
    )
