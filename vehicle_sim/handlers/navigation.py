"""Navigation actions: start a route, add a stop, cancel, and the route queries (ETA, distance, next turn)."""

from __future__ import annotations

from typing import Any

from vehicle_sim.actions import AddStop, CancelRoute, NavigateTo, QueryDistance, QueryEta, QueryNextTurn
from vehicle_sim.derived import refresh_route
from vehicle_sim.handlers.base import Context, Rejected, Result, handles
from vehicle_sim.places import resolve, resolve_any, resolve_category
from vehicle_sim.routing import plan_route
from vehicle_sim.state import Navigation, Place


def route_facts(ctx: Context) -> dict[str, Any]:
    """What a reply about the current route needs: where to, how far, how long, what next."""
    navigation = ctx.state.navigation
    if navigation.destination is None:
        return {"route_active": False}
    refresh_route(ctx.state, ctx.world)
    return {
        "route_active": True,
        "destination": navigation.destination.name,
        "address": navigation.destination.address,
        "stops": [stop.name for stop in navigation.stops],
        "distance_km": navigation.distance_remaining_km,
        "eta_min": navigation.eta_min,
        "next_turn": navigation.next_turn.model_dump() if navigation.next_turn else None,
    }


def _at(navigation: Navigation, place: Place) -> bool:
    position = navigation.position
    return position.next_node_id is None and position.node_id == place.node_id


def _add_stop(ctx: Context, place: Place) -> Result:
    navigation = ctx.state.navigation
    planned = [stop.node_id for stop in navigation.stops] + [navigation.destination.node_id]  # type: ignore[union-attr]
    if place.node_id in planned or _at(navigation, place):
        raise Rejected("no_change", "already_on_route", f"{place.name} is already on the route", stop=place.name)
    before = route_facts(ctx)
    navigation.stops.append(place)
    facts = route_facts(ctx)
    facts.update(stop=place.name, stop_address=place.address, category=place.category,
                 added_km=round(facts["distance_km"] - before["distance_km"], 2),
                 added_min=round(facts["eta_min"] - before["eta_min"], 1))
    return Result(facts=facts)


@handles(NavigateTo)
def navigate_to(ctx: Context, action: NavigateTo) -> Result:
    navigation = ctx.state.navigation
    place = resolve(ctx.world.city, action, navigation)
    if action.along_route and navigation.destination is not None:
        return _add_stop(ctx, place)
    if _at(navigation, place):
        raise Rejected("no_change", "already_there", f"the car is already at {place.name}", destination=place.name)
    navigation.destination = place
    navigation.stops = []
    return Result(facts={**route_facts(ctx), "category": place.category})


@handles(AddStop)
def add_stop(ctx: Context, action: AddStop) -> Result:
    navigation = ctx.state.navigation
    if navigation.destination is None:
        raise Rejected("refused", "no_active_route", "a stop needs a route; start one first")
    return _add_stop(ctx, resolve(ctx.world.city, action, navigation))


@handles(CancelRoute)
def cancel_route(ctx: Context, action: CancelRoute) -> Result:
    navigation = ctx.state.navigation
    if navigation.destination is None:
        raise Rejected("no_change", "no_active_route", "there is no route to cancel")
    cancelled = navigation.destination.name
    navigation.destination = None
    navigation.stops = []
    return Result(facts={"cancelled": cancelled})


@handles(QueryEta, QueryDistance, QueryNextTurn)
def query_route(ctx: Context, action: QueryEta | QueryDistance | QueryNextTurn) -> Result:
    place = _place_asked_about(ctx, action)
    if place is not None:
        return Result(facts=_trip_to(ctx, place))
    facts = route_facts(ctx)
    return Result(facts=facts, code=None if facts["route_active"] else "no_active_route")


def _place_asked_about(ctx: Context, action: QueryEta | QueryDistance | QueryNextTurn) -> Place | None:
    navigation = ctx.state.navigation
    if isinstance(action, QueryNextTurn):
        return None
    if action.category is not None:
        return resolve_category(ctx.world.city, action.category, navigation, along_route=False)
    return None if action.place is None else resolve_any(ctx.world.city, action.place, navigation)


def _trip_to(ctx: Context, place: Place) -> dict[str, Any]:
    """How far and how long from here to `place`, without touching the route."""
    plan = plan_route(ctx.world.city, ctx.state.navigation.position, [place.node_id])
    return {"route_active": ctx.state.navigation.destination is not None, "place": place.name,
            "address": place.address, "category": place.category,
            "distance_km": round(plan.distance_m / 1000, 2), "eta_min": round(plan.time_s / 60, 1)}
