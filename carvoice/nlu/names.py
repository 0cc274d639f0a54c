"""The name says what it is: a small model sometimes picks the wrong kind of request for a name it heard right
("Go to Central Station" read as tuning the radio to a station called Central Station, "play Call Me Tonight" as
an artist). When the name is unknown for the kind the model chose but is, exactly, a name of one other kind in the
car's world, the request is taken as that kind.

    kinds = NameKinds(default_world())
    kinds.retarget(Call("tune_radio", {"station": "Central Station"}))   # Call("navigate_to", {"place": ...})
"""

from __future__ import annotations

import re
from collections import defaultdict

from vehicle_sim.world import World

from carvoice.nlu.catalog import Call

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def _key(name: str) -> str:
    return _NOT_ALNUM.sub(" ", name.lower().removeprefix("the ")).strip()


class NameKinds:
    """Every name in the car's world, with the requests (intent, slot) it can be the subject of."""

    def __init__(self, world: World) -> None:
        library, city = world.library, world.city
        kinds: dict[str, set[tuple[str, str]]] = defaultdict(set)
        named = [("tune_radio", "station", [s.name for s in library.stations]),
                 ("play_artist", "artist", library.artists),
                 ("play_album", "album", [t.album for t in library.tracks.values()]),
                 ("play_track", "title", [t.title for t in library.tracks.values()]),
                 ("play_playlist", "playlist", list(library.playlists)),
                 ("navigate_to", "place",
                  [p.name for p in city.pois] + [label for label, _ in city.saved_places.all()])]
        for intent, slot, names in named:
            for name in names:
                kinds[_key(name)].add((intent, slot))
        self._kinds = dict(kinds)
        self._name_slots = {intent: slot for intent, slot, _ in named}

    def retarget(self, call: Call) -> Call:
        """`call`, or the one request its name can only be, when its own kind has no such name."""
        slot = self._name_slots.get(call.name)
        name = call.slots.get(slot) if slot else None
        if not isinstance(name, str) or len(call.slots) != 1:
            return call
        kinds = self._kinds.get(_key(name), set())
        if (call.name, slot) in kinds or len(kinds) != 1:
            return call
        (intent, other_slot), = kinds
        return Call(intent, {other_slot: name})
