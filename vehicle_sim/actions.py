"""Every way to change or ask the car something, as typed actions in one union discriminated by `kind`.

Build one from a plain dict (what the NLU produces) with `parse_action({"kind": "set_volume", "level": 12})`.
Numbers are not range-checked here on purpose: the simulator clamps or refuses out-of-range values and says why.
Relative changes are explicit `adjust_*` actions with a signed `delta`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from vehicle_sim.data_files import describe_validation_error
from vehicle_sim.errors import InvalidActionError
from vehicle_sim.library import Band
from vehicle_sim.state import Gear, RepeatMode, SeatName, Source, TemperatureLevel, WindowName, ZoneName
from vehicle_sim.units import DistanceUnit, TemperatureUnit


class ActionBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QueryBase(ActionBase):
    """A question: it changes nothing and answers with facts."""


class SwitchBase(ActionBase):
    """Turns one on/off setting on or off (the setting is named by the action's kind)."""

    on: bool


def _exactly_one(model: BaseModel, fields: tuple[str, ...]) -> None:
    given = [name for name in fields if getattr(model, name) is not None]
    if len(given) != 1:
        raise ValueError(f"give exactly one of {', '.join(fields)} (got {', '.join(given) or 'none'})")


# --- climate -----------------------------------------------------------------------------------------------


class SetTemperature(ActionBase):
    kind: Literal["set_temperature"] = "set_temperature"
    zone: ZoneName | Literal["all"] = "driver"
    value: float | None = None
    unit: TemperatureUnit | None = Field(None, description="defaults to the car's display unit")
    level: TemperatureLevel | None = Field(None, description="LO for full cooling, HI for full heat")

    @model_validator(mode="after")
    def _value_or_level(self) -> SetTemperature:
        _exactly_one(self, ("value", "level"))
        return self


class AdjustTemperature(ActionBase):
    kind: Literal["adjust_temperature"] = "adjust_temperature"
    zone: ZoneName | Literal["all"] = "driver"
    delta: float = Field(description="degrees warmer (positive) or cooler (negative)")
    unit: TemperatureUnit | None = None


class SetFan(ActionBase):
    kind: Literal["set_fan"] = "set_fan"
    speed: int | Literal["auto"]


class AdjustFan(ActionBase):
    kind: Literal["adjust_fan"] = "adjust_fan"
    delta: int


class SetAc(SwitchBase):
    kind: Literal["set_ac"] = "set_ac"


class SetRecirculation(SwitchBase):
    kind: Literal["set_recirculation"] = "set_recirculation"


class SetSteeringWheelHeat(SwitchBase):
    kind: Literal["set_steering_wheel_heat"] = "set_steering_wheel_heat"


class SetClimateSync(SwitchBase):
    kind: Literal["set_climate_sync"] = "set_climate_sync"


class SetDefrost(SwitchBase):
    kind: Literal["set_defrost"] = "set_defrost"
    window: Literal["front", "rear"] = "front"


class SetSeatHeat(ActionBase):
    kind: Literal["set_seat_heat"] = "set_seat_heat"
    seat: SeatName | Literal["all"] = "driver"
    level: int


class SetSeatVentilation(ActionBase):
    kind: Literal["set_seat_ventilation"] = "set_seat_ventilation"
    seat: SeatName | Literal["all"] = "driver"
    level: int


class QueryCabinTemperature(QueryBase):
    kind: Literal["query_cabin_temperature"] = "query_cabin_temperature"


# --- media -------------------------------------------------------------------------------------------------


class SetSource(ActionBase):
    kind: Literal["set_source"] = "set_source"
    source: Source


class PlayArtist(ActionBase):
    kind: Literal["play_artist"] = "play_artist"
    artist: str


class PlayAlbum(ActionBase):
    kind: Literal["play_album"] = "play_album"
    album: str


class PlayTrack(ActionBase):
    kind: Literal["play_track"] = "play_track"
    title: str
    artist: str | None = None


class PlayPlaylist(ActionBase):
    kind: Literal["play_playlist"] = "play_playlist"
    playlist: str


class PlayGenre(ActionBase):
    kind: Literal["play_genre"] = "play_genre"
    genre: str


class TuneRadio(ActionBase):
    kind: Literal["tune_radio"] = "tune_radio"
    station: str | None = None
    frequency: float | None = Field(None, description="MHz on FM, kHz on AM")
    band: Band | None = Field(None, description="for a frequency; defaults to the current band, else FM")

    @model_validator(mode="after")
    def _station_or_frequency(self) -> TuneRadio:
        _exactly_one(self, ("station", "frequency"))
        return self


class Pause(ActionBase):
    kind: Literal["pause"] = "pause"


class Resume(ActionBase):
    kind: Literal["resume"] = "resume"


class Skip(ActionBase):
    """Next/previous track on a player source, next/previous station on the radio."""

    kind: Literal["skip"] = "skip"
    direction: Literal["next", "previous"] = "next"
    count: int = Field(1, ge=1)


class SetShuffle(SwitchBase):
    kind: Literal["set_shuffle"] = "set_shuffle"


class SetRepeat(ActionBase):
    kind: Literal["set_repeat"] = "set_repeat"
    mode: RepeatMode


class SetVolume(ActionBase):
    kind: Literal["set_volume"] = "set_volume"
    level: float


class AdjustVolume(ActionBase):
    kind: Literal["adjust_volume"] = "adjust_volume"
    delta: int


class SetMute(SwitchBase):
    kind: Literal["set_mute"] = "set_mute"


class QueryNowPlaying(QueryBase):
    kind: Literal["query_now_playing"] = "query_now_playing"


# --- navigation --------------------------------------------------------------------------------------------


class PlaceTarget(ActionBase):
    """Where to go: exactly one of an address, a POI name, a category, a saved place, or `place` (any of those)."""

    address: str | None = Field(None, description="'Maple Avenue 12', '12 Maple Avenue' or a street name")
    poi: str | None = None
    category: str | None = Field(None, description="'charger', 'coffee', ...: the nearest by road")
    saved_place: str | None = Field(None, description="'home', 'work' or a favourite's name")
    place: str | None = Field(None, description="a name of unknown type: tried as saved place, POI, address, category")
    along_route: bool = Field(False, description="for a category: the one with the smallest detour on the route")

    @model_validator(mode="after")
    def _one_target(self) -> PlaceTarget:
        _exactly_one(self, ("address", "poi", "category", "saved_place", "place"))
        return self


class NavigateTo(PlaceTarget):
    """Start a route (replacing any current one); `along_route` with an active route adds a stop instead."""

    kind: Literal["navigate_to"] = "navigate_to"


class AddStop(PlaceTarget):
    kind: Literal["add_stop"] = "add_stop"


class CancelRoute(ActionBase):
    kind: Literal["cancel_route"] = "cancel_route"


class PlaceQuery(QueryBase):
    """A question about the current route or, when a place or category is named, about that place from here;
    either way the route stays as it is."""

    place: str | None = Field(None, description="a name of any type, as for PlaceTarget.place")
    category: str | None = Field(None, description="the nearest place of this category by road")

    @model_validator(mode="after")
    def _one_place(self) -> PlaceQuery:
        if self.place is not None and self.category is not None:
            raise ValueError("give at most one of place, category")
        return self


class QueryEta(PlaceQuery):
    kind: Literal["query_eta"] = "query_eta"


class QueryDistance(PlaceQuery):
    kind: Literal["query_distance"] = "query_distance"


class QueryNextTurn(QueryBase):
    kind: Literal["query_next_turn"] = "query_next_turn"


# --- vehicle -----------------------------------------------------------------------------------------------


class SetWindow(ActionBase):
    kind: Literal["set_window"] = "set_window"
    window: WindowName | Literal["all"] = "driver"
    open_pct: float = Field(description="0 closed, 100 fully open")


class SetSunroof(ActionBase):
    kind: Literal["set_sunroof"] = "set_sunroof"
    open_pct: float


class SetDoorLock(ActionBase):
    kind: Literal["set_door_lock"] = "set_door_lock"
    locked: bool


class QueryRange(QueryBase):
    kind: Literal["query_range"] = "query_range"


class QueryOutsideTemperature(QueryBase):
    kind: Literal["query_outside_temperature"] = "query_outside_temperature"


class SetUnits(ActionBase):
    kind: Literal["set_units"] = "set_units"
    temperature_unit: TemperatureUnit | None = None
    distance_unit: DistanceUnit | None = None

    @model_validator(mode="after")
    def _some_unit(self) -> SetUnits:
        if self.temperature_unit is None and self.distance_unit is None:
            raise ValueError("give temperature_unit, distance_unit or both")
        return self


class DriverInput(ActionBase):
    """What the driver does with pedals and gear lever; for test harnesses and the UI, not for the assistant."""

    kind: Literal["driver_input"] = "driver_input"
    speed_kmh: float | None = None
    gear: Gear | None = None


class Undo(ActionBase):
    """Revert the last change that was made."""

    kind: Literal["undo"] = "undo"


Action = Annotated[
    Union[
        SetTemperature, AdjustTemperature, SetFan, AdjustFan, SetAc, SetRecirculation, SetSteeringWheelHeat,
        SetClimateSync, SetDefrost, SetSeatHeat, SetSeatVentilation, QueryCabinTemperature,
        SetSource, PlayArtist, PlayAlbum, PlayTrack, PlayPlaylist, PlayGenre, TuneRadio, Pause, Resume, Skip,
        SetShuffle, SetRepeat, SetVolume, AdjustVolume, SetMute, QueryNowPlaying,
        NavigateTo, AddStop, CancelRoute, QueryEta, QueryDistance, QueryNextTurn,
        SetWindow, SetSunroof, SetDoorLock, QueryRange, QueryOutsideTemperature, SetUnits, DriverInput, Undo,
    ],
    Field(discriminator="kind"),
]

ACTION_ADAPTER: TypeAdapter[Action] = TypeAdapter(Action)
ACTION_TYPES: tuple[type[ActionBase], ...] = get_args(get_args(Action)[0])
ACTION_KINDS: tuple[str, ...] = tuple(model.model_fields["kind"].default for model in ACTION_TYPES)


def parse_action(data: dict[str, Any] | ActionBase) -> Action:
    """An action from a plain dict; InvalidActionError says which kind or field was wrong."""
    if isinstance(data, ActionBase):
        return data  # type: ignore[return-value]
    if not isinstance(data, dict) or data.get("kind") not in ACTION_KINDS:
        kind = data.get("kind") if isinstance(data, dict) else None
        raise InvalidActionError(f"unknown action kind {kind!r}; known kinds: {', '.join(ACTION_KINDS)}")
    try:
        return ACTION_ADAPTER.validate_python(data)
    except ValidationError as error:
        raise InvalidActionError(f"invalid {data['kind']} action: {describe_validation_error(error)}") from error
