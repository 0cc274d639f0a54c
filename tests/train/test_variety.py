"""Speech-recognition slips change the wording, never the meaning: numbers keep their value."""

from __future__ import annotations

import random

from carvoice.nlu.catalog import Call
from carvoice.train.templates import Labelled
from carvoice.train.variety import asr_slip


def test_an_asr_slip_drops_punctuation_but_keeps_decimal_points():
    item = Labelled("Set it to 21.5, please! Then tune to 98.1.", (Call("set_temperature", {"value": 21.5}),))
    texts = {asr_slip(item, random.Random(seed)).text for seed in range(40)}
    stripped = [text for text in texts if "," not in text]
    assert stripped, "no sample had its punctuation removed"
    for text in stripped:
        assert "21.5" in text and "98.1" in text and not text.endswith("."), text
