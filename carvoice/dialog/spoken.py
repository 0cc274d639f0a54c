"""Values as a listener hears them: numbers, temperatures, distances, durations and names, in the car's units.

The simulator works in °C and km; `Units` carries the display units from `state.settings`, and every
helper here writes words a TTS voice reads well ("22 degrees", "1.3 miles", "4 minutes").
"""

from __future__ import annotations

from dataclasses import dataclass

from vehicle_sim import VehicleState, celsius_to_fahrenheit, km_to_miles
from vehicle_sim.units import DistanceUnit, TemperatureUnit

UNIT_NAMES = {"C": "Celsius", "F": "Fahrenheit", "km": "kilometres", "mi": "miles"}
FEET_PER_MILE = 5280
SHORT_MILES = 0.2
WHOLE_UNITS_FROM = 10
SET_POINT_LEVELS = {"HI": "full heat", "LO": "full cooling"}


@dataclass(frozen=True)
class Units:
    temperature: TemperatureUnit = "C"
    distance: DistanceUnit = "km"

    @classmethod
    def of(cls, state: VehicleState) -> Units:
        return cls(state.settings.temperature_unit, state.settings.distance_unit)


def number(value: float, decimals: int = 1) -> str:
    """`22`, `21.5`: no trailing `.0`."""
    rounded = round(float(value), decimals)
    return str(int(rounded)) if rounded.is_integer() else str(rounded)


def plural(count: float, word: str) -> str:
    return f"{number(count)} {word}" + ("" if count == 1 else "s")


def temperature(celsius: float, units: Units, asked: TemperatureUnit | None = None) -> str:
    """`22 degrees` in the display unit (°F in whole degrees), or in the unit the driver `asked` in,
    which is then named: `72 degrees Fahrenheit` on a car that shows Celsius."""
    unit = asked or units.temperature
    value = celsius_to_fahrenheit(celsius) if unit == "F" else celsius
    return temperature_in(value, unit, units)


def temperature_in(value: float, unit: TemperatureUnit, units: Units) -> str:
    """A value already in `unit`; the unit is named when it is not the one the car displays."""
    shown = f"{number(value, 0 if unit == 'F' else 1)} degrees"
    return shown if unit == units.temperature else f"{shown} {UNIT_NAMES[unit]}"


def reading(celsius: float, units: Units) -> str:
    """A measured temperature, in whole degrees of the display unit."""
    value = celsius_to_fahrenheit(celsius) if units.temperature == "F" else celsius
    return f"{number(value, 0)} degrees"


def set_point(value: float | str, units: Units, asked: TemperatureUnit | None = None) -> str:
    """A climate set point: a temperature, or `full heat` / `full cooling` for HI / LO."""
    return SET_POINT_LEVELS[value] if isinstance(value, str) else temperature(value, units, asked)


def distance(km: float, units: Units) -> str:
    """`2.1 kilometres`, `600 metres`, `1.3 miles`, `500 feet`, `336 kilometres`: short distances in the
    smaller unit, long ones in whole units."""
    if units.distance == "mi":
        miles = km_to_miles(km)
        if miles < SHORT_MILES:
            return f"{max(100, round(miles * FEET_PER_MILE, -2)):.0f} feet"
        return plural(_rounded(miles), "mile")
    if km < 1:
        return f"{max(50, round(km * 1000 / 50) * 50):.0f} metres"
    return plural(_rounded(km), "kilometre")


def _rounded(value: float) -> float:
    return round(value) if value >= WHOLE_UNITS_FROM else round(value, 1)


def speed(kmh: float, units: Units) -> str:
    if units.distance == "mi":
        return f"{number(km_to_miles(kmh), 0)} mph"
    return f"{number(kmh, 0)} km/h"


def duration(minutes: float) -> str:
    """`under a minute`, `4 minutes`, `1 hour and 5 minutes`."""
    whole = round(minutes)
    if whole < 1:
        return "under a minute"
    hours, rest = divmod(whole, 60)
    if not hours:
        return plural(rest, "minute")
    return plural(hours, "hour") + (f" and {plural(rest, 'minute')}" if rest else "")


def percent(value: float) -> str:
    return f"{number(value, 0)} percent"


def name(identifier: str) -> str:
    """`rear_left` -> `rear left`."""
    return identifier.replace("_", " ")


def join(items: list[str], last: str = "and") -> str:
    """`a`, `a and b`, `a, b and c` (`last="or"` for alternatives)."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]
