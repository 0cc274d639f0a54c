"""`carvoice bench compare A.json B.json`: each metric of two reports, the change, and whether B is better."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from carvoice.bench.report.metrics import Metric, Unit, report_metrics
from carvoice.bench.report.schema import BenchReport, RunInfo
from carvoice.errors import CarvoiceError
from carvoice.machine import ENGINES

Verdict = Literal["better", "worse", "same", "only in A", "only in B", "not measured"]


class ReportFileError(CarvoiceError):
    pass


@dataclass(frozen=True)
class Change:
    metric: str
    unit: Unit
    a: float | None
    b: float | None
    verdict: Verdict

    @property
    def delta(self) -> float | None:
        return None if self.a is None or self.b is None else self.b - self.a

    @property
    def relative(self) -> float | None:
        """The change as a fraction of A; None where A is missing or zero."""
        return None if self.delta is None or not self.a else self.delta / abs(self.a)


def load_report(path: Path) -> BenchReport:
    try:
        return BenchReport.model_validate_json(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReportFileError(f"cannot read the report {str(path)!r}: {exc.strerror}") from exc
    except ValidationError as exc:
        raise ReportFileError(f"{path} is not a report.json written by `carvoice bench all`: "
                              f"{exc.error_count()} problems, first: {exc.errors()[0]['msg']} at "
                              f"{'.'.join(map(str, exc.errors()[0]['loc']))}") from exc


def run_differences(a: RunInfo, b: RunInfo) -> list[tuple[str, str, str]]:
    """What the two runs were measured on, side by side: the machine, threads, runtimes and models. Timings
    from two machines compare the machines as much as the code."""
    rows = [("cpu", a.machine.cpu, b.machine.cpu), ("cores", str(a.machine.cores), str(b.machine.cores)),
            ("SIMD", " ".join(a.machine.simd) or "not recorded", " ".join(b.machine.simd) or "not recorded"),
            ("threads", str(a.settings.get("threads", "-")), str(b.settings.get("threads", "-")))]
    rows += [(package, a.versions.get(package, "-"), b.versions.get(package, "-")) for package in ENGINES]
    rows += [(f"{role} model", a.settings.get(role, "-"), b.settings.get(role, "-"))
             for role in ("stt_model", "slm_model", "tts_voice")]
    return [(label, str(x), str(y)) for label, x, y in rows]


def compare_reports(a: BenchReport, b: BenchReport) -> list[Change]:
    """Every metric of either report, in A's order then B's new ones."""
    before = {m.name: m for m in report_metrics(a)}
    after = {m.name: m for m in report_metrics(b)}
    return [_change(name, before.get(name), after.get(name)) for name in dict.fromkeys([*before, *after])]


def _change(name: str, a: Metric | None, b: Metric | None) -> Change:
    known = a or b
    a_value, b_value = (a.value if a else None), (b.value if b else None)
    return Change(name, known.unit, a_value, b_value, _verdict(a_value, b_value, known.higher_is_better))


def _verdict(a: float | None, b: float | None, higher_is_better: bool) -> Verdict:
    if a is None or b is None:
        return "only in A" if b is None else "only in B"
    if not (math.isfinite(a) and math.isfinite(b)):
        return "not measured"
    if a == b:
        return "same"
    return "better" if (b > a) == higher_is_better else "worse"
