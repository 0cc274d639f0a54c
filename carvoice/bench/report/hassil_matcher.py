"""Baseline (b): Home Assistant's local intent matcher, hassil, with the home-assistant-intents English sentences.

Only the Home Assistant intents that mean something carvoice also does are loaded, and each maps to one
carvoice intent by the table below. The matcher runs as a voice satellite in one area ("car") with no named
devices, so sentences that need a device name or another area do not match.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from carvoice.bench.report.baselines import Matcher
from carvoice.errors import CarvoiceError
from carvoice.nlu.evalset import EvalCase
from carvoice.nlu.catalog import Call

HA_VOLUME_STEP = 2
"""Home Assistant's bare 'volume up' is our adjust_volume default: 2 steps ("by 2 unless a number is said")."""
SATELLITE_AREA = {"area": {"value": "car", "text": "car"}}


class HassilUnavailable(CarvoiceError):
    pass


def _fixed(name: str, **slots: Any) -> Callable[[dict[str, Any]], Call]:
    return lambda entities: Call(name=name, slots=slots)


def _relative_volume(entities: dict[str, Any]) -> Call:
    step = entities["volume_step"]  # "up", "down", or a signed number of percent
    delta = {"up": HA_VOLUME_STEP, "down": -HA_VOLUME_STEP}.get(step, step)
    return Call(name="adjust_volume", slots={"delta": delta})


HA_TO_CARVOICE: dict[str, Callable[[dict[str, Any]], Call]] = {
    "HassMediaPause": _fixed("pause"),
    "HassMediaUnpause": _fixed("resume"),
    "HassMediaNext": _fixed("skip", direction="next"),
    "HassMediaPrevious": _fixed("skip", direction="previous"),
    "HassMediaPlayerMute": _fixed("set_mute", on=True),
    "HassMediaPlayerUnmute": _fixed("set_mute", on=False),
    "HassSetVolume": lambda entities: Call(name="set_volume", slots={"level": entities["volume_level"]}),
    "HassSetVolumeRelative": _relative_volume,
    "HassClimateSetTemperature": lambda entities: Call(name="set_temperature",
                                                             slots={"value": entities["temperature"]}),
    "HassClimateGetTemperature": _fixed("query_cabin_temperature"),
}
OVERLAPPING_INTENTS = frozenset({"pause", "resume", "skip", "set_mute", "set_volume", "adjust_volume",
                                 "set_temperature", "query_cabin_temperature"})
"""The carvoice intents the table above can produce."""


def overlapping_cases(cases: Sequence[EvalCase]) -> list[EvalCase]:
    """Single-turn, single-intent cases whose intent Home Assistant also has (hassil has no dialog context
    and matches one intent per sentence)."""
    return [c for c in cases if not c.context and len(c.intents) == 1 and c.intents[0].name in OVERLAPPING_INTENTS]


def hassil_matcher() -> Matcher:
    try:
        import home_assistant_intents
        from hassil import Intents, TextSlotList, recognize_best
    except ImportError as exc:
        raise HassilUnavailable(f"the Home Assistant baseline needs hassil and home-assistant-intents: {exc}") from exc
    data = home_assistant_intents.get_intents("en")
    intents = Intents.from_dict({**data, "intents": {k: v for k, v in data["intents"].items() if k in HA_TO_CARVOICE}})
    no_devices = {name: TextSlotList.from_strings([]) for name in ("area", "floor", "name")}

    def match(case: EvalCase) -> list[Call] | None:
        result = recognize_best(case.text, intents, slot_lists=no_devices, skip_words=data["skip_words"],
                                intent_context=SATELLITE_AREA, language="en")
        if result is None:
            return None
        entities = {name: entity.value for name, entity in result.entities.items()}
        return [HA_TO_CARVOICE[result.intent.name](entities)]

    return match
