"""What the assistant says about the navigation actions of `vehicle_sim/handlers/navigation.py`, and their codes.

    from carvoice.dialog.wording import describe
    describe(Vehicle().apply({"kind": "navigate_to", "place": "Central Station"}), Units())
    # Line(ROUTE, {"destination": "Central Station", "eta": "4 minutes", "distance": "2.1 kilometres", ...})
"""

from __future__ import annotations

from typing import Any

from carvoice.dialog.spoken import Units, distance, duration, name
from carvoice.dialog.wording.base import Area, Line, Phrases, facts_of
from vehicle_sim import Outcome
from vehicle_sim.actions import AddStop, CancelRoute, NavigateTo, QueryDistance, QueryEta, QueryNextTurn
from vehicle_sim.handlers.navigation import CancelledFacts, RouteFacts, StopFacts, TripFacts

CATEGORY_NAMES = {"ev_charging": "charging station", "fuel": "petrol station", "coffee": "coffee place",
                  "parking": "car park"}

AREA = Area(codes={
    "already_there": ("We're already at {destination}.", "You're already at {destination}."),
    "already_on_route": ("{stop} is already on the route.", "We're already stopping at {stop}."),
    "street_not_found": ("I couldn't find a street called {query}.", "There's no {query} on the map."),
    "house_number_not_found": ("{street} only goes from {lowest} to {highest}.",
                               "There's no such number on {street}. It goes from {lowest} to {highest}."),
    "poi_not_found": ("I couldn't find a place called {query}.", "There's no {query} on the map."),
    "saved_place_not_found": ("You have no saved place called {query}.", "{query} isn't one of your places."),
    "category_not_found": ("I don't know what kind of place {query} is.", "I can't search for {query}."),
    "place_not_found": ("I couldn't find {query}.", "{query} isn't on the map."),
})

NAVIGATING_ALREADY = ("We're already heading to {destination}.",)
ROUTE = Phrases(("Navigating to {destination}, {eta}.", "Heading to {destination}. {eta}, {distance}.",
                 "Route to {destination} set: {eta}."), NAVIGATING_ALREADY)
ROUTE_TO_NEAREST = Phrases(("The nearest {category} is {destination}, {eta} away.",
                            "Heading to {destination}, the closest {category}. {eta}.",
                            "Navigating to {destination}, {eta}."), NAVIGATING_ALREADY)
STOP_ADDED = Phrases(("Added a stop at {stop}, {added} extra.", "{stop} added to the route. That's {added} more.",
                      "Okay, stopping at {stop} on the way. It adds {added}."))
CANCELLED = Phrases(("Route to {cancelled} cancelled.", "Okay, stopped navigating to {cancelled}.",
                     "Guidance to {cancelled} ended."))
NO_ACTIVE_ROUTE = Phrases(("There's no active route.", "No route is set right now."))
ETA = Phrases(("We arrive in {eta}.", "About {eta} to {destination}.", "{eta} to go."))
ETA_TO_PLACE = Phrases(("{destination} is about {eta} away.", "About {eta} to {destination} from here."))
DISTANCE = Phrases(("{distance} to go.", "{destination} is {distance} away.", "{distance} left to {destination}."))
DISTANCE_TO_PLACE = Phrases(("{destination} is {distance} away.", "It's {distance} to {destination} from here."))
TURN = Phrases(("In {distance}, turn {direction} onto {street}.", "Turn {direction} onto {street} in {distance}."))
STRAIGHT_ON = Phrases(("Go straight onto {street} in {distance}.", "Keep straight onto {street}, {distance}."))
ARRIVING = Phrases(("You arrive in {distance}.", "{destination} is {distance} ahead."))
NO_TURN_YET = Phrases(("Just follow the road for now.", "No turns coming up yet."))


def category_name(category: str | None) -> str:
    return CATEGORY_NAMES.get(category or "", name(category or ""))


def _route_fields(destination: str, facts: RouteFacts | TripFacts, units: Units) -> dict[str, str]:
    return {"destination": destination, "eta": duration(facts.eta_min), "distance": distance(facts.distance_km, units)}


def _route_request(action: dict[str, Any]) -> str:
    target = action.get("place") or f"the nearest {category_name(action.get('category'))}"
    return f"start a route to {target}" if action["kind"] == "navigate_to" else f"add a stop at {target}"


@AREA.words(NavigateTo, AddStop, topic="route", request=_route_request,
            codes={"no_active_route": ("There's no route to add a stop to.", "We need a route first. Where to?")})
def _route(outcome: Outcome, units: Units) -> Line:
    facts = facts_of(outcome, RouteFacts)
    fields = _route_fields(facts.destination, facts, units)
    if isinstance(facts, StopFacts):  # also a navigate_to "on the way" while a route is active
        return Line(STOP_ADDED, {**fields, "stop": facts.stop, "added": duration(facts.added_min)})
    fields["category"] = category_name(facts.category)
    return Line(ROUTE_TO_NEAREST if getattr(outcome.action, "category", None) else ROUTE, fields)


@AREA.words(CancelRoute, topic="route", request=lambda action: "cancel the route",
            codes={"no_active_route": ("There's no route to cancel.", "No route is set, so nothing to cancel.")})
def _cancel_route(outcome: Outcome, units: Units) -> Line:
    return Line(CANCELLED, {"cancelled": facts_of(outcome, CancelledFacts).cancelled})


@AREA.words(QueryEta, QueryDistance, QueryNextTurn, topic="route")
def _route_query(outcome: Outcome, units: Units) -> Line:
    facts, asks_eta = outcome.facts, isinstance(outcome.action, QueryEta)
    if isinstance(facts, TripFacts):
        return Line(ETA_TO_PLACE if asks_eta else DISTANCE_TO_PLACE, _route_fields(facts.place, facts, units))
    if not isinstance(facts, RouteFacts):
        return Line(NO_ACTIVE_ROUTE)
    fields = _route_fields(facts.destination, facts, units)
    if not isinstance(outcome.action, QueryNextTurn):
        return Line(ETA if asks_eta else DISTANCE, fields)
    turn = facts.next_turn
    if turn is None:
        return Line(NO_TURN_YET, fields)
    fields.update(direction=turn.direction, street=turn.street, distance=distance(turn.distance_m / 1000, units))
    phrases = {"straight": STRAIGHT_ON, "arrive": ARRIVING}.get(turn.direction, TURN)
    return Line(phrases, fields)
