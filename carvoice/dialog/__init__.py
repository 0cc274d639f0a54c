"""The assistant's dialog layer: understood intents -> vehicle actions -> one spoken reply.

`Dialog(vehicle, catalog).respond(understanding)` runs one turn (see `manager.py`); `ReplyWriter` words
the car's outcomes (`replies.py`); `action_for` maps an intent to its action dict (`actions.py`).
"""

from carvoice.dialog.actions import NotActionable, action_for, retry_with_suggestion
from carvoice.dialog.manager import Dialog, DialogTurn, PendingAction, TurnKind
from carvoice.dialog.replies import ReplyWriter

__all__ = ["Dialog", "DialogTurn", "NotActionable", "PendingAction", "ReplyWriter", "TurnKind", "action_for",
           "retry_with_suggestion"]
