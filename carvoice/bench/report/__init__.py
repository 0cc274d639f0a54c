"""`carvoice bench all` and `carvoice bench compare`: one benchmark report, how good and how fast, side by side.

    report = run_report(settings, ReportOptions.quick_run())     # carvoice.bench.report.run
    write_report(report, Path("report"))                          # carvoice.bench.report.writer
    compare_reports(load_report(a), load_report(b))               # carvoice.bench.report.compare

The modules are imported one by one (nothing here): the fresh process that measures cold start imports this
package first, and must not pay for models' libraries before its clock starts.
"""
