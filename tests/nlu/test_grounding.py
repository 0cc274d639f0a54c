import pytest

from carvoice.nlu.grounding import ungrounded_names


@pytest.mark.parametrize(("slots", "said"), [
    ({"place": "Central Station"}, "take me to central station please"),
    ({"artist": "Marina Vale"}, "play something by marina veil"),  # an ASR slip
    ({"title": "Paper Moon Parade", "artist": "The Velvet Lanterns"}, "play paper moon parade by velvet lanterns"),
    ({"place": "home"}, "take me home"),
    ({"genre": "jazz"}, "something relaxing"),  # genres are paraphrased: not checked
    ({"delta": 2}, "warmer"),
])
def test_names_that_were_said_are_grounded(slots, said):
    assert ungrounded_names(slots, said) == []


@pytest.mark.parametrize(("slots", "said", "ungrounded"), [
    ({"place": "home"}, "🚗🔥🎵🙂", ["place"]),
    ({"title": "Paper Boats", "artist": "The Velvet Lanterns"}, "play", ["title", "artist"]),
    ({"station": "Jazz FM"}, "navigate to the moon", ["station"]),
    ({"place": "that"}, "navigate to that", ["place"]),  # a pointer names no place
])
def test_names_the_model_made_up_are_not(slots, said, ungrounded):
    assert ungrounded_names(slots, said) == ungrounded


def test_every_labelled_name_in_the_evaluation_set_is_grounded():
    """The check must never reject a right answer: every name in the gold labels was said (or was in the
    previous exchange)."""
    from carvoice.bench.nlu import previous_understanding
    from carvoice.nlu.catalog import load_intent_catalog
    from carvoice.nlu.evalset import load_eval_set
    from carvoice.nlu.normalize import normalize_transcript
    from carvoice.nlu.understand import what_was_said

    cases = load_eval_set(catalog=load_intent_catalog())
    misses = []
    for case in cases:
        previous = previous_understanding(case)
        said = what_was_said(normalize_transcript(case.text), previous.as_exchange() if previous else None)
        misses += [(case.text, intent.slots) for intent in case.intents if ungrounded_names(intent.slots, said)]
    assert misses == []


from carvoice.nlu.grounding import questions_keep_route, to_or_by, unsaid_numbers  # noqa: E402
from carvoice.nlu.catalog import Call  # noqa: E402


@pytest.mark.parametrize(("call", "text", "expected"), [
    (Call("adjust_fan", {"delta": 4}), "turn the fan up to level 4", Call("set_fan", {"speed": 4})),
    (Call("adjust_fan", {"delta": 4}), "Turn the fan up to level 4.", Call("set_fan", {"speed": 4})),
    (Call("adjust_temperature", {"zone": "rear", "delta": -19}), "lower the back to 19",
     Call("set_temperature", {"zone": "rear", "value": 19})),
    (Call("set_volume", {"level": 3}), "turn it down by 3", Call("adjust_volume", {"delta": -3})),
    (Call("set_temperature", {"value": 2}), "warmer by 2 degrees", Call("adjust_temperature", {"delta": 2})),
    (Call("adjust_volume", {"delta": 3}), "louder by 3", Call("adjust_volume", {"delta": 3})),
    (Call("set_fan", {"speed": 4}), "fan to 4", Call("set_fan", {"speed": 4})),
    (Call("adjust_temperature", {"delta": -5}), "set the temperature to minus 5",
     Call("set_temperature", {"value": -5})),
    (Call("adjust_temperature", {"delta": -5}), "set the temperature to -5", Call("set_temperature", {"value": -5})),
    (Call("adjust_volume", {"delta": -3}), "volume to negative 3", Call("set_volume", {"level": -3})),
])
def test_to_a_number_sets_it_and_by_a_number_changes_by_it(call, text, expected):
    assert to_or_by([call], text) == [expected]


@pytest.mark.parametrize(("calls", "text", "unsaid"), [
    ([Call("set_volume", {"level": 20})], "volume to 12", ["level"]),
    ([Call("set_volume", {"level": 12})], "volume to 12", []),
    ([Call("set_seat_heat", {"level": 3})], "turn on my seat heater", []),  # no number said: words decide
    ([Call("set_temperature", {"value": 22}), Call("set_fan", {"speed": 3})], "22 degrees and fan 3", []),
    ([Call("adjust_temperature", {"delta": -2})], "2 degrees cooler", []),
    ([Call("tune_radio", {"frequency": 8.1, "band": "am"})], "AM 8 10", ["frequency"]),
    ([Call("set_window", {"window": "passenger", "open_pct": 50})], "open the passenger window -50 percent",
     ["open_pct"]),
    ([Call("adjust_temperature", {"delta": -2})], "cooler by -2", []),
    ([Call("set_temperature", {"value": 23}), Call("set_seat_heat", {"level": 2})], "23 and heat the seat", []),
    ([Call("set_volume", {"level": 3})], "set volume to 3O", ["level"]),  # a letter O for a zero
    ([Call("set_fan", {"speed": 7})], "blower ∞", ["speed"]),  # infinity is no setting
    ([Call("set_fan", {"speed": 4})], "fan to 4.2.1", ["speed"]),  # two decimal points
    ([Call("set_seat_heat", {"level": 3})], "seat warmer to infinity", ["level"]),
    ([Call("set_volume", {"level": 0})], "volume to 0x1E", ["level"]),
    ([Call("set_fan", {"speed": 3})], "fan speed: undefined", ["speed"]),  # a program's failed number
    ([Call("set_seat_heat", {"level": 2})], "seat heat = NaN", ["level"]),
    ([Call("adjust_temperature", {"delta": 2})], "warm it up a bit, my nan feels the cold", []),  # a grandmother
    ([Call("set_temperature", {"value": 22})], "22C please", []),
    ([Call("skip", {"direction": "next", "count": 3})], "skip to the 3rd song", []),
    ([Call("set_volume", {"level": 30})], "put U2 on at max volume", []),  # a name with a digit is no number
])
def test_a_number_nobody_said_is_caught(calls, text, unsaid):
    assert unsaid_numbers(calls, text) == unsaid


@pytest.mark.parametrize(("text", "expected"), [
    ("how far is the City Museum", Call("query_distance", {"place": "City Museum"})),
    ("how long to the City Museum?", Call("query_eta", {"place": "City Museum"})),
    ("is there a City Museum nearby", Call("query_distance", {"place": "City Museum"})),
    ("take me to the City Museum", Call("navigate_to", {"place": "City Museum"})),
    ("can you take me to the City Museum?", Call("navigate_to", {"place": "City Museum"})),
])
def test_a_question_about_a_place_does_not_change_the_route(text, expected):
    assert questions_keep_route([Call("navigate_to", {"place": "City Museum"})], text) == [expected]


def test_one_call_written_twice_is_asked_for_once():
    from carvoice.nlu.grounding import once_each

    cooler, warmer = Call("adjust_temperature", {"delta": -1}), Call("adjust_temperature", {"delta": 1})
    assert once_each([cooler, cooler]) == [cooler]
    driver, passenger = (Call("set_temperature", {"zone": zone, "value": 21}) for zone in ("driver", "passenger"))
    assert once_each([driver, passenger, driver, warmer]) == [driver, passenger, warmer]


def test_a_question_keeps_only_the_one_place_of_a_route_call():
    stop = Call("add_stop", {"category": "pharmacy", "along_route": True})
    assert questions_keep_route([stop], "is there a pharmacy nearby") == \
        [Call("query_distance", {"category": "pharmacy"})]
    both = Call("navigate_to", {"place": "City Museum", "category": "museum"})
    assert questions_keep_route([both], "how far is the City Museum") == \
        [Call("query_distance", {"place": "City Museum"})]


def test_a_sign_goes_with_its_own_number_only():
    calls = [Call("adjust_temperature", {"delta": -2}), Call("adjust_fan", {"delta": 2})]
    assert to_or_by(calls, "temperature to minus 2 and the fan up to 2") == calls  # which is which is unclear
    assert unsaid_numbers([Call("set_temperature", {"value": 5})], "set it to minus 5") == ["value"]


from carvoice.nlu.catalog import load_intent_catalog  # noqa: E402
from carvoice.nlu.grounding import same_place  # noqa: E402

_PASSENGER_20 = [Call("set_temperature", {"zone": "passenger", "value": 20})]


@pytest.mark.parametrize(("call", "text", "previous", "expected"), [
    (Call("adjust_temperature", {"delta": 1}), "a bit more", _PASSENGER_20, {"zone": "passenger", "delta": 1}),
    (Call("adjust_temperature", {"delta": 1}), "driver side a bit more", _PASSENGER_20, {"delta": 1}),
    (Call("adjust_temperature", {"delta": 1}), "a bit more", [], {"delta": 1}),
    (Call("set_seat_ventilation", {"level": 2}), "and cooling too",
     [Call("set_seat_heat", {"seat": "rear_left", "level": 0})], {"seat": "rear_left", "level": 2}),
    # the defrost's windows are front and rear, not a side window: nothing to carry
    (Call("set_defrost", {"on": True}), "that one too", [Call("set_window", {"window": "driver", "open_pct": 0})],
     {"on": True}),
])
def test_a_follow_up_keeps_the_place_in_the_car_just_spoken_of(call, text, previous, expected):
    assert same_place([call], text, previous, load_intent_catalog()) == [Call(call.name, expected)]


from carvoice.nlu.grounding import switched_as_said  # noqa: E402


@pytest.mark.parametrize(("text", "given", "on"), [
    ("Turn off the windscreen defrost.", {"on": True, "window": "front"}, False),
    ("switch on the recirculation please", {"on": False}, True),
    ("turn the AC on", {"on": True}, True),
])
def test_a_switch_goes_the_way_the_words_turn_it(text, given, on):
    assert switched_as_said([Call("set_defrost", given)], text) == [Call("set_defrost", {**given, "on": on})]


@pytest.mark.parametrize(("text", "given", "expected"), [
    ("switch off the seat warmers and the rear demister",
     [Call("set_seat_heat", {"level": 0}), Call("set_defrost", {"window": "rear", "on": True})],
     [Call("set_seat_heat", {"level": 0}), Call("set_defrost", {"window": "rear", "on": False})]),
    ("shut the roof, the back windows and mine",
     [Call("set_sunroof", {"open_pct": 100}), Call("set_window", {"window": "rear", "open_pct": 0})],
     [Call("set_sunroof", {"open_pct": 0}), Call("set_window", {"window": "rear", "open_pct": 0})]),
    ("close the passenger window", [Call("set_window", {"window": "passenger", "open_pct": 100})],
     [Call("set_window", {"window": "passenger", "open_pct": 0})]),
])
def test_one_verb_goes_for_every_thing_joined_to_it(text, given, expected):
    assert switched_as_said(given, text) == expected


@pytest.mark.parametrize(("text", "calls"), [
    ("I don't want the AC on", [Call("set_ac", {"on": False})]),  # a negation
    ("turn the heater on my side off", [Call("set_ac", {"on": True})]),  # both words
    ("turn the sound off", [Call("set_mute", {"on": True})]),  # the mute's switch is the silence
    ("turn off the AC and shuffle the songs", [Call("set_ac", {"on": False}), Call("set_shuffle", {"on": True})]),
    ("the defrost is on", [Call("set_defrost", {"on": False})]),  # no turning said
    ("close the sunroof halfway", [Call("set_sunroof", {"open_pct": 50})]),  # a size
    ("close my window and open the roof", [Call("set_window", {"open_pct": 0}), Call("set_sunroof", {"open_pct": 100})]),
    ("we're close to home, the windows at 30", [Call("set_window", {"open_pct": 30})]),  # no closing verb
    ("shut the windows and blast the heating", [Call("set_window", {"open_pct": 0}), Call("set_defrost", {"on": True})]),
    ("don't close the sunroof", [Call("set_sunroof", {"open_pct": 100})]),  # a negation
])
def test_a_switch_is_left_to_the_model_when_the_words_do_not_decide(text, calls):
    assert switched_as_said(calls, text) == calls


from carvoice.nlu.grounding import short_of_the_most  # noqa: E402
from carvoice.nlu.normalize import normalize_transcript  # noqa: E402


@pytest.mark.parametrize(("text", "call", "short"), [
    ("blast it to full volume, nobody's listening", Call("set_volume", {"level": 3}), ["level"]),
    ("blower on full", Call("set_fan", {"speed": 4}), ["speed"]),
    ("blower on full", Call("set_fan", {"speed": 7}), []),
    ("sunroof all the way up", Call("set_sunroof", {"open_pct": 100}), []),
    ("wind the window fully shut", Call("set_window", {"open_pct": 0}), []),  # "full" with closing
    ("max volume and the fan to 2", Call("set_volume", {"level": 12}), []),  # a number said: unsaid_numbers' job
    ("max heat", Call("set_temperature", {"value": 24}), []),  # a temperature's range depends on its unit
    ("fan as strong as it can be, please", Call("set_fan", {"speed": 3}), ["speed"]),  # the most, in other words
    ("open the sunroof as far as you can", Call("set_sunroof", {"open_pct": 100}), []),
    ("I want the bass as high as it can be", Call("adjust_volume", {"delta": 4}), ["delta"]),  # a step short of it
    ("fan, maxed out", Call("adjust_fan", {"delta": 2}), ["delta"]),
    ("turn it up by the max, thirty", Call("adjust_volume", {"delta": 30}), []),  # a step to the top
    ("full blast then a little lower", Call("adjust_fan", {"delta": -1}), []),  # words that lower it
    ("louder, go on, all the way", Call("adjust_volume", {"delta": 2}), ["delta"]),
])
def test_a_number_short_of_the_most_the_words_ask_for_is_the_models(text, call, short):
    assert short_of_the_most([call], normalize_transcript(text), load_intent_catalog()) == short


from carvoice.nlu.grounding import confirmation_only  # noqa: E402


@pytest.mark.parametrize(("text", "calls", "expected"), [
    ("yeah, do it then", [Call("adjust_volume", {"delta": 2})], [Call("yes")]),  # the previous request again
    ("go on then", [Call("resume")], [Call("yes")]),
    ("Okay. Sounds good!", [Call("yes")], [Call("yes")]),
    ("go on, skip this one", [Call("skip", {"direction": "next"})], [Call("skip", {"direction": "next"})]),
    ("okay turn it up", [Call("adjust_volume", {"delta": 1})], [Call("adjust_volume", {"delta": 1})]),
    ("then", [Call("resume")], [Call("resume")]),
])
def test_words_that_only_confirm_are_a_yes(text, calls, expected):
    assert confirmation_only(calls, text) == expected


from carvoice.nlu.grounding import confirmed_not_repeated  # noqa: E402

_WARMER = Call("adjust_temperature", {"delta": 1})


@pytest.mark.parametrize(("text", "calls", "expected"), [
    ("sure thing. now the news station please", [_WARMER, Call("tune_radio", {"station": "News"})],
     [Call("yes"), Call("tune_radio", {"station": "News"})]),
    ("okay and skip this track", [_WARMER, Call("skip", {"direction": "next"})],
     [Call("yes"), Call("skip", {"direction": "next"})]),
    ("yeah, and a bit more", [_WARMER], [_WARMER]),  # asked again
    ("warmer still, and skip this", [_WARMER, Call("skip", {"direction": "next"})],
     [_WARMER, Call("skip", {"direction": "next"})]),  # no yes first
])
def test_a_yes_beside_a_new_request_never_repeats_the_previous_one(text, calls, expected):
    assert confirmed_not_repeated(calls, text, [_WARMER]) == expected


from carvoice.nlu.grounding import unsaid_units  # noqa: E402


@pytest.mark.parametrize(("text", "slots", "unsaid"), [
    ("show the distances in leagues", {"distance_unit": "km"}, ["distance_unit"]),  # a unit the car lacks
    ("temperatures in kelvin on the display", {"temperature_unit": "C"}, ["temperature_unit"]),
    ("go metric", {"distance_unit": "km", "temperature_unit": "C"}, []),
    ("display fahrenheit", {"temperature_unit": "F"}, []),
    ("I'd rather see miles", {"distance_unit": "mi"}, []),
])
def test_a_display_unit_needs_words_for_it(text, slots, unsaid):
    assert unsaid_units([Call("set_units", slots)], text) == unsaid


from carvoice.nlu.grounding import not_where_we_are, unsaid_extremes  # noqa: E402


@pytest.mark.parametrize(("text", "level", "unsaid"), [
    ("rear seats heat lvl 3 thx", "LO", ["level"]),  # a typo and a level: the model's extreme, not the words'
    ("passenger side please, 2", "HI", ["level"]),
    ("freeze me out on my side", "LO", []),
    ("as toasty as it goes", "HI", []),
    ("crank it all the way", "LO", []),  # "all the way" asks for either end
])
def test_an_extreme_needs_words_for_it(text, level, unsaid):
    assert unsaid_extremes([Call("set_temperature", {"level": level})], text) == unsaid


@pytest.mark.parametrize(("text", "kept"), [
    ("we're stuck on the Ring Road again, put some music on", []),
    ("I'm at Harbour Street, it's freezing, heat up", []),
    ("we're in a rush, take me to Harbour Street", ["navigate_to"]),
    ("we are going to Harbour Street", ["navigate_to"]),
])
def test_where_the_car_is_is_no_destination(text, kept):
    place = "Ring Road" if "Ring" in text else "Harbour Street"
    assert [c.name for c in not_where_we_are([Call("navigate_to", {"place": place})], text)] == kept


@pytest.mark.parametrize(("text", "expected"), [
    ("is there a charger round here?", "query_distance"),
    ("is there a charger round here? take me there", "navigate_to"),  # asked to go as well
])
def test_a_question_about_a_place_asks_about_it_unless_it_asks_to_go(text, expected):
    assert questions_keep_route([Call("navigate_to", {"category": "ev_charging"})], text)[0].name == expected


from carvoice.nlu.grounding import unsaid_intents  # noqa: E402


@pytest.mark.parametrize(("text", "unsaid"), [
    ("lower the back windows so the poles fit", ["set_defrost"]),  # a window to open, not its demister
    ("the rear glass is all steamed up", []),
    ("I can't see out the back", []),
    ("demister on at the back", []),  # normalised to "defrost"
])
def test_an_intent_needs_the_words_the_catalog_gives_it(text, unsaid):
    calls = [Call("set_defrost", {"on": True, "window": "rear"})]
    assert unsaid_intents(calls, normalize_transcript(text), load_intent_catalog()) == unsaid


from carvoice.nlu.grounding import in_other_units  # noqa: E402


@pytest.mark.parametrize(("text", "call", "unsaid"), [
    ("crack the passenger window two centimetres", Call("set_window", {"window": "front_right", "open_pct": 2}),
     ["open_pct"]),
    ("fan at 3 for ten minutes", Call("set_fan", {"speed": 10}), ["speed"]),  # a duration, not a speed
    ("volume 20 in the back please", Call("set_volume", {"level": 20}), []),
    ("open the window 10 percent, it's 30 degrees out", Call("set_window", {"open_pct": 10}), []),
])
def test_a_level_or_opening_has_no_unit_of_length_or_time(text, call, unsaid):
    assert in_other_units([call], normalize_transcript(text)) == unsaid


from carvoice.nlu.grounding import unsaid_part_openings  # noqa: E402


@pytest.mark.parametrize(("text", "call", "unsaid"), [
    ("let's have the roof open and the heater on", Call("set_sunroof", {"open_pct": 20}), ["open_pct"]),
    ("roll the back windows down", Call("set_window", {"window": "rear", "open_pct": 50}), ["open_pct"]),
    ("roll the back windows down", Call("set_window", {"window": "rear", "open_pct": 100}), []),
    ("give me a sliver of fresh air from the roof", Call("set_sunroof", {"open_pct": 20}), []),
    ("lower my window a tad", Call("set_window", {"open_pct": 20}), []),
    ("put the windows half down", Call("set_window", {"open_pct": 50}), []),
    ("the roof to forty, please", Call("set_sunroof", {"open_pct": 40}), []),  # said as a number
])
def test_an_opening_part_way_needs_words_that_size_it(text, call, unsaid):
    assert unsaid_part_openings([call], normalize_transcript(text)) == unsaid
