"""Action handlers, one module per area; importing this package registers them all in `HANDLERS`."""

from vehicle_sim.handlers import body, climate, media, navigation, switches
from vehicle_sim.handlers.base import HANDLERS, Context, Result

__all__ = ["HANDLERS", "Context", "Result", "body", "climate", "media", "navigation", "switches"]
