"""Navigation actions: start a route, add a stop, cancel, and the route queries (ETA, distance, next turn).

    Vehicle().apply({"kind": "navigate_to", "place": "Central Station"}).facts
    # RouteFacts(destination='Central Station', ..., distance_km=2.1, eta_min=4.2, next_turn=NextTurn(...))
"""

from __future__ import annotations

from vehicle_sim.actions import AddStop, CancelRoute, NavigateTo, QueryDistance, QueryEta, QueryNextTurn
from vehicle_sim.derived import refresh_route
from vehicle_sim.handlers.base import Context, Rejected, Result, handles
from vehicle_sim.outcome import Facts, NoFacts
from vehicle_sim.places import resolve, resolve_any, resolve_category
from vehicle_sim.routing import plan_route
from vehicle_sim.state import Navigation, NextTurn, Place


class RouteFacts(Facts):
    """The route now: where to, how far, how long, what next; `category` is the destination's kind of place."""

    destination: str
    address: str | None
    stops: list[str]
    distance_km: float
    eta_min: float
    next_turn: NextTurn | None
    category: str | None = None


class StopFacts(RouteFacts):
    """The route with a stop added, and what the stop adds to it."""

    stop: str
    stop_address: str | None
    added_km: float
    added_min: float


class TripFacts(Facts):
    """How far and how long from here to a place asked about, with the route (if any) left as it is."""

    route_active: bool
    place: str
    address: str | None
    category: str | None
    distance_km: float
    eta_min: float


class StopNameFacts(Facts):
    """The stop that is already on the route."""

    stop: str


class DestinationFacts(Facts):
    """Where the car already is."""

    destination: str


class CancelledFacts(Facts):
    """Where the cancelled route went."""

    cancelled: str


def route_facts(ctx: Context, category: str | None = None) -> RouteFacts:
    """What a reply about the active route needs: where to, how far, how long, what next."""
    navigation = ctx.state.navigation
    destination = navigation.destination
    if destination is None:
        raise ValueError("route facts need an active route")
    refresh_route(ctx.state, ctx.world)
    return RouteFacts(destination=destination.name, address=destination.address,
                      stops=[stop.name for stop in navigation.stops], distance_km=navigation.distance_remaining_km,
                      eta_min=navigation.eta_min, next_turn=navigation.next_turn, category=category)


def _at(navigation: Navigation, place: Place) -> bool:
    position = navigation.position
    return position.next_node_id is None and position.node_id == place.node_id


def _add_stop(ctx: Context, place: Place) -> Result:
    navigation = ctx.state.navigation
    planned = [stop.node_id for stop in navigation.stops] + [navigation.destination.node_id]  # type: ignore[union-attr]
    if place.node_id in planned or _at(navigation, place):
        raise Rejected("no_change", "already_on_route", f"{place.name} is already on the route",
                       StopNameFacts(stop=place.name))
    before = route_facts(ctx)
    navigation.stops.append(place)
    after = route_facts(ctx, place.category)
    return Result(facts=StopFacts(**dict(after), stop=place.name, stop_address=place.address,
                                  added_km=round(after.distance_km - before.distance_km, 2),
                                  added_min=round(after.eta_min - before.eta_min, 1)))


@handles(NavigateTo, facts=(RouteFacts, StopFacts))
def navigate_to(ctx: Context, action: NavigateTo) -> Result:
    navigation = ctx.state.navigation
    place = resolve(ctx.world.city, action, navigation)
    if action.along_route and navigation.destination is not None:
        return _add_stop(ctx, place)
    if _at(navigation, place):
        raise Rejected("no_change", "already_there", f"the car is already at {place.name}",
                       DestinationFacts(destination=place.name))
    navigation.destination = place
    navigation.stops = []
    return Result(facts=route_facts(ctx, place.category))


@handles(AddStop, facts=StopFacts)
def add_stop(ctx: Context, action: AddStop) -> Result:
    navigation = ctx.state.navigation
    if navigation.destination is None:
        raise Rejected("refused", "no_active_route", "a stop needs a route; start one first")
    return _add_stop(ctx, resolve(ctx.world.city, action, navigation))


@handles(CancelRoute, facts=CancelledFacts)
def cancel_route(ctx: Context, action: CancelRoute) -> Result:
    navigation = ctx.state.navigation
    if navigation.destination is None:
        raise Rejected("no_change", "no_active_route", "there is no route to cancel")
    cancelled = navigation.destination.name
    navigation.destination = None
    navigation.stops = []
    return Result(facts=CancelledFacts(cancelled=cancelled))


@handles(QueryEta, QueryDistance, QueryNextTurn, facts=(RouteFacts, TripFacts, NoFacts))
def query_route(ctx: Context, action: QueryEta | QueryDistance | QueryNextTurn) -> Result:
    """The route, or the trip to the place asked about; without a route, no facts and `no_active_route`."""
    place = _place_asked_about(ctx, action)
    if place is not None:
        return Result(facts=_trip_to(ctx, place))
    if ctx.state.navigation.destination is None:
        return Result(code="no_active_route")
    return Result(facts=route_facts(ctx))


def _place_asked_about(ctx: Context, action: QueryEta | QueryDistance | QueryNextTurn) -> Place | None:
    navigation = ctx.state.navigation
    if isinstance(action, QueryNextTurn):
        return None
    if action.category is not None:
        return resolve_category(ctx.world.city, action.category, navigation, along_route=False)
    return None if action.place is None else resolve_any(ctx.world.city, action.place, navigation)


def _trip_to(ctx: Context, place: Place) -> TripFacts:
    """How far and how long from here to `place`, without touching the route."""
    plan = plan_route(ctx.world.city, ctx.state.navigation.position, [place.node_id])
    return TripFacts(route_active=ctx.state.navigation.destination is not None, place=place.name,
                     address=place.address, category=place.category,
                     distance_km=round(plan.distance_m / 1000, 2), eta_min=round(plan.time_s / 60, 1))
