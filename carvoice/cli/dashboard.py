"""`carvoice dashboard`: the live terminal dashboard."""

from __future__ import annotations

import argparse

from carvoice.config import Settings


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    dashboard = subparsers.add_parser(
        "dashboard", parents=[common], help="the live dashboard: car, conversation, latency",
        description="A terminal dashboard: the car's climate, media and navigation, the conversation, per-stage "
        "latency and the microphone. Type commands, push to talk (F2) or go hands-free (F3).")
    dashboard.add_argument("--demo", action="store_true",
                           help="play the scripted demo commands (no microphone needed)")
    dashboard.set_defaults(handler=open_dashboard)


def open_dashboard(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.dashboard import run_dashboard

    return run_dashboard(settings, demo=args.demo)
