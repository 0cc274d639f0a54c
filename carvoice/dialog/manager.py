"""The dialog: one understood utterance in, the car actions it leads to and one spoken reply out.

    dialog = Dialog(Vehicle(), load_intent_catalog())
    turn = dialog.respond(understanding)   # DialogTurn(actions, outcomes, reply, kind, awaiting_confirmation)
    understander.understand(next_text, previous=dialog.previous_understanding)

Decisions a reader may look for:
- Only catalog intents with an action reach the car (`actions.action_for`); the car's safety policy judges
  them. `confirmed=True` is only ever sent for an action the car asked about, after an explicit "yes".
- A pending question (a safety confirmation, or "Did you mean X?") lives for exactly one turn and at most
  `confirm_within_s` of car time: the next turn answers it with yes / no / cancel, or it is dropped and the new
  request is handled as usual; a late "yes" is told the question was dropped.
- A request in doubt (a story, a rule change, a title hiding a command: `doubt.py`) is asked about before the
  actions its framing holds back are done; what sounds like the assistant's own recent reply is dropped.
- An empty transcript (`nothing_heard`) gets silence, `reply == ""`: cabin noise that the speech detector
  took for speech should not make the car talk. It still ends a pending question. So do words said to someone
  else in the car (`aside`: "mum, should we open the sunroof?"), so that their "yeah" confirms nothing; a bare
  yes or no ("yes, honey") still answers the car.
- A "never mind" takes back what the same utterance asked before it ("warmer... no, never mind").
- yes / no with no question pending is answered "There's nothing to confirm." and counts as not_understood.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from carvoice.dialog.actions import (NotActionable, action_for, check_catalog, executable_by_car,
                                     retry_with_suggestion)
from carvoice.dialog.doubt import echoes, load_grounding_policy
from carvoice.dialog.replies import ReplyWriter
from carvoice.dialog.wording import call_words, request_words
from carvoice.nlu.catalog import OUT_OF_SCOPE, Call, IntentCatalog
from carvoice.nlu.normalize import normalize_transcript
from carvoice.nlu.scope import OTHER_LANGUAGE
from carvoice.nlu.understand import Understanding
from vehicle_sim import Outcome, Vehicle

logger = logging.getLogger(__name__)

CONFIRM_WITHIN_S = 10.0  # car seconds a question waits for its yes; a later yes is told the question was dropped
RECENT_REPLIES = 2  # replies a transcript is compared with to recognise the assistant's own voice

TurnKind = Literal["acted", "refused", "confirm_needed", "out_of_scope", "cancelled", "help", "not_understood",
                   "nothing_heard", "own_voice", "aside", "not_executed"]
# When one utterance mixes several kinds of request, the turn is labelled by the first of these it contains.
KIND_PRIORITY: tuple[TurnKind, ...] = ("confirm_needed", "acted", "refused", "not_executed", "help", "cancelled",
                                       "out_of_scope", "not_understood")
STATUS_KINDS: dict[str, TurnKind] = {"done": "acted", "no_change": "acted", "refused": "refused",
                                     "not_found": "refused", "needs_confirmation": "confirm_needed"}


class DialogTurn(BaseModel):
    actions: list[dict[str, Any]] = []
    outcomes: list[Outcome] = []
    reply: str
    kind: TurnKind
    awaiting_confirmation: bool = False


@dataclass(frozen=True)
class PendingAction:
    """An action waiting for the driver's yes; `confirms_safety` says whether a yes answers a safety question
    (apply with `confirmed=True`) or accepts a suggested name (apply normally, so the policy still judges it)."""

    action: dict[str, Any]
    confirms_safety: bool
    asked_at_s: float = 0.0  # the car's clock when the question was asked


@dataclass
class _TurnParts:
    """What the intents of one utterance did, in order, before they are combined into a `DialogTurn`."""

    replies: list[str] = field(default_factory=list)
    kinds: list[TurnKind] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, reply: str, kind: TurnKind) -> None:
        self.replies.append(reply)
        self.kinds.append(kind)

    def turn(self, awaiting_confirmation: bool) -> DialogTurn:
        kind = next(kind for kind in KIND_PRIORITY if kind in self.kinds)
        return DialogTurn(actions=self.actions, outcomes=self.outcomes, reply=" ".join(self.replies), kind=kind,
                          awaiting_confirmation=awaiting_confirmation)


class Dialog:
    """The assistant's side of the conversation with one car; keeps the pending question and the last turn."""

    def __init__(self, vehicle: Vehicle, catalog: IntentCatalog, seed: int = 0,
                 confirm_within_s: float = CONFIRM_WITHIN_S):
        check_catalog(catalog)
        self.vehicle = vehicle
        self.catalog = catalog
        self.confirm_within_s = confirm_within_s
        self._writer = ReplyWriter(random.Random(seed))
        self._policy = load_grounding_policy()
        self._pending: list[PendingAction] = []
        self._previous: Understanding | None = None
        self._replies: list[str] = []  # the last few replies, normalised like a transcript, to recognise echoes

    @property
    def previous_understanding(self) -> Understanding | None:
        """The last understood turn, for the NLU to resolve follow-ups ("and the passenger side")."""
        return self._previous

    @property
    def awaiting_confirmation(self) -> bool:
        return bool(self._pending)

    def respond(self, understanding: Understanding) -> DialogTurn:
        if echoes(understanding.text, self._replies):
            logger.info("dropped what sounds like the assistant's own reply coming back: %r", understanding.text)
            return DialogTurn(reply="", kind="own_voice", awaiting_confirmation=self.awaiting_confirmation)
        turn = self._respond(understanding)
        if turn.reply:
            self._replies = [*self._replies[-(RECENT_REPLIES - 1):], normalize_transcript(turn.reply)]
        return turn

    def _respond(self, understanding: Understanding) -> DialogTurn:
        asked, self._pending = self._pending, []
        if not understanding.text.strip() and not understanding.intents:
            return DialogTurn(reply="", kind="nothing_heard")
        if self._policy.is_aside(understanding.text) and not _only_answers(understanding.intents):
            logger.info("left alone, said to someone else in the car: %r", understanding.text)
            return DialogTurn(reply="", kind="aside")
        if not understanding.understood or not understanding.intents:
            return DialogTurn(reply=self._writer.say("not_understood"), kind="not_understood")
        self._previous = understanding
        intents = _from_last_cancel(understanding.intents)
        with_car = any(self._is_car_intent(intent) for intent in intents)
        parts, car_index = _TurnParts(), 0
        for intent in intents:
            if intent.name in ("yes", "no"):
                self._answer(intent.name == "yes", asked, parts)
                asked = []
            elif intent.name == "cancel":
                parts.add(self._writer.say("cancelled"), "cancelled")
            elif intent.name == "help":
                parts.add(self._writer.help(self.catalog), "help")
            elif intent.name == OUT_OF_SCOPE:
                parts.add(self._out_of_scope(understanding.out_of_scope_reason, with_car), "out_of_scope")
            else:
                self._request(intent, parts, understanding, car_index)
                car_index += 1
        return parts.turn(self.awaiting_confirmation)

    def _out_of_scope(self, reason: str | None, with_car: bool) -> str:
        lacking = next((f.say for f in self.catalog.unsupported if f.name == reason), None)
        return self._writer.out_of_scope(self.catalog, with_car, lacking=lacking, foreign=reason == OTHER_LANGUAGE)

    def _is_car_intent(self, intent: Call) -> bool:
        known = self.catalog.by_name.get(intent.name)
        return known is not None and known.action is not None

    def _answer(self, yes: bool, asked: list[PendingAction], parts: _TurnParts) -> None:
        if not asked:
            parts.add(self._writer.say("nothing_to_confirm"), "not_understood")
        elif self._now() - asked[0].asked_at_s > self.confirm_within_s:
            parts.add(self._writer.say("question_expired"), "cancelled")
        elif yes:
            for pending in asked:
                self._apply(pending.action, pending.confirms_safety, parts)
        else:
            parts.add(self._writer.say("declined"), "cancelled")

    def _request(self, intent: Call, parts: _TurnParts, understanding: Understanding, car_index: int) -> None:
        if self._refused_out_of_range(intent, parts):
            return
        known = self.catalog.by_name.get(intent.name)
        if known is not None and not executable_by_car(known):
            parts.add(self._writer.say("not_executed", request=call_words(intent)), "not_executed")
            return
        try:
            action = action_for(intent, self.catalog)
        except NotActionable as problem:
            logger.warning("dropped an intent the car cannot take: %s", problem)
            parts.add(self._writer.say("not_understood"), "not_understood")
            return
        said, state = understanding.text, self.vehicle.snapshot()
        refusal = self._policy.refused(said, action, state)
        if refusal is not None:
            logger.info("refused while moving: %s for the purpose said in %r", action, said)
            parts.add(self._writer.say(refusal.reply), "refused")
            return
        doubt = self._policy.held_back(said, action, car_index, state)
        if (doubt or understanding.unsure) and not self._car_would_ask(action):
            logger.info("asking first: %s is %s in %r", action, "in doubt" if doubt else "unsure", said)
            self._pending.append(PendingAction(action, confirms_safety=False, asked_at_s=self._now()))
            parts.add(self._writer.say("doubt" if doubt else "unsure", request=request_words(action)),
                      "confirm_needed")
            return
        self._apply(action, confirmed=False, parts=parts)

    def _car_would_ask(self, action: dict[str, Any]) -> bool:
        """Whether the car's safety policy asks about `action` anyway: then its question is the one asked (one
        question, which names the risk, rather than two), tried on a copy of the car."""
        copy = Vehicle(world=self.vehicle.world, overrides=self.vehicle.snapshot().model_dump(mode="json"))
        try:
            return copy.apply(action).status == "needs_confirmation"
        except Exception:  # noqa: BLE001 - the real apply reports the problem
            return False

    def _now(self) -> float:
        return self.vehicle.snapshot().time_s

    def _refused_out_of_range(self, intent: Call, parts: _TurnParts) -> bool:
        """A number beyond what the catalog allows ("500 degrees", "volume 1000") is most likely misheard or
        a mistake: the car is left alone and the reply gives the range, rather than going to the limit."""
        known = self.catalog.by_name.get(intent.name)
        beyond = known.out_of_range(intent.slots) if known is not None else []
        if not beyond:
            return False
        slot, value = beyond[0]
        parts.add(self._writer.say("out_of_range", value=f"{value:g}", range=slot.range_words()), "refused")
        return True

    def _apply(self, action: dict[str, Any], confirmed: bool, parts: _TurnParts) -> None:
        parts.actions.append(action)
        try:
            outcome = self.vehicle.apply(action, confirmed=confirmed)
        except Exception:  # noqa: BLE001 - one failing action must not end the conversation; the car is unchanged
            logger.exception("the car could not apply %s", action)
            parts.add(self._writer.failed(str(action.get("kind"))), "refused")
            return
        parts.outcomes.append(outcome)
        parts.add(self._writer.outcome(outcome, self.vehicle.snapshot()), STATUS_KINDS[outcome.status])
        self._remember_question(action, outcome)

    def _remember_question(self, action: dict[str, Any], outcome: Outcome) -> None:
        if outcome.status == "needs_confirmation":
            self._pending.append(PendingAction(action, confirms_safety=True, asked_at_s=self._now()))
            return
        retry = retry_with_suggestion(outcome)
        if retry is not None:
            self._pending.append(PendingAction(retry, confirms_safety=False, asked_at_s=self._now()))


def _only_answers(intents: list[Call]) -> bool:
    return bool(intents) and all(intent.name in ("yes", "no") for intent in intents)


def _from_last_cancel(intents: list[Call]) -> list[Call]:
    """A cancel takes back the requests said before it in the same utterance."""
    last_cancel = max((index for index, intent in enumerate(intents) if intent.name == "cancel"), default=0)
    return intents[last_cancel:]
