"""Values as the listener hears them, in the car's units."""

from __future__ import annotations

import pytest

from carvoice.dialog.spoken import Units, distance, duration, join, number, reading, set_point, speed, temperature

METRIC = Units("C", "km")
IMPERIAL = Units("F", "mi")


@pytest.mark.parametrize(("value", "spoken"), [(22.0, "22"), (21.5, "21.5"), (3, "3"), (2.04, "2")])
def test_numbers_drop_a_trailing_zero(value, spoken) -> None:
    assert number(value) == spoken


def test_temperatures_in_the_display_unit_and_the_asked_one() -> None:
    assert temperature(21.5, METRIC) == "21.5 degrees"
    assert temperature(22.0, IMPERIAL) == "72 degrees"
    assert temperature(22.0, METRIC, asked="F") == "72 degrees Fahrenheit"
    assert temperature(22.0, IMPERIAL, asked="C") == "22 degrees Celsius"
    assert set_point("HI", METRIC) == "full heat" and set_point("LO", IMPERIAL) == "full cooling"
    assert reading(17.3, METRIC) == "17 degrees" and reading(12, IMPERIAL) == "54 degrees"


@pytest.mark.parametrize(("km", "units", "spoken"), [
    (2.14, METRIC, "2.1 kilometres"), (0.61, METRIC, "600 metres"), (0.01, METRIC, "50 metres"),
    (1.0, METRIC, "1 kilometre"), (336.4, METRIC, "336 kilometres"), (2.14, IMPERIAL, "1.3 miles"),
    (0.15, IMPERIAL, "500 feet"), (336.0, IMPERIAL, "209 miles"),
])
def test_distances(km, units, spoken) -> None:
    assert distance(km, units) == spoken


def test_speeds() -> None:
    assert speed(120, METRIC) == "120 km/h" and speed(120, IMPERIAL) == "75 mph"


@pytest.mark.parametrize(("minutes", "spoken"), [(0.2, "under a minute"), (1.2, "1 minute"), (4.1, "4 minutes"),
                                                 (65, "1 hour and 5 minutes"), (120, "2 hours")])
def test_durations(minutes, spoken) -> None:
    assert duration(minutes) == spoken


def test_lists() -> None:
    assert join([]) == "" and join(["a"]) == "a" and join(["a", "b"]) == "a and b"
    assert join(["a", "b", "c"], "or") == "a, b or c"
