"""`python -m vehicle_sim` prints a readable snapshot of a fresh car."""

from __future__ import annotations

import json
import subprocess
import sys

from vehicle_sim.__main__ import main


def test_module_prints_a_readable_snapshot() -> None:
    result = subprocess.run([sys.executable, "-m", "vehicle_sim"], capture_output=True, text=True, check=True,
                            timeout=60)
    lines = result.stdout.splitlines()
    assert lines[0] == "Car at t = 0 s"
    headings = [line.split()[0] for line in lines if not line.startswith(" ")]
    assert headings == ["Car", "Vehicle", "Climate", "Media", "Navigation"]
    assert "parked, gear P" in result.stdout and "driver 21.0 °C" in result.stdout and "no route" in result.stdout


def test_json_output_is_the_full_state(capsys) -> None:
    assert main(["--json", "--seed", "3"]) == 0
    state = json.loads(capsys.readouterr().out)
    assert state["climate"]["driver"]["set_point"] == 21.0 and state["navigation"]["destination"] is None
