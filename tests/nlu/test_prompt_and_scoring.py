"""The prompt is built from the catalog; scoring compares requests, not spellings."""

from carvoice.nlu.catalog import Call, load_intent_catalog
from carvoice.nlu.prompt import Exchange, build_prefix, build_turn
from carvoice.nlu.scoring import canonical, exact_match, slot_triples

CATALOG = load_intent_catalog()


def test_the_prefix_lists_every_intent_with_its_slots_and_examples():
    prefix = build_prefix(CATALOG)
    for intent in CATALOG.intents:
        assert f"\n{intent.name}(" in prefix
        for example in intent.examples:
            assert f"User: {example.text}\n" in prefix
    assert 'set_temperature(zone?: "driver"|"passenger"|"rear"|"all"' in prefix
    assert "set_fan(speed: int 0..7|\"auto\")" in prefix
    for example in CATALOG.multi_examples:
        assert f"User: {example.text}\n" in prefix


def test_a_turn_carries_the_previous_exchange_for_follow_ups():
    previous = Exchange("set the passenger side to 20", [Call("set_temperature", {"zone": "passenger", "value": 20})])
    assert build_turn("a bit more", previous) == (
        ' set the passenger side to 20\nCalls: set_temperature(zone="passenger", value=20)\n'
        "User: a bit more\nCalls:")
    assert build_turn("a bit more") == " a bit more\nCalls:"


def test_prefix_and_turn_read_as_one_conversation():
    prefix = build_prefix(CATALOG)
    assert prefix.endswith("\nUser:")
    assert (prefix + build_turn("next song")).endswith("\nUser: next song\nCalls:")


def test_default_slots_and_number_types_do_not_change_a_request():
    said = [Call(name="set_temperature", slots={"value": 21})]
    explicit = [Call(name="set_temperature", slots={"zone": "driver", "value": 21.0})]
    assert exact_match(said, explicit, CATALOG)
    assert not exact_match(said, [Call(name="set_temperature", slots={"zone": "all", "value": 21})], CATALOG)


def test_names_compare_without_case_punctuation_or_leading_the():
    assert exact_match([Call(name="play_artist", slots={"artist": "the rusty anchors!"})],
                       [Call(name="play_artist", slots={"artist": "The Rusty Anchors"})], CATALOG)


def test_order_of_several_intents_matters():
    ac, jazz = Call(name="set_ac", slots={"on": True}), Call(name="play_genre", slots={"genre": "jazz"})
    assert exact_match([ac, jazz], [ac, jazz], CATALOG)
    assert not exact_match([jazz, ac], [ac, jazz], CATALOG)


def test_an_action_the_car_cannot_build_never_matches():
    assert canonical(Call(name="set_temperature", slots={"zone": "rear"}), CATALOG)[0] == "invalid"


def test_slot_triples_count_only_what_was_said():
    assert slot_triples([Call(name="set_temperature", slots={"value": 21})], CATALOG) == [
        ("set_temperature", "value", 21.0)]
