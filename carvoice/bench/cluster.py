"""`carvoice bench nlu --ray [ADDRESS]`: the same measurement as Ray actors, on this machine or a cluster.

    runs = [NluRun("qwen2.5-coder-0.5b-carvoice", True, {"own": cases})]
    placement = run_nlu_on_ray(settings, runs, RayOptions(address="auto"), on_report, tasks)
    print(placement.describe())   # ray: 40 workers of 2 CPUs each on node-01 (2), node-02 (2), ...

A worker is an actor holding one model at `settings.threads` threads and asking Ray for as many CPUs
(`num_cpus`), so its latencies are measured with only the CPUs it was given. It resolves the model through the
model store of its own node (pulled there and verified by sha256 if missing), never through Ray's object store,
which carries only cases and results. Cases travel in shards; a dialog turn carries its gold earlier turns, so any
shard runs on any worker. A worker lost mid-run (its process or its node) has its shard run again by another.
The reports are the single-machine ones (`carvoice.bench.nlu.nlu_report`), case for case in the same order.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import os
import re
import socket
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from carvoice.bench.nlu import CaseResult, ModelStart, NluReport, NluRun, judge_case, nlu_report
from carvoice.config import Settings
from carvoice.errors import CarvoiceError
from carvoice.nlu.evalset import EvalCase
from carvoice.progress import Tasks

INSTALL_HINT = "pip install 'carvoice[cluster]'"
_ADDRESS = re.compile(r"local|auto|ray://[^\s/:]+(:\d+)?|[^\s/:]+:\d+")


class ClusterError(CarvoiceError):
    pass


@dataclass(frozen=True)
class RayOptions:
    """Where and how `bench nlu --ray` runs."""

    address: str = "local"  # "local": a new Ray instance sized to this machine; "auto", "ray://HOST:PORT" or
    #                         "HOST:PORT": join that cluster
    shard_size: int = 8  # cases a worker takes at a time (the progress bars move a shard at a time)
    attempts: int = 3  # how often one shard may be started on a worker before the run gives up
    object_store_mb: int = 200  # the object store of a local instance: it only carries cases and results
    worker_logs: bool = False  # the workers' own output on this terminal (--verbose)


@dataclass
class Placement:
    """Where the work ran: the node of each worker, and how many workers were lost (their shards ran again)."""

    threads: int  # CPUs (and threads) of each worker
    workers: dict[str, str] = field(default_factory=dict)  # worker (host:pid) -> its node's hostname
    lost: int = 0

    def describe(self) -> str:
        nodes = ", ".join(f"{host} ({count})" for host, count in sorted(Counter(self.workers.values()).items()))
        lost = f"; {self.lost} lost, their shards run again" if self.lost else ""
        return (f"ray: {_counted(len(self.workers), 'worker')} of {_counted(self.threads, 'CPU')} each on "
                f"{nodes or 'no node'}{lost}")


def _counted(count: int, thing: str) -> str:
    return f"{count} {thing}{'' if count == 1 else 's'}"


def require_ray(address: str) -> None:
    """A clear error, before any work, when Ray is missing or `address` is not one Ray takes."""
    if importlib.util.find_spec("ray") is None:
        raise ClusterError(f"--ray needs Ray, an optional extra: {INSTALL_HINT}")
    if not _ADDRESS.fullmatch(address):
        raise ClusterError(f"--ray {address!r}: give no address (a local Ray instance), 'auto' (the cluster this "
                           "machine belongs to), ray://HOST:PORT or HOST:PORT")


def run_nlu_on_ray(settings: Settings, runs: list[NluRun], options: RayOptions,
                   on_report: Callable[[NluRun, str, NluReport], None], tasks: Tasks) -> Placement:
    """Each run on its own workers, one run after the other, each over the whole cluster; `on_report` gets the
    report of each run and set as it completes."""
    from carvoice.nlu.catalog import load_intent_catalog

    catalog = load_intent_catalog()
    placement = Placement(settings.threads)
    with ray_session(options):
        for run in runs:
            for set_name, results, start in _measure(settings, run, options, tasks, placement):
                on_report(run, set_name, nlu_report(run.spec, catalog, results, start))
    return placement


@contextmanager
def ray_session(options: RayOptions) -> Iterator[None]:
    """Ray started or joined for the work, and left after it; a caller's own running instance is used as is."""
    import ray

    if ray.is_initialized():
        yield
        return
    level = logging.INFO if options.worker_logs else logging.ERROR
    local = {"include_dashboard": False, "object_store_memory": options.object_store_mb * 2**20}
    try:
        ray.init(address=options.address, logging_level=level, log_to_driver=options.worker_logs,
                 **(local if options.address == "local" else {}))
    except (ConnectionError, RuntimeError) as exc:
        raise ClusterError(f"cannot reach the Ray cluster at {options.address}: {exc} (a cluster started with "
                           "token authentication also needs RAY_AUTH_MODE=token here, and its token)") from None
    try:
        yield
    finally:
        ray.shutdown()


@dataclass(frozen=True)
class _Shard:
    set_name: str
    start: int  # position of its first case in its set
    cases: list[EvalCase]


@dataclass(frozen=True)
class _ShardDone:
    worker: str  # host:pid
    host: str
    start: ModelStart
    results: list[CaseResult]


def _measure(settings: Settings, run: NluRun, options: RayOptions, tasks: Tasks, placement: Placement
             ) -> Iterator[tuple[str, list[CaseResult], ModelStart]]:
    """The results of each set of `run`, in order, with how the model came up on the first worker to answer."""
    shards = [_Shard(name, start, cases[start : start + options.shard_size])
              for name, cases in run.sets.items() for start in range(0, len(cases), options.shard_size)]
    advances = {name: tasks(run.label(name), len(cases)) for name, cases in run.sets.items()}
    pool = _Pool(lambda: _start_worker(settings, run), min(_room(settings.threads), len(shards)), options.attempts)
    done = pool.run(shards, lambda shard: [advances[shard.set_name]() for _ in shard.cases])
    placement.lost += pool.lost
    placement.workers.update((d.worker, d.host) for d in done.values())
    start = next((d.start for d in done.values()), ModelStart(math.nan, math.nan, False))
    for name in run.sets:
        parts = sorted((shard.start, done[index].results) for index, shard in enumerate(shards)
                       if shard.set_name == name)
        yield name, [result for _, results in parts for result in results], start


def _room(threads: int) -> int:
    """How many workers of `threads` CPUs the live nodes hold, each node counted on its own."""
    import ray

    room = sum(int(node["Resources"].get("CPU", 0)) // threads for node in ray.nodes() if node["Alive"])
    if room == 0:
        raise ClusterError(f"no node of the Ray cluster has {threads} CPUs for a worker; try a lower --threads")
    return room


def _start_worker(settings: Settings, run: NluRun) -> Any:
    import ray

    actor = ray.remote(num_cpus=settings.threads)(NluWorker)
    name = f"carvoice-nlu {run.spec} {run.mode} {os.urandom(4).hex()}"  # `ray list actors` tells them apart
    return actor.options(name=name).remote(settings, run.spec, run.reuse_prefix)


class _Pool:
    """The workers of one model, each fed a shard at a time; a lost worker's shard goes back to the queue, and
    when no worker is left a new one starts (Ray places it where there is room)."""

    def __init__(self, start_worker: Callable[[], Any], size: int, attempts: int) -> None:
        self.start_worker = start_worker
        self.idle = [start_worker() for _ in range(size)]
        self.attempts = attempts
        self.running: dict[Any, tuple[Any, int]] = {}  # future -> (worker, shard index)
        self.tries: Counter[int] = Counter()
        self.lost = 0

    def run(self, shards: list[_Shard], on_done: Callable[[_Shard], None]) -> dict[int, _ShardDone]:
        import ray

        pending, done = deque(range(len(shards))), {}
        try:
            while pending or self.running:
                self._dispatch(shards, pending)
                [future], _ = ray.wait(list(self.running), num_returns=1)
                worker, index = self.running.pop(future)
                outcome = self._outcome(future, index)
                if outcome is None:
                    pending.appendleft(index)
                    continue
                done[index] = outcome
                self.idle.append(worker)
                on_done(shards[index])
        finally:
            for worker in self.idle + [worker for worker, _ in self.running.values()]:
                ray.kill(worker)
        return done

    def _dispatch(self, shards: list[_Shard], pending: deque[int]) -> None:
        if not self.idle and not self.running:
            self.idle.append(self.start_worker())
        while self.idle and pending:
            index = pending.popleft()
            self.tries[index] += 1
            worker = self.idle.pop()
            self.running[worker.run.remote(shards[index].cases)] = (worker, index)

    def _outcome(self, future: Any, index: int) -> _ShardDone | None:
        """The shard's results; None when its worker was lost and the shard may run again. A carvoice error (a
        model that is not there, say) is raised as the error it is."""
        import ray
        from ray.exceptions import RayActorError, RayTaskError

        try:
            return ray.get(future)
        except RayTaskError as failed:
            if isinstance(failed.cause, CarvoiceError):
                raise failed.cause from None
            raise
        except RayActorError as lost:
            self.lost += 1
            if self.tries[index] >= self.attempts:
                raise ClusterError(f"a shard was lost with its worker {self.tries[index]} times; the last "
                                   f"time: {str(lost).splitlines()[0]}") from None
            return None


class NluWorker:
    """A Ray actor: one model, loaded on its first shard through the model store of its node."""

    def __init__(self, settings: Settings, spec: str, reuse_prefix: bool) -> None:
        self.settings = settings
        self.spec = spec
        self.reuse_prefix = reuse_prefix
        self.understander = None
        self.name = f"{socket.gethostname()}:{os.getpid()}"

    def run(self, cases: list[EvalCase]) -> _ShardDone:
        """The shard's results; a carvoice error (a model that is not there, a turn past its deadline) comes back
        as a `ClusterError` naming this worker, since not every carvoice error survives the trip as it is."""
        try:
            if self.understander is None:
                self.understander = self._load()
            results = [judge_case(self.understander, case) for case in cases]
        except CarvoiceError as error:
            raise ClusterError(f"on worker {self.name}: {error}") from None
        return _ShardDone(self.name, socket.gethostname(), ModelStart.of(self.understander), results)

    def _load(self):
        from carvoice.assistant.startup import load_understander, resolve_model
        from carvoice.models import Role

        path = resolve_model(self.settings, Role.SLM, self.spec).path
        return load_understander(self.settings, path, reuse_prefix=self.reuse_prefix)
