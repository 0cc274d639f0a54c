"""The Pareto front of accuracy (higher is better) against latency (lower is better)."""

from __future__ import annotations

from collections.abc import Sequence

from carvoice.bench.report.schema import MatrixPoint


def pareto_front(points: Sequence[tuple[float, float]]) -> list[bool]:
    """For each (accuracy, latency), whether no other point is at least as good on both and better on one."""
    return [not any(_dominates(other, point) for other in points) for point in points]


def mark_pareto(points: Sequence[MatrixPoint]) -> list[MatrixPoint]:
    """The points with `pareto` set, each compared only with points of the same kind and condition."""
    marked: dict[int, MatrixPoint] = {}
    groups: dict[tuple[str, str], list[int]] = {}
    for index, point in enumerate(points):
        groups.setdefault((point.kind, point.condition), []).append(index)
    for members in groups.values():
        front = pareto_front([(points[i].accuracy, points[i].latency_p50_s) for i in members])
        for index, on_front in zip(members, front, strict=True):
            marked[index] = points[index].model_copy(update={"pareto": on_front})
    return [marked[index] for index in range(len(points))]


def _dominates(a: tuple[float, float], b: tuple[float, float]) -> bool:
    (accuracy_a, latency_a), (accuracy_b, latency_b) = a, b
    return accuracy_a >= accuracy_b and latency_a <= latency_b and (accuracy_a > accuracy_b or latency_a < latency_b)
