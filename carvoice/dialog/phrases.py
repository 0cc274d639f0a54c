"""Everything the assistant says, as templates: several per case, so replies do not sound canned.

Keys name a case: an action kind and what happened (`set_ac.on`, `set_ac.on.already`), a reason code of
the simulator or the safety policy (`sunroof_unsafe_at_speed`), or a dialog situation (`not_understood`).
Templates are `str.format` strings over the fields the reply code provides for that case. The first
sentence stays short: speech synthesis starts with it, so a short one means the first audio comes sooner.
"""

from __future__ import annotations

import random

from carvoice.dialog.spoken import sentence_case
from carvoice.errors import CarvoiceError

PHRASES: dict[str, tuple[str, ...]] = {
    # --- climate ---------------------------------------------------------------------------------------
    "set_temperature": ("{where} set to {temp}.", "Okay, {where} at {temp}.", "{where} now at {temp}."),
    "set_temperature.already": ("{where} is already at {temp}.", "{where} was already {temp}."),
    "set_temperature.out_of_range": ("{where} set to {limit}, the {edge}est it goes.",
                                     "The {edge}est setting is {limit}, so {where} is there now."),
    "set_temperature.adjust": ("{where} {direction} to {temp}.", "Okay, {where} now at {temp}.",
                           "{where} at {temp} now."),
    "set_fan.speed": ("Fan set to {speed}.", "Fan on {speed}.", "Okay, fan speed {speed}."),
    "set_fan.off": ("Fan off.", "Okay, the fan is off."),
    "set_fan.auto": ("Fan on automatic.", "Okay, the fan is on auto."),
    "set_fan.speed.already": ("The fan is already on {speed}.", "Fan's already at {speed}."),
    "set_fan.off.already": ("The fan is already off.",),
    "set_fan.auto.already": ("The fan is already on automatic.", "Fan's already on auto."),
    "set_fan.out_of_range": ("Fan on {speed}, as {edge} as it goes.", "The fan is at its {edge}est, {speed}."),
    "set_ac.on": ("AC on.", "Air conditioning on.", "Okay, the AC is on."),
    "set_ac.off": ("AC off.", "Air conditioning off.", "Okay, the AC is off."),
    "set_ac.on.already": ("The AC is already on.", "Air conditioning is already on."),
    "set_ac.off.already": ("The AC is already off.", "Air conditioning is already off."),
    "set_recirculation.on": ("Recirculation on.", "Okay, recirculating the cabin air."),
    "set_recirculation.off": ("Recirculation off.", "Okay, fresh air from outside."),
    "set_recirculation.on.already": ("Recirculation is already on.",),
    "set_recirculation.off.already": ("Recirculation is already off.", "We're already on fresh air."),
    "set_defrost.on": ("{window} defrost on.", "Okay, defrosting the {window}."),
    "set_defrost.off": ("{window} defrost off.", "Okay, the {window} defrost is off."),
    "set_defrost.on.already": ("The {window} defrost is already on.",),
    "set_defrost.off.already": ("The {window} defrost is already off.",),
    "set_steering_wheel_heat.on": ("Steering wheel heating on.", "Okay, warming the steering wheel."),
    "set_steering_wheel_heat.off": ("Steering wheel heating off.", "Okay, the wheel heating is off."),
    "set_steering_wheel_heat.on.already": ("The steering wheel heating is already on.",),
    "set_steering_wheel_heat.off.already": ("The steering wheel heating is already off.",),
    "set_climate_sync.on": ("Sync on: all zones follow the driver.", "Sync on. Every zone is at {temp} now.",
                            "Okay, zones synced to the driver."),
    "set_climate_sync.off": ("Sync off.", "Okay, each zone has its own temperature again."),
    "set_climate_sync.on.already": ("The zones are already synced.",),
    "set_climate_sync.off.already": ("Sync is already off.",),
    "seat.on": ("{seats} {feature} on {level}.", "Okay, {seats} {feature} at level {level}."),
    "seat.off": ("{seats} {feature} off.", "Okay, {seats} {feature} is off."),
    "seat.on.already": ("{seats} {feature} is already on {level}.",),
    "seat.off.already": ("{seats} {feature} is already off.",),
    "seat.out_of_range": ("{seats} {feature} on {level}, as {edge} as it goes.",
                          "{feature} goes from 0 to 3; {seats} is on {level}."),
    "query_cabin_temperature": ("It's {inside} in here and {outside} outside.",
                                "The cabin is at {inside}. Outside it's {outside}.",
                                "{inside} inside, {outside} outside."),
    # --- media -----------------------------------------------------------------------------------------
    "play_artist": ("Playing {artist}.", "Here's {artist}, starting with {title}.", "Okay, some {artist}."),
    "play_album": ("Playing {album} by {artist}.", "Here's {album}, by {artist}."),
    "play_track": ("Playing {title} by {artist}.", "Here's {title}, by {artist}.", "Okay, {title}."),
    "play_playlist": ("Playing your {playlist} playlist.", "Starting {playlist}, {tracks} songs.",
                      "Here's {playlist}."),
    "play_genre": ("Playing some {genre}.", "Here's some {genre}: {title} by {artist}.", "Okay, {genre} it is."),
    "play_artist.already": ("{artist} is already playing.", "This is {artist} already."),
    "play_album.already": ("{album} is already playing.",),
    "play_track.already": ("{title} is already playing.", "This is {title} already."),
    "play_playlist.already": ("{playlist} is already playing.",),
    "play_genre.already": ("This is {genre} already.", "We're already on {genre}."),
    "done": ("Done.", "Okay, done."),
    "already_set": ("That's already the case.", "Nothing to change, it's already like that."),
    "tune_radio": ("Tuned to {station}, {frequency}.", "Here's {station} on {frequency}.", "{station}, coming up."),
    "tune_radio.already": ("We're already on {station}.", "This is {station} already."),
    "set_source": ("Switched to {source}.", "Okay, {source}.", "Now on {source}."),
    "set_source.already": ("We're already on {source}.",),
    "pause": ("Paused.", "Music paused.", "Okay, pausing."),
    "pause.already": ("It's already paused.", "Nothing's playing right now."),
    "resume": ("Resuming.", "Playing again.", "Okay, back on."),
    "resume.already": ("It's already playing.",),
    "skip.track.next": ("Next up: {title} by {artist}.", "Skipping. This is {title}.", "Here's {title}."),
    "skip.track.previous": ("Back to {title} by {artist}.", "Going back. This is {title}."),
    "skip.station": ("Now on {station}.", "Here's {station}.", "Tuned to {station}."),
    "end_of_queue": ("That was the last track.", "This is the last track in the queue."),
    "start_of_queue": ("This is the first track.", "We're at the first track already."),
    "nothing_to_play": ("There's nothing to play on {source}.", "{source} has nothing queued."),
    "set_shuffle.on": ("Shuffle on.", "Okay, shuffling.", "Shuffling the queue."),
    "set_shuffle.off": ("Shuffle off.", "Okay, playing in order."),
    "set_shuffle.on.already": ("Shuffle is already on.",),
    "set_shuffle.off.already": ("Shuffle is already off.",),
    "set_repeat.one": ("Repeating this track.", "Okay, this one on repeat."),
    "set_repeat.all": ("Repeating everything.", "Repeat all on."),
    "set_repeat.off": ("Repeat off.", "Okay, no more repeat."),
    "set_repeat.one.already": ("This track is already on repeat.",),
    "set_repeat.all.already": ("Repeat all is already on.",),
    "set_repeat.off.already": ("Repeat is already off.",),
    "set_volume": ("Volume {volume}.", "Volume set to {volume}.", "Okay, volume at {volume}."),
    "set_volume.already": ("The volume is already {volume}.", "Volume's already at {volume}."),
    "set_volume.out_of_range": ("Volume {volume}, as {edge} as it goes.", "That's the {edge}est: volume {volume}."),
    "volume_cap": ("Volume capped at {max}.", "Volume {max}, the highest I allow.",
                   "I've capped the volume at {max} so warnings stay audible."),
    "set_mute.on": ("Muted.", "Sound muted.", "Okay, muting."),
    "set_mute.off": ("Unmuted.", "Sound back on.", "Okay, sound's on."),
    "set_mute.on.already": ("It's already muted.",),
    "set_mute.off.already": ("The sound is already on.",),
    "now_playing.track": ("This is {title} by {artist}.", "{title}, by {artist}.",
                          "You're hearing {title} by {artist}."),
    "now_playing.station": ("This is {station} on {frequency}.", "You're listening to {station}, {frequency}."),
    "now_playing.paused": ("Nothing's playing. {title} is paused.", "It's paused, on {title}."),
    "now_playing.nothing": ("Nothing is playing right now.", "Nothing's on at the moment."),
    # --- navigation ------------------------------------------------------------------------------------
    "navigate_to": ("Navigating to {destination}, {eta}.", "Heading to {destination}. {eta}, {distance}.",
                    "Route to {destination} set: {eta}."),
    "navigate_to.category": ("The nearest {category} is {destination}, {eta} away.",
                             "Heading to {destination}, the closest {category}. {eta}.",
                             "Navigating to {destination}, {eta}."),
    "navigate_to.already": ("We're already heading to {destination}.",),
    "already_there": ("We're already at {destination}.", "You're already at {destination}."),
    "add_stop": ("Added a stop at {stop}, {added} extra.", "{stop} added to the route. That's {added} more.",
                 "Okay, stopping at {stop} on the way. It adds {added}."),
    "already_on_route": ("{stop} is already on the route.", "We're already stopping at {stop}."),
    "add_stop.no_active_route": ("There's no route to add a stop to.", "We need a route first. Where to?"),
    "cancel_route": ("Route to {cancelled} cancelled.", "Okay, stopped navigating to {cancelled}.",
                     "Guidance to {cancelled} ended."),
    "cancel_route.no_active_route": ("There's no route to cancel.", "No route is set, so nothing to cancel."),
    "no_active_route": ("There's no active route.", "No route is set right now."),
    "query_eta": ("We arrive in {eta}.", "About {eta} to {destination}.", "{eta} to go."),
    "query_eta.place": ("{destination} is about {eta} away.", "About {eta} to {destination} from here."),
    "query_distance.place": ("{destination} is {distance} away.", "It's {distance} to {destination} from here."),
    "query_distance": ("{distance} to go.", "{destination} is {distance} away.", "{distance} left to {destination}."),
    "next_turn.turn": ("In {distance}, turn {direction} onto {street}.",
                       "Turn {direction} onto {street} in {distance}."),
    "next_turn.straight": ("Go straight onto {street} in {distance}.", "Keep straight onto {street}, {distance}."),
    "next_turn.arrive": ("You arrive in {distance}.", "{destination} is {distance} ahead."),
    "next_turn.none": ("Just follow the road for now.", "No turns coming up yet."),
    # --- vehicle ---------------------------------------------------------------------------------------
    "set_window.closed": ("{window} closed.", "Okay, closing {window_object}."),
    "set_window.open": ("{window} open.", "Okay, opening {window_object}."),
    "set_window.partly": ("{window} open {pct}.", "Okay, {window_object} at {pct}."),
    "set_window.closed.already": ("{window} already closed.",),
    "set_window.open.already": ("{window} already open.",),
    "set_window.partly.already": ("{window} already at {pct}.",),
    "window_limited_at_speed": ("{window} open {max} percent. Above {limit}, that's the most.",
                                "{window} open {max} percent, the most at this speed."),
    "set_sunroof.closed": ("Sunroof closed.", "Okay, closing the sunroof."),
    "set_sunroof.open": ("Sunroof open.", "Okay, opening the sunroof."),
    "set_sunroof.partly": ("Sunroof open {pct}.", "Okay, sunroof at {pct}."),
    "set_sunroof.closed.already": ("The sunroof is already closed.",),
    "set_sunroof.open.already": ("The sunroof is already open.",),
    "set_sunroof.partly.already": ("The sunroof is already at {pct}.",),
    "sunroof_limited_at_speed": ("Sunroof open {max} percent. Above {limit}, that's the most.",
                                 "Sunroof open {max} percent, the most at this speed."),
    "set_door_lock.locked": ("Doors locked.", "Okay, locking the doors."),
    "set_door_lock.unlocked": ("Doors unlocked.", "Okay, unlocking the doors."),
    "set_door_lock.locked.already": ("The doors are already locked.",),
    "set_door_lock.unlocked.already": ("The doors are already unlocked.",),
    "query_range.electric": ("{range} of range left. Battery at {energy}.", "You can go about {range}.",
                             "Battery's at {energy}, good for {range}."),
    "query_range.petrol": ("{range} of range left. Fuel at {energy}.", "You can go about {range}.",
                           "The tank is at {energy}, good for {range}."),
    "query_outside_temperature": ("It's {outside} outside.", "{outside} outside right now.",
                                  "Outside it's {outside}."),
    "set_units": ("Okay, {units} from now on.", "Display switched to {units}.", "Showing {units} now."),
    "set_units.already": ("The display already shows {units}.",),
    # --- undo ------------------------------------------------------------------------------------------
    "undo.restored": ("Okay, I've put {what} back to {value}.", "Done, {what} back to {value}."),
    "undo.done": ("Okay, I've undone the {topic} change.", "Undone: the last {topic} change."),
    "nothing_to_undo": ("There's nothing to undo.", "Nothing to undo yet."),
    "undo_conflict": ("Too much has changed to undo the {topic} now.",
                      "I can't undo the {topic} change any more; too much has changed since."),
    # --- safety: refusals and questions ------------------------------------------------------------------
    "sunroof_unsafe_at_speed": ("I can't open the sunroof above {limit}.",
                                "Not at this speed. The sunroof stays shut above {limit}."),
    "unlock_while_moving": ("The doors stay locked while we're moving.", "I can't unlock the doors while driving."),
    "invalid_result": ("I can't do that. It would leave the {topic} in an impossible state.",),
    "refused": ("I can't do that. {explanation}", "Sorry, not possible. {explanation}"),
    "rear_window_open_while_driving": ("You're driving. Open {window_object} anyway?",
                                       "We're moving. Still open {window_object}?"),
    "defrost_off_in_cold": ("It's {outside} outside. Turn the windscreen defrost off anyway?",
                            "It's cold out, the windscreen may fog up. Turn the defrost off anyway?"),
    "cancel_route_while_driving": ("You're driving. Cancel the route to {destination}?",
                                   "We're on the way to {destination}. Stop the guidance anyway?"),
    "undo.needs_confirmation": ("You're driving. Undo that anyway?", "We're moving. Still undo it?"),
    "needs_confirmation": ("{explanation} Go ahead anyway?", "{explanation} Should I do it anyway?"),
    # --- not found ---------------------------------------------------------------------------------------
    "artist_not_found": ("I couldn't find an artist called {query}.", "There's no artist called {query} here."),
    "album_not_found": ("I couldn't find an album called {query}.", "There's no album called {query} here."),
    "track_not_found": ("I couldn't find a song called {query}.", "There's no song called {query} here."),
    "genre_not_found": ("I don't have any {query} music.", "There's no {query} in the library."),
    "playlist_not_found": ("There's no playlist called {query}.", "I couldn't find a playlist called {query}."),
    "station_not_found": ("I couldn't find a station called {query}.", "There's no station called {query}."),
    "station_not_found.frequency": ("There's no station on {query}.", "Nothing is broadcasting on {query}."),
    "street_not_found": ("I couldn't find a street called {query}.", "There's no {query} on the map."),
    "house_number_not_found": ("{street} only goes from {lowest} to {highest}.",
                               "There's no such number on {street}. It goes from {lowest} to {highest}."),
    "poi_not_found": ("I couldn't find a place called {query}.", "There's no {query} on the map."),
    "saved_place_not_found": ("You have no saved place called {query}.", "{query} isn't one of your places."),
    "category_not_found": ("I don't know what kind of place {query} is.", "I can't search for {query}."),
    "place_not_found": ("I couldn't find {query}.", "{query} isn't on the map."),
    "not_found": ("I couldn't find {query}.",),
    "suggest.one": ("Did you mean {suggestion}?", "Do you mean {suggestion}?"),
    "suggest.closest": ("The closest I have is {suggestion}.", "Closest match: {suggestion}."),
    "suggest.many": ("The closest I have are {suggestions}.", "Closest matches: {suggestions}."),
    # --- dialog ----------------------------------------------------------------------------------------
    "not_understood": ("Sorry, I didn't catch that.", "Sorry, could you say that again?",
                       "I didn't get that. Could you repeat it?"),
    "out_of_range": ("{value} is out of range: it can be {range}. I left it as it was.",
                     "I can't go to {value}; the range is {range}.",
                     "{value} is too far. It goes from {range}, so I left it alone."),
    "cancelled": ("Okay.", "Alright.", "Sure, never mind."),
    "question_expired": ("I've dropped that question. Say it again if you still want it.",
                         "That question has lapsed. Ask me again if you still want it."),
    "unsure": ("Did you want me to {request}?", "Do you mean I should {request}?"),
    "doubt": ("Just to be sure: do you want me to {request}?", "Should I really {request}?"),
    "declined": ("Okay, I won't.", "Alright, I'll leave it.", "Okay, leaving it as it is."),
    "nothing_to_confirm": ("There's nothing to confirm.", "I wasn't asking anything, but I'm listening.",
                           "There's nothing waiting for a yes or no."),
    "out_of_scope": ("Sorry, I can't help with that. I can handle {abilities}.",
                     "That's beyond me, I'm afraid. I can do {abilities}.",
                     "I can't do that one. Ask me about {abilities}."),
    "other_language": ("Sorry, I only understand English for now.", "I only understand English for now, sorry."),
    "unsupported": ("This car can't {what} by voice.", "Sorry, I can't {what} in this car."),
    "unsupported.rest": ("I can't {what} in this car, though.", "The car can't {what} by voice, though."),
    "out_of_scope.rest": ("I can't help with the rest, though.", "The other part is beyond me, sorry.",
                          "The rest I can't do."),
    "help": ("I can help with {abilities}. Try {examples}.", "I look after {abilities}. For example, {examples}.",
             "Ask me about {abilities}. Say {examples}."),
    "failed": ("Sorry, something went wrong with the {topic}.", "Sorry, I couldn't change the {topic}.",
               "Sorry, the {topic} didn't respond."),
}


class UnknownPhraseError(CarvoiceError):
    """Reply code asked for a case the phrasebook has no templates for, or left a template's field unfilled."""


class Phrasebook:
    """Picks one of a case's templates with a seeded generator, so replies vary but tests are repeatable."""

    def __init__(self, rng: random.Random, phrases: dict[str, tuple[str, ...]] = PHRASES):
        self._rng = rng
        self._phrases = phrases

    def has(self, key: str) -> bool:
        return key in self._phrases

    def say(self, key: str, **fields: str) -> str:
        templates = self._phrases.get(key)
        if not templates:
            raise UnknownPhraseError(f"no reply templates for {key!r}; add them to carvoice/dialog/phrases.py")
        template = self._rng.choice(templates)
        try:
            return sentence_case(template.format(**fields))
        except KeyError as missing:
            raise UnknownPhraseError(f"template {template!r} for {key!r} needs the field {missing}") from None

