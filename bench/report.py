"""Printing figures the same way in every benchmark."""

import statistics


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p95 of 50 samples is the 48th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil without math
    return ordered[int(rank) - 1]


def latency_line(label: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"{label:<44} median {statistics.median(ms):7.1f} ms   p95 {percentile(ms, 0.95):7.1f} ms"
        f"   max {max(ms):7.1f} ms   (n={len(ms)})"
    )


def heading(text: str) -> None:
    print(f"\n== {text} ==", flush=True)
