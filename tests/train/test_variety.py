"""Styles change the wording, never the meaning: a slip keeps numbers' values, a reason adds no request."""

from __future__ import annotations

import random
import re

from carvoice.dialog.doubt import load_grounding_policy
from carvoice.nlu.catalog import Call, load_intent_catalog
from carvoice.nlu.scope import ScopeCheck
from carvoice.train.templates import Labelled
from carvoice.train.variety import REASONS, asr_slip, with_reason


def test_an_asr_slip_drops_punctuation_but_keeps_decimal_points():
    item = Labelled("Set it to 21.5, please! Then tune to 98.1.", (Call("set_temperature", {"value": 21.5}),))
    texts = {asr_slip(item, random.Random(seed)).text for seed in range(40)}
    stripped = [text for text in texts if "," not in text]
    assert stripped, "no sample had its punctuation removed"
    for text in stripped:
        assert "21.5" in text and "98.1" in text and not text.endswith("."), text


def test_a_reason_beside_a_request_keeps_its_label_and_asks_for_nothing_the_checks_see():
    item = Labelled("Turn the fan down.", (Call("adjust_fan", {"delta": -1}),))
    reasoned = with_reason(item, random.Random(3))
    assert reasoned.calls == item.calls and reasoned.text.startswith("Turn the fan down") and ".," not in reasoned.text
    scope = ScopeCheck(load_intent_catalog().unsupported)
    policy = load_grounding_policy()
    for reason in REASONS:
        assert not any(char.isdigit() for char in reason)
        assert scope.unsupported_clauses(reason, []) == [None] and not scope.foreign(reason), reason
        assert not policy.framings(reason), reason
        assert not re.search(r"\b(back|front|rear|left|right|side|driver|passenger|no|not|never)\b|n't\b", reason), reason
