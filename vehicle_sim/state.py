"""The car's state as pydantic models. Dotted paths into it (`climate.driver.set_point`) are part of the API.

Fields marked "derived" are recomputed by the simulator after every change and tick (see `derived.py`);
everything else is the source of truth. Validators here hold the cross-field invariants, so a state that
passes `VehicleState.model_validate` is a state the car can be in.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from vehicle_sim.units import DistanceUnit, TemperatureUnit

SET_POINT_MIN_C = 16.0
SET_POINT_MAX_C = 28.0
FAN_MAX = 7
SEAT_LEVEL_MAX = 3
VOLUME_MAX = 30

TemperatureLevel = Literal["LO", "HI"]
SetPoint = float | TemperatureLevel
ZoneName = Literal["driver", "passenger", "rear"]
SeatName = Literal["driver", "passenger", "rear_left", "rear_right"]
WindowName = Literal["driver", "passenger", "rear_left", "rear_right"]
Source = Literal["fm", "am", "dab", "bluetooth", "usb"]
RADIO_SOURCES: tuple[Source, ...] = ("fm", "am", "dab")
PLAYER_SOURCES: tuple[Source, ...] = ("bluetooth", "usb")
RepeatMode = Literal["off", "one", "all"]
Gear = Literal["P", "R", "N", "D"]
Powertrain = Literal["electric", "petrol"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True)


class Settings(_Model):
    temperature_unit: TemperatureUnit = "C"
    distance_unit: DistanceUnit = "km"


# --- climate -----------------------------------------------------------------------------------------------


def set_point_celsius(set_point: SetPoint, lo_c: float = SET_POINT_MIN_C, hi_c: float = SET_POINT_MAX_C) -> float:
    """A set point as a number, with LO and HI standing for `lo_c` and `hi_c`."""
    if set_point == "LO":
        return lo_c
    if set_point == "HI":
        return hi_c
    return float(set_point)


class ClimateZone(_Model):
    set_point: SetPoint = Field(21.0, description="°C between 16 and 28, or LO (full cooling) / HI (full heat)")
    current_c: float = Field(20.0, ge=-40, le=80, description="measured air temperature in this zone")

    @model_validator(mode="after")
    def _set_point_in_range(self) -> ClimateZone:
        if not isinstance(self.set_point, str) and not SET_POINT_MIN_C <= self.set_point <= SET_POINT_MAX_C:
            raise ValueError(f"set_point {self.set_point} is outside {SET_POINT_MIN_C}-{SET_POINT_MAX_C} °C")
        return self


class Seat(_Model):
    heat: int = Field(0, ge=0, le=SEAT_LEVEL_MAX)
    ventilation: int = Field(0, ge=0, le=SEAT_LEVEL_MAX)

    @model_validator(mode="after")
    def _heat_or_ventilation(self) -> Seat:
        if self.heat and self.ventilation:
            raise ValueError("a seat cannot heat and ventilate at the same time")
        return self


class Seats(_Model):
    driver: Seat = Seat()
    passenger: Seat = Seat()
    rear_left: Seat = Seat()
    rear_right: Seat = Seat()


class Climate(_Model):
    driver: ClimateZone = ClimateZone()
    passenger: ClimateZone = ClimateZone()
    rear: ClimateZone = ClimateZone()
    sync: bool = Field(False, description="passenger and rear follow the driver's set point")
    fan_speed: int = Field(3, ge=0, le=FAN_MAX, description="manual fan level; 0 is off")
    fan_auto: bool = True
    ac: bool = True
    recirculation: bool = False
    front_defrost: bool = False
    rear_defrost: bool = False
    seats: Seats = Seats()
    steering_wheel_heat: bool = False

    def zone(self, name: ZoneName) -> ClimateZone:
        return getattr(self, name)

    @model_validator(mode="after")
    def _synced_zones_agree(self) -> Climate:
        if self.sync and not self.driver.set_point == self.passenger.set_point == self.rear.set_point:
            raise ValueError("with sync on, every zone must have the driver's set point")
        return self


# --- media -------------------------------------------------------------------------------------------------


class RadioSourceState(_Model):
    station: str | None = Field(None, description="name of the tuned station")


class PlayerSourceState(_Model):
    """A queue of track ids; `order` is the play order (shuffled or not) and `position` an index into it."""

    tracks: list[str] = []
    order: list[int] = []
    position: int = Field(0, ge=0)
    elapsed_s: float = Field(0.0, ge=0)
    label: str | None = Field(None, description="what the queue was made from, e.g. 'artist: Marina Vale'")

    @model_validator(mode="after")
    def _order_is_a_permutation(self) -> PlayerSourceState:
        if sorted(self.order) != list(range(len(self.tracks))):
            raise ValueError("order must list every queue index exactly once")
        if self.tracks and self.position >= len(self.tracks):
            raise ValueError("position is past the end of the queue")
        return self

    @property
    def current_track(self) -> str | None:
        return self.tracks[self.order[self.position]] if self.tracks else None


class SourceStates(_Model):
    fm: RadioSourceState = RadioSourceState()
    am: RadioSourceState = RadioSourceState()
    dab: RadioSourceState = RadioSourceState()
    bluetooth: PlayerSourceState = PlayerSourceState()
    usb: PlayerSourceState = PlayerSourceState()


class NowPlaying(_Model):
    """Derived: what the active source is playing, ready to show or say."""

    source: Source
    title: str
    artist: str | None = None
    album: str | None = None
    genre: str | None = None
    station: str | None = None
    frequency: str | None = None
    duration_s: float | None = None
    position_s: float | None = None


class Media(_Model):
    source: Source = "fm"
    playing: bool = False
    volume: int = Field(12, ge=0, le=VOLUME_MAX)
    muted: bool = False
    shuffle: bool = False
    repeat: RepeatMode = "off"
    sources: SourceStates = SourceStates()
    now_playing: NowPlaying | None = None

    def radio(self, source: Source) -> RadioSourceState:
        return getattr(self.sources, source)

    def player(self, source: Source) -> PlayerSourceState:
        return getattr(self.sources, source)

    @model_validator(mode="after")
    def _playing_needs_content(self) -> Media:
        if not self.playing:
            return self
        if self.source in RADIO_SOURCES and self.radio(self.source).station is None:
            raise ValueError(f"{self.source} cannot play without a tuned station")
        if self.source in PLAYER_SOURCES and not self.player(self.source).tracks:
            raise ValueError(f"{self.source} cannot play an empty queue")
        return self


# --- navigation --------------------------------------------------------------------------------------------


class Place(_Model):
    name: str
    kind: Literal["address", "poi", "saved", "street"]
    node_id: int = Field(ge=0)
    address: str | None = None
    category: str | None = None


class Position(_Model):
    """Where the car is: at `node_id`, or `offset_m` along the segment from `node_id` towards `next_node_id`."""

    node_id: int = Field(0, ge=0)
    next_node_id: int | None = None
    offset_m: float = Field(0.0, ge=0)
    street: str | None = Field(None, description="derived")
    x_m: float = Field(0.0, description="derived")
    y_m: float = Field(0.0, description="derived")

    @model_validator(mode="after")
    def _offset_needs_a_segment(self) -> Position:
        if self.next_node_id is None and self.offset_m:
            raise ValueError("offset_m needs next_node_id")
        return self


class NextTurn(_Model):
    direction: Literal["left", "right", "straight", "arrive"]
    street: str
    distance_m: float = Field(ge=0)


class Navigation(_Model):
    position: Position = Position()
    destination: Place | None = None
    stops: list[Place] = Field([], description="intermediate stops, in the order they will be reached")
    route_nodes: list[int] = Field([], description="derived: nodes still to pass, ending at the destination")
    distance_remaining_km: float | None = Field(None, description="derived")
    eta_min: float | None = Field(None, description="derived")
    next_turn: NextTurn | None = Field(None, description="derived")
    last_arrival: Place | None = None

    @model_validator(mode="after")
    def _route_needs_destination(self) -> Navigation:
        if self.destination is None and self.stops:
            raise ValueError("stops need a destination")
        return self


# --- vehicle body ------------------------------------------------------------------------------------------


class Windows(_Model):
    """Percent open, 0 closed to 100 fully open."""

    driver: int = Field(0, ge=0, le=100)
    passenger: int = Field(0, ge=0, le=100)
    rear_left: int = Field(0, ge=0, le=100)
    rear_right: int = Field(0, ge=0, le=100)


class Body(_Model):
    speed_kmh: float = Field(0.0, ge=0, le=250)
    gear: Gear = "P"
    odometer_km: float = Field(12480.0, ge=0)
    powertrain: Powertrain = "electric"
    energy_pct: float = Field(80.0, ge=0, le=100, description="battery or fuel tank level")
    full_range_km: float = Field(420.0, gt=0, description="range with a full battery or tank")
    range_km: float = Field(0.0, ge=0, description="derived")
    outside_temp_c: float = Field(12.0, ge=-40, le=55)
    windows: Windows = Windows()
    sunroof_pct: int = Field(0, ge=0, le=100)
    doors_locked: bool = True
    driving_state: Literal["parked", "stopped", "driving"] = Field("parked", description="derived")

    @model_validator(mode="after")
    def _moving_needs_a_gear(self) -> Body:
        if self.speed_kmh > 0 and self.gear == "P":
            raise ValueError("the car cannot move in park")
        return self


class VehicleState(_Model):
    time_s: float = Field(0.0, ge=0, description="simulated seconds since the car was created")
    settings: Settings = Settings()
    climate: Climate = Climate()
    media: Media = Media()
    navigation: Navigation = Navigation()
    vehicle: Body = Body()
