"""Moving through a player queue: skipping, reaching the end of a track, shuffling."""

from __future__ import annotations

import random

from vehicle_sim.state import PlayerSourceState, RepeatMode


def step(player: PlayerSourceState, steps: int, wrap: bool) -> bool:
    """Move `steps` tracks (negative for back) and rewind to the track's start; False if that leaves the queue."""
    target = player.position + steps
    if wrap:
        target %= len(player.tracks)
    if not 0 <= target < len(player.tracks):
        return False
    player.position = target
    player.elapsed_s = 0.0
    return True


def finish_track(player: PlayerSourceState, repeat: RepeatMode) -> bool:
    """The current track has ended: go on as the repeat mode says; False when playback stops."""
    if repeat == "one":
        player.elapsed_s = 0.0
        return True
    if step(player, 1, wrap=repeat == "all"):
        return True
    player.elapsed_s = 0.0
    return False


def shuffle(player: PlayerSourceState, rng: random.Random) -> None:
    """Keep the current track playing and put the rest in a random order after it."""
    if not player.tracks:
        return
    current = player.order[player.position]
    rest = [index for index in range(len(player.tracks)) if index != current]
    rng.shuffle(rest)
    player.order = [current, *rest]
    player.position = 0


def unshuffle(player: PlayerSourceState) -> None:
    if not player.tracks:
        return
    current = player.order[player.position]
    player.order = list(range(len(player.tracks)))
    player.position = current


def load_queue(player: PlayerSourceState, tracks: list[str], label: str, start: int, shuffled: bool,
               rng: random.Random) -> None:
    """Replace the queue with `tracks`, starting at index `start` (shuffled around it when asked)."""
    player.tracks = tracks
    player.order = list(range(len(tracks)))
    player.position = start
    player.elapsed_s = 0.0
    player.label = label
    if shuffled:
        shuffle(player, rng)
