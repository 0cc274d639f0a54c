"""Unit helpers: the simulator works in °C and km; these present values in °F and miles."""

from __future__ import annotations

from typing import Literal

TemperatureUnit = Literal["C", "F"]
DistanceUnit = Literal["km", "mi"]

KM_PER_MILE = 1.609344


def celsius_to_fahrenheit(celsius: float) -> float:
    return celsius * 9.0 / 5.0 + 32.0


def fahrenheit_to_celsius(fahrenheit: float) -> float:
    return (fahrenheit - 32.0) * 5.0 / 9.0


def km_to_miles(km: float) -> float:
    return km / KM_PER_MILE


def miles_to_km(miles: float) -> float:
    return miles * KM_PER_MILE


def to_celsius(value: float, unit: TemperatureUnit) -> float:
    return fahrenheit_to_celsius(value) if unit == "F" else value


def format_temperature(celsius: float, unit: TemperatureUnit = "C") -> str:
    """`21.5 °C` or `71 °F` (Fahrenheit set points are whole degrees on a car display)."""
    if unit == "F":
        return f"{celsius_to_fahrenheit(celsius):.0f} °F"
    return f"{celsius:.1f} °C"


def format_distance(km: float, unit: DistanceUnit = "km") -> str:
    value = km_to_miles(km) if unit == "mi" else km
    return f"{value:.1f} {unit}"
