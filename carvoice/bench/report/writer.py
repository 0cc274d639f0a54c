"""Writing a report to a folder: report.json (to compare runs), report.md and the plots it shows."""

from __future__ import annotations

from pathlib import Path

from carvoice.bench.report.markdown import render_markdown
from carvoice.bench.report.plots import write_plots
from carvoice.bench.report.schema import BenchReport
from carvoice.errors import CarvoiceError

REPORT_JSON = "report.json"
REPORT_MD = "report.md"


class ReportWriteError(CarvoiceError):
    pass


def write_report(report: BenchReport, folder: Path) -> list[Path]:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / REPORT_JSON).write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
        (folder / REPORT_MD).write_text(render_markdown(report), encoding="utf-8")
        plots = write_plots(report, folder)
    except OSError as exc:
        raise ReportWriteError(f"cannot write the report into {str(folder)!r}: {exc.strerror}") from exc
    return [folder / REPORT_JSON, folder / REPORT_MD, *plots]
