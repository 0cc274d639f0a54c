"""The name says what it is: a name of exactly one other kind in the car's world decides the request."""

import pytest
from vehicle_sim import Vehicle

from carvoice.nlu.names import NameKinds
from carvoice.nlu.catalog import Call


@pytest.mark.parametrize(("call", "expected"), [
    (("tune_radio", {"station": "Central Station"}), ("navigate_to", {"place": "Central Station"})),
    (("play_artist", {"artist": "Call Me Tonight"}), ("play_track", {"title": "Call Me Tonight"})),
    (("play_artist", {"artist": "Marina Vale"}), ("play_artist", {"artist": "Marina Vale"})),
    (("play_album", {"album": "Night Ferry"}), ("play_album", {"album": "Night Ferry"})),  # album and track
    (("navigate_to", {"place": "the moon"}), ("navigate_to", {"place": "the moon"})),  # nothing of any kind
])
def test_a_name_of_another_kind_is_taken_as_that_kind(call, expected):
    kinds = NameKinds(Vehicle().world)
    assert kinds.retarget(Call(*call)) == Call(*expected)
