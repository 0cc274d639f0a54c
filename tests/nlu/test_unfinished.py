import pytest

from carvoice.nlu.unfinished import sounds_unfinished


@pytest.mark.parametrize("text", [
    "Set the temperature to", "play something by", "navigate to the", "turn on the A/C and",
    "set the fan to, uh", "Set the temperature to...", "Play some,", "set it to twenty two point", "", "  ",
])
def test_speech_that_stops_mid_sentence_sounds_unfinished(text):
    assert sounds_unfinished(text)


@pytest.mark.parametrize("text", [
    "Set the temperature to 22.", "turn it on", "turn that off", "turn it up", "22", "play some jazz",
    "Navigate to Central Station.", "undo that", "What's the weather like?", "cancel",
])
def test_whole_commands_do_not(text):
    assert not sounds_unfinished(text)
