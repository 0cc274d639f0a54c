"""Action handlers, one module per area; importing this package registers them all in `HANDLERS`, and the
facts type each one's outcomes carry in `FACTS`."""

from vehicle_sim.handlers import body, climate, media, navigation, switches
from vehicle_sim.handlers.base import FACTS, HANDLERS, Context, Result

__all__ = ["FACTS", "HANDLERS", "Context", "Result", "body", "climate", "media", "navigation", "switches"]
