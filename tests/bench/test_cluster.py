"""`bench nlu --ray` on a local Ray instance with two workers: the same readings as one machine, case for case,
also when a worker is killed mid-run; without Ray or with a wrong address, a one-line error."""

from __future__ import annotations

import importlib.util
import logging

import pytest

from carvoice.bench.cluster import RayOptions, run_nlu_on_ray
from carvoice.bench.nlu import NluRun, run_nlu_bench, spread
from carvoice.cli import main
from carvoice.nlu.evalset import load_eval_set
from carvoice.progress import no_tasks


@pytest.fixture(scope="module")
def cases():
    """Single cases from across the set, and dialog turns, which carry their gold earlier turns."""
    every = load_eval_set()
    return spread(every, 8) + [case for case in every if case.context][:4]


@pytest.fixture(scope="module")
def one_thread(settings):
    """A thread per model: two workers fit on two cores, as `num_cpus` says."""
    return settings.model_copy(update={"threads": 1})


@pytest.fixture(scope="module")
def here(one_thread, default_slm_path, cases):
    """The single-machine run, loaded as `bench nlu` loads it."""
    from carvoice.assistant.startup import load_understander

    return run_nlu_bench(load_understander(one_thread, default_slm_path), cases, "here")


@pytest.fixture(scope="module")
def ray():
    """A new local Ray instance (never a cluster this machine may be part of) with room for two workers of one CPU
    each."""
    ray = pytest.importorskip("ray")
    ray.init(address="local", num_cpus=2, include_dashboard=False, object_store_memory=100 * 2**20,
             logging_level=logging.ERROR, log_to_driver=False)
    yield ray
    ray.shutdown()


def _on_ray(settings, model, cases, tasks=no_tasks):
    reports = {}
    run = NluRun(str(model), True, {"mix": cases})
    placement = run_nlu_on_ray(settings, [run], RayOptions(shard_size=3),
                               lambda _, name, report: reports.update({name: report}), tasks)
    return reports["mix"], placement


def _readings(report):
    return [(r.case.text, r.exact, r.intents_right, r.understanding.intents, r.understanding.unsure)
            for r in report.results]


def test_two_workers_read_every_case_as_one_machine_does(ray, one_thread, default_slm_path, cases, here):
    report, placement = _on_ray(one_thread, default_slm_path, cases)
    assert len(placement.workers) == 2 and placement.lost == 0
    assert _readings(report) == _readings(here)
    assert report.summary()["exact_match"] == here.summary()["exact_match"]
    assert "ray: 2 workers of 1 CPU each" in placement.describe()


def test_a_worker_killed_mid_run_has_its_shard_run_again(ray, one_thread, default_slm_path, cases, here):
    killed = []

    def tasks(label, total):
        def advance():
            if not killed:  # after the first shard: one of the two workers goes
                name = next(name for name in ray.util.list_named_actors() if name.startswith("carvoice-nlu"))
                ray.kill(ray.get_actor(name))
                killed.append(name)
        return advance

    report, placement = _on_ray(one_thread, default_slm_path, cases, tasks)
    assert killed and placement.lost == 1
    assert _readings(report) == _readings(here)
    assert "1 lost, their shards run again" in placement.describe()


def test_without_ray_the_flag_says_how_to_install_it(monkeypatch, capsys):
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *rest: None if name == "ray" else
                        find_spec(name, *rest))
    assert main(["bench", "nlu", "--ray", "--limit", "1"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "pip install 'carvoice[cluster]'" in error


def test_an_address_ray_does_not_take_is_a_one_line_error(capsys):
    pytest.importorskip("ray")
    assert main(["bench", "nlu", "--ray", "not an address", "--limit", "1"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "ray://HOST:PORT" in error
