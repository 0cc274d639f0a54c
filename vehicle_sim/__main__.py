"""`python -m vehicle_sim`: print a readable snapshot of a fresh car (or its JSON with --json)."""

from __future__ import annotations

import argparse
import sys

from vehicle_sim.errors import VehicleSimError
from vehicle_sim.render import describe
from vehicle_sim.simulator import Vehicle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vehicle_sim", description=__doc__)
    parser.add_argument("--seed", type=int, default=0, help="seed for the car's random initial details")
    parser.add_argument("--json", action="store_true", help="print the full state as JSON instead")
    args = parser.parse_args(argv)
    try:
        state = Vehicle(seed=args.seed).snapshot()
    except VehicleSimError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(state.model_dump_json(indent=2) if args.json else describe(state))
    return 0


if __name__ == "__main__":
    sys.exit(main())
