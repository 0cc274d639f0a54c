"""The Pareto front: accuracy up, latency down, each kind and condition on its own."""

from carvoice.bench.report.pareto import mark_pareto, pareto_front
from carvoice.bench.report.schema import MatrixPoint


def test_a_point_beaten_on_both_axes_is_off_the_front():
    # (accuracy, latency): the last is less accurate and slower than the first
    assert pareto_front([(0.8, 0.4), (0.5, 0.2), (0.7, 0.5)]) == [True, True, False]


def test_a_tie_keeps_both_and_a_point_better_on_one_axis_only_wins():
    assert pareto_front([(0.8, 0.4), (0.8, 0.4)]) == [True, True]
    assert pareto_front([(0.8, 0.4), (0.8, 0.3)]) == [False, True]


def _point(model: str, condition: str, accuracy: float, latency: float) -> MatrixPoint:
    return MatrixPoint(kind="stt", model=model, condition=condition, accuracy=accuracy, accuracy_name="1 - WER",
                       latency_p50_s=latency, latency_p95_s=latency, count=5)


def test_points_are_compared_only_within_their_condition():
    points = [_point("tiny", "clean", 0.9, 0.3), _point("base", "clean", 0.85, 0.6),
              _point("base", "5db", 0.7, 0.7), _point("tiny", "5db", 0.6, 0.3)]
    marked = mark_pareto(points)
    assert [p.pareto for p in marked] == [True, False, True, True]
    assert [p.model for p in marked] == [p.model for p in points]
