"""What the assistant says when a rule of the car's safety policy (`vehicle_sim/data/safety.yaml`) refuses,
limits or asks about an action; a rule without phrases here speaks its own `explain` sentence.

    from carvoice.dialog.wording.safety import AREA
    AREA.codes["volume_cap"][0]   # 'Volume capped at {max}.'
"""

from __future__ import annotations

from carvoice.dialog.wording.base import Area

AREA = Area(codes={
    # limits: the value was set as far as the rule allows
    "volume_cap": ("Volume capped at {max}.", "Volume {max}, the highest I allow.",
                   "I've capped the volume at {max} so warnings stay audible."),
    "window_limited_at_speed": ("{window} open {max} percent. Above {limit}, that's the most.",
                                "{window} open {max} percent, the most at this speed."),
    "sunroof_limited_at_speed": ("Sunroof open {max} percent. Above {limit}, that's the most.",
                                 "Sunroof open {max} percent, the most at this speed."),
    # refusals
    "sunroof_unsafe_at_speed": ("I can't open the sunroof above {limit}.",
                                "Not at this speed. The sunroof stays shut above {limit}."),
    "unlock_while_moving": ("The doors stay locked while we're moving.", "I can't unlock the doors while driving."),
    # questions
    "rear_window_open_while_driving": ("You're driving. Open {window_object} anyway?",
                                       "We're moving. Still open {window_object}?"),
    "defrost_off_in_cold": ("It's {outside} outside. Turn the windscreen defrost off anyway?",
                            "It's cold out, the windscreen may fog up. Turn the defrost off anyway?"),
    "cancel_route_while_driving": ("You're driving. Cancel the route to {destination}?",
                                   "We're on the way to {destination}. Stop the guidance anyway?"),
})
