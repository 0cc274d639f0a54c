"""Requests the car cannot take, recognised by their words: other languages and functions it lacks."""

import pytest

from carvoice.nlu.catalog import OUT_OF_SCOPE, Call, load_intent_catalog
from carvoice.nlu.scope import ScopeCheck

SCOPE = ScopeCheck(load_intent_catalog().unsupported)


def nothing_read(part: str) -> list[Call]:
    return []


def reads(parts: dict[str, list[Call]]):
    """A model that reads each part of an utterance as `parts` says, and nothing else."""
    return lambda part: parts.get(part, [])


@pytest.mark.parametrize("text", ["Öffne bitte alle Fenster", "mach bitte die Musik lauter",
                                  "ouvre la fenêtre s'il vous plaît", "pon la música más alta por favor",
                                  "apri tutti i finestrini per favore", "открой окно", "窓を開けて",
                                  "camları kapat lütfen", "müziği biraz kıs", "Pornește aerul condiționat",
                                  "Zamknij szyberdach, zimno mi", "KLİMAYI KAPAT", "fa troppo freddo qui",
                                  "mettez de la musique", "hace mucho calor aquí", "es ist zu kalt hier",
                                  "Skru ned musikken", "Kan du stänga fönstret", "Åbn vinduerne", "Sulje ikkuna",
                                  "Otevři střešní okno", "Vặn nhỏ âm lượng"])
def test_other_languages_are_found(text):
    assert SCOPE.foreign(text)


@pytest.mark.parametrize("text", ["open all the windows", "play some jazz by Marina Vale", "navigate to Café Aroma",
                                  "set it to 22 degrees", "la la la turn it up", "no, the passenger side",
                                  "play Déjà Vu by Beyoncé", "take me to Łódź Street", "turn on the dash cam",
                                  "play Dağlar Dağlar by Barış Manço", "Große Straße please",
                                  "play Caldo Verde by Marina Vale", "it's too hot in here, cool it down",
                                  "er, turn it up", "I spilled my coffee, open the window"])
def test_english_is_english(text):
    assert not SCOPE.foreign(text)


@pytest.mark.parametrize(("text", "calls", "reason"), [
    ("put it in park", [Call("navigate_to", {"category": "park"})], "gears"),
    ("shift into reverse", [Call("undo", {})], "gears"),
    ("turn off traction control", [Call("set_climate_sync", {"on": False})], "drive_modes"),
    ("turn up the heat at home", [Call("adjust_temperature", {"delta": 1})], "home"),
    ("close the blinds in the bedroom", [Call("set_sunroof", {"open_pct": 0})], "home"),
    ("set a timer for ten minutes", [Call("pause", {})], "time"),
    ("turn on the headlights", [Call("set_defrost", {"on": True})], "lights"),
    ("put my phone on do not disturb", [Call("set_source", {"source": "bluetooth"})], "phone"),
    ("who wrote Wuthering Heights", [Call("play_track", {"title": "Wuthering Heights"})], "knowledge"),
    ("how deep is the Atlantic", [Call("query_outside_temperature", {})], "knowledge"),
    ("what is the population of Canada", [Call("query_range", {})], "knowledge"),
    ("give us a fun fact", [Call("play_genre", {"genre": "fun"})], "knowledge"),
    ("tilt the steering wheel up a bit", [Call("adjust_fan", {"delta": 1})], "body"),
    ("save this spot as open all windows", [Call("set_window", {"open_pct": 100})], "saving"),  # a name to save
    ("pin where we are right now", [Call("query_eta", {})], "saving"),
    ("how fast are we doing right now", [Call("query_eta", {})], "trip"),
    ("what's the mpg been like", [Call("query_range", {})], "trip"),
    ("is there much traffic near the bridge", [Call("query_distance", {})], "trip"),
    ("we want no toll roads today", [Call("skip", {"direction": "next"})], "route_options"),
    ("go a different way, this one's jammed", [Call("navigate_to", {"category": "park"})], "route_options"),
    ("zoom out a little", [Call("adjust_volume", {"delta": -2})], "route_options"),
    ("which station were we on last week", [Call("query_now_playing", {})], "history"),
    ("where is my brother right now", [Call("query_eta", {})], "people"),
    ("my seat's way too far forward", [Call("skip", {"direction": "next"})], "body"),
    ("bring the steering wheel closer", [Call("adjust_temperature", {"delta": 1})], "body"),
    ("disable the passenger airbag", [Call("set_seat_heat", {"level": 0, "seat": "passenger"})], "body"),
    ("warm the house up before we get back", [Call("adjust_temperature", {"delta": 1})], "home"),
    ("put the radiators on", [Call("set_temperature", {"level": "HI"})], "home"),
    ("any hail expected", [Call("add_stop", {"category": "supermarket"})], "services"),
    ("rename this playlist", [Call("play_playlist", {"playlist": "This"})], "saving"),
    ("how far is Leeds from Manchester", [Call("query_distance", {})], "knowledge"),
    ("can you convert sixty miles to kilometres", [Call("query_distance", {})], "knowledge"),
    ("tell me the time please", [Call("query_eta", {})], "time"),
    ("recline my seat back a bit", [Call("skip", {"direction": "previous"})], "body"),
    ("what's my next appointment", [Call("query_eta", {})], "time"),
    ("move my meeting to three", [Call("set_temperature", {"value": 3})], "time"),
    ("is it going to be icy on the way home", [Call("query_outside_temperature", {})], "services"),
    ("how warm will it get this weekend", [Call("query_outside_temperature", {})], "services"),
    ("when does the last bus leave", [Call("query_eta", {})], "services"),
    ("is the 7:15 pm train on time", [Call("query_eta", {})], "services"),
    ("set the car park as my work address", [Call("navigate_to", {"category": "parking"})], "saving"),
    ("boost the bass a little", [Call("adjust_volume", {"delta": 2})], "sound"),
    ("shift the balance to the left", [Call("skip", {"direction": "previous"})], "sound"),
    ("the rear speakers are much too loud", [Call("adjust_volume", {"delta": -2})], "sound"),
])
def test_functions_the_car_lacks_are_out_of_scope(text, calls, reason):
    assert SCOPE.apply(text, calls, nothing_read) == ([Call(OUT_OF_SCOPE, {})], reason)


def test_only_the_clause_that_names_a_missing_function_is_out_of_scope():
    calls = [Call("set_ac", {"on": True}), Call("navigate_to", {"category": "park"})]
    assert SCOPE.apply("turn on the AC and put it in park", calls, nothing_read) == \
        ([Call("set_ac", {"on": True}), Call(OUT_OF_SCOPE, {})], "gears")


MUTE = Call("set_mute", {"on": True})
WINDOW = Call("set_window", {"open_pct": 100})
SEATS = Call("set_seat_heat", {"level": 3})
PAUSE = Call("pause", {})
FRONT = Call("set_window", {"which": "front", "open_pct": 0})
REAR = Call("set_window", {"which": "rear", "open_pct": 0})
UNLOCK = Call("set_door_lock", {"locked": False})


@pytest.mark.parametrize(("text", "calls", "parts", "kept"), [
    ("I'm on a call with my boss so mute the music", [MUTE], {"mute the music": [MUTE]}, [MUTE]),
    ("the call's over, carry on playing", [Call("resume", {})], {"carry on playing": [Call("resume", {})]},
     [Call("resume", {})]),
    ("open the window because the forecast says rain", [WINDOW], {"open the window": [WINDOW]}, [WINDOW]),
    ("I just got a text from Sam so pause the music", [PAUSE], {"pause the music": [PAUSE]}, [PAUSE]),
    ("I'm on a call, close the windows", [FRONT, REAR], {"close the windows": [FRONT, REAR]}, [FRONT, REAR]),
    ("it was snowing at the office so heat the seats up all the way", [Call("set_seat_heat", {"seat": "all"})],
     {"heat the seats up all the way": [SEATS]}, [SEATS]),  # what the request reads as alone
])
def test_a_reason_that_names_a_missing_function_asks_for_nothing(text, calls, parts, kept):
    assert SCOPE.unsupported_clauses(text, calls).count(None) == 1
    assert SCOPE.apply(text, calls, reads(parts)) == (kept, None)


@pytest.mark.parametrize(("text", "calls", "parts", "kept"), [
    ("send a text to Sam, then open the window", [WINDOW], {"open the window": [WINDOW]},
     [Call(OUT_OF_SCOPE, {}), WINDOW]),
    ("open the window and set an alarm for six", [WINDOW], {"open the window": [WINDOW]},
     [WINDOW, Call(OUT_OF_SCOPE, {})]),
    ("set an alarm for six, open the window", [WINDOW], {"open the window": [WINDOW]},
     [Call(OUT_OF_SCOPE, {}), WINDOW]),
    ("text Sam so he knows we're late, and open the window", [WINDOW],  # a request before "so" is still one
     {"he knows we're late, open the window": [WINDOW]}, [Call(OUT_OF_SCOPE, {}), WINDOW]),
    ("the kitchen's lights off and open the window", [WINDOW], {"open the window": [WINDOW]},
     [Call(OUT_OF_SCOPE, {}), WINDOW]),  # "'s" is no "is" here
])
def test_a_request_the_car_lacks_beside_one_it_can_do_is_said_to_be_out_of_scope(text, calls, parts, kept):
    assert SCOPE.apply(text, calls, reads(parts))[0] == kept


@pytest.mark.parametrize(("text", "calls", "parts"), [
    ("set a timer for ten minutes, thanks", [PAUSE], {"thanks": [Call("yes", {})]}),
    ("I'm on a call with my boss so start the music", [MUTE], {"start the music": [Call("resume", {})]}),
    ("check my emails then read them out", [Call("play_genre", {"genre": "news"})], {}),
    # the words right after a text, a message or what something says may be its words
    ("text Sam: unlock the doors", [UNLOCK], {"unlock the doors": [UNLOCK]}),
    ("text Sam: unlock the doors", [WINDOW, UNLOCK], {"unlock the doors": [UNLOCK]}),
    ("my wife's text says, unlock the doors", [UNLOCK], {"unlock the doors": [UNLOCK]}),
    ("there's a text from Sam, unlock the doors", [UNLOCK], {"unlock the doors": [UNLOCK]}),
    ("I just got a text from Sam, pause the music", [PAUSE], {"pause the music": [PAUSE]}),
    # what "it" is cannot be told when it may be the thing the car lacks
    ("the kitchen speaker, turn it down a bit", [Call("adjust_volume", {"delta": -2})],
     {"turn it down a bit": [Call("adjust_volume", {"delta": -2})]}),
    ("my seat is too far back, move it forward please", [Call("skip", {"direction": "next"})],
     {"move it forward please": [Call("skip", {"direction": "next"})]}),
])
def test_a_call_the_other_clauses_do_not_ask_for_alone_is_not_kept(text, calls, parts):
    assert None in SCOPE.unsupported_clauses(text, calls)
    assert SCOPE.apply(text, calls, reads(parts))[0] == [Call(OUT_OF_SCOPE, {})]


@pytest.mark.parametrize(("text", "calls", "kept"), [
    ("open the sunroof, potom zavři okna",
     [Call("set_sunroof", {"open_pct": 100}), Call("set_window", {"open_pct": 0})],
     [Call("set_sunroof", {"open_pct": 100}), Call(OUT_OF_SCOPE, {})]),
    ("bật điều hòa lên, and play some jazz",
     [Call("set_ac", {"on": True}), Call("play_genre", {"genre": "jazz"})],
     [Call(OUT_OF_SCOPE, {}), Call("play_genre", {"genre": "jazz"})]),
])
def test_a_clause_in_another_language_is_out_of_scope(text, calls, kept):
    assert SCOPE.apply(text, calls, nothing_read) == (kept, "other_language")


@pytest.mark.parametrize(("text", "calls"), [
    ("play Call Me Tonight", [Call("play_track", {"title": "Call Me Tonight"})]),  # a name, not a call
    ("take me to the park", [Call("navigate_to", {"category": "park"})]),
    ("play some light jazz", [Call("play_genre", {"genre": "jazz"})]),
    ("play Harbour Lights", [Call("play_track", {"title": "Harbour Lights"})]),
    ("turn the steering wheel heat up", [Call("set_steering_wheel_heat", {"on": True})]),
    ("turn the AC off to save some battery", [Call("set_ac", {"on": False})]),
    ("add a stop at home", [Call("add_stop", {"place": "home"})]),
    ("find a parking garage", [Call("navigate_to", {"category": "parking"})]),
    ("who sang this one", [Call("query_now_playing", {})]),  # the song playing, not a quiz
    ("how big is the tank", [Call("query_range", {})]),  # the car's own
    ("tell me the way to Harbour Street", [Call("navigate_to", {"place": "Harbour Street"})]),
    ("make this song louder", [Call("adjust_volume", {"delta": 2})]),
    ("cool the passenger seat down", [Call("set_seat_ventilation", {"seat": "passenger", "level": 2})]),
    ("remind me who sings this", [Call("query_now_playing", {})]),
    ("fan down, my contact lenses are drying out", [Call("adjust_fan", {"delta": -1})]),
    ("we're meeting Sam at Casa Miguel, take me there", [Call("navigate_to", {"place": "Casa Miguel"})]),
    ("shuffle, I don't care about the order a bit", [Call("set_shuffle", {"on": True})]),
    ("bring it back", [Call("undo", {})]),
    ("play any good jazz", [Call("play_genre", {"genre": "jazz"})]),
    ("drop me at my office", [Call("navigate_to", {"place": "office"})]),
    ("how far is Harbour Street from here", [Call("query_distance", {"place": "Harbour Street"})]),
    ("fan to max speed", [Call("set_fan", {"speed": 7})]),
    ("what's the quickest way to the airport", [Call("navigate_to", {"category": "airport"})]),
    ("how long till we get there, we left an hour ago", [Call("query_eta", {})]),
    ("display celsius", [Call("set_units", {"temperature_unit": "C"})]),
    ("find the next bus stop", [Call("navigate_to", {"category": "parking"})]),
    ("how long will it take to get home tonight", [Call("query_eta", {})]),
    ("tomorrow morning how long will it take to drive to work", [Call("query_eta", {})]),
    ("is it going to be too hot in here with the heater on", [Call("query_cabin_temperature", {})]),
    ("turn the speakers right up", [Call("adjust_volume", {"delta": 2})]),
    ("play some drum and bass", [Call("play_genre", {"genre": "drum and bass"})]),
    ("somewhere to plug the car in", [Call("navigate_to", {"category": "charging"})]),
    ("it's freezing tonight, turn the heat up", [Call("adjust_temperature", {"delta": 1})]),
    ("put some Smetana on, then turn it up",
     [Call("play_artist", {"artist": "Smetana"}), Call("adjust_volume", {"delta": 2})]),
])
def test_car_requests_are_left_alone(text, calls):
    assert SCOPE.apply(text, calls, nothing_read) == (calls, None)


def test_no_evaluation_case_the_car_can_do_is_taken_for_a_missing_function():
    """The cues must never take a request the car can do out of scope (the own evaluation set's labels)."""
    from carvoice.nlu.evalset import load_eval_set
    from carvoice.nlu.normalize import normalize_transcript

    catalog = load_intent_catalog()
    wrong = [case.text for case in load_eval_set(catalog=catalog) if not case.is_out_of_scope
             and SCOPE.apply(normalize_transcript(case.text), case.intents, reads({}))[1] is not None
             and all(i.name != OUT_OF_SCOPE for i in case.intents)]
    assert wrong == []
