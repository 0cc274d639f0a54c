"""The short prompt a fine-tuned student reads: one line, no catalog listing, the same turns and answer cue."""

from carvoice.nlu.catalog import Call, load_intent_catalog
from carvoice.nlu.prompt import INSTRUCTIONS, SHORT_INSTRUCTIONS, USER, Exchange, build_prefix, build_turn
from carvoice.train.dataset import PreviousTurn, TrainingExample
from carvoice.train.encode import prompt_parts


def test_the_short_prefix_is_one_line_without_functions_or_examples():
    catalog = load_intent_catalog()
    short = build_prefix(catalog, "short")
    assert short == f"{SHORT_INSTRUCTIONS}\n{USER}"
    assert all(intent.name not in short for intent in catalog.intents if intent.name != "out_of_scope")
    assert build_prefix(catalog) == build_prefix(catalog, "full") and build_prefix(catalog).startswith(INSTRUCTIONS)


def test_a_training_example_is_the_run_time_prompt_with_the_answer_after_it():
    catalog = load_intent_catalog()
    example = TrainingExample(
        text="uh twenty two on the passenger side", kind="follow_up",
        calls=[Call(name="set_temperature", slots={"zone": "passenger", "value": 22})],
        previous=PreviousTurn(text="my side to twenty two", calls=[
            Call(name="set_temperature", slots={"zone": "driver", "value": 22})]))
    parts = prompt_parts(example, catalog)
    previous = Exchange("my side to 22", [Call("set_temperature", {"zone": "driver", "value": 22})])
    assert parts.prefix == build_prefix(catalog, "short")
    assert parts.turn == build_turn("uh 22 on the passenger side", previous)  # normalised, as the NLU stage does
    assert parts.answer == 'set_temperature(zone="passenger", value=22)\n'
