"""`carvoice dashboard`: the live terminal dashboard (Textual), a car's head unit crossed with a performance
monitor. `run_dashboard(settings, demo=True)` plays the scripted demo through the real pipeline.

    app = DashboardApp(open_session)       # open_session(progress) -> Session, run on a worker thread
    app.run()

The screen is drawn first; the models, the car and the demo script load on a worker thread after it.
"""

from __future__ import annotations

import sys

from carvoice.config import Settings
from carvoice.errors import CarvoiceError


def run_dashboard(settings: Settings, demo: bool) -> int:
    """Open the dashboard on the configured models; with `demo`, play the scripted commands once they load."""
    from carvoice.assistant.session import open_session
    from carvoice.dashboard.app import DashboardApp

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise CarvoiceError("the dashboard needs an interactive terminal; for plain output use `carvoice demo` "
                            "or `carvoice text`")
    app = DashboardApp(lambda progress: open_session(settings, progress), autoplay=demo)
    return app.run() or 0
