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
])
def test_names_the_model_made_up_are_not(slots, said, ungrounded):
    assert ungrounded_names(slots, said) == ungrounded


def test_every_labelled_name_in_the_evaluation_set_is_grounded():
    """The check must never reject a right answer: every name in the gold labels was said (or was in the
    previous exchange)."""
    from carvoice.bench.nlu import previous_exchange
    from carvoice.nlu.catalog import load_intent_catalog
    from carvoice.nlu.evalset import load_eval_set
    from carvoice.nlu.normalize import normalize_transcript
    from carvoice.nlu.understand import what_was_said

    cases = load_eval_set(catalog=load_intent_catalog())
    misses = [(case.text, intent.slots) for case in cases for intent in case.intents
              if ungrounded_names(intent.slots, what_was_said(normalize_transcript(case.text), previous_exchange(case)))]
    assert misses == []
