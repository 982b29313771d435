"""The benchmark's plan generator and harness, at tiny sizes (bench/ is not a package)."""

from __future__ import annotations

import gc
import importlib.util
import json
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.money import Money
from egovplan.plan import Plan

BENCH = Path(__file__).resolve().parents[1] / "bench"


def bench_module(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


generate = bench_module("generate")


def test_same_seed_same_plan_other_seed_other_plan() -> None:
    first = generate.generate(120, seed=7)
    assert isinstance(first, Plan)
    assert generate.generate(120, seed=7) == first
    assert generate.generate(120, seed=8) != first
    assert generate.generate(121, seed=7) != first


def test_shape_scales_with_the_lines() -> None:
    shape = generate.shape(1_000_000)
    assert shape["lines"] == 1_000_000
    assert shape["tasks"] == 100_000
    assert shape["agencies"] == 4_000
    assert generate.shape(10) == {**generate.shape(10), "agencies": 8, "tasks": 10}
    with pytest.raises(ValueError, match="at least one budget line"):
        generate.shape(0)


def test_counts_and_unique_ids() -> None:
    plan = generate.generate(3000, seed=2)
    shape = generate.shape(3000)
    assert len(plan.funding.lines) == 3000
    assert len(plan.tasks) == shape["tasks"]
    assert len(plan.agencies) == shape["agencies"]
    assert len(plan.objectives) == shape["objectives"]
    assert sum(len(o.targets) for o in plan.objectives) == 4 * shape["objectives"]
    assert len(plan.observations) == shape["observations"]
    for items in (plan.funding.lines, plan.tasks, plan.agencies, plan.funding.sources):
        counts = Counter(item.id for item in items)
        assert counts.most_common(1)[0][1] == 1
    assert all(sum(a.role == "lead" for a in t.assignments) == 1 for t in plan.tasks)
    observed = Counter((o.indicator, o.subject, o.period) for o in plan.observations)
    assert observed.most_common(1)[0][1] == 1


def test_lines_are_listed_task_by_task_unless_in_random_order() -> None:
    listed = generate.generate(2000, seed=4)
    shuffled = generate.generate(2000, seed=4, order="random")
    named = [line.task for line in listed.funding.lines if line.task is not None]
    assert named == sorted(named)
    assert {line.task for line in listed.funding.lines} - {None} == {t.id for t in listed.tasks}
    at_random = [line.task for line in shuffled.funding.lines if line.task is not None]
    assert at_random != sorted(at_random)
    # The two plans differ in the task each line names, and in nothing else.
    assert listed != shuffled
    assert [attrs.evolve(line, task=None) for line in listed.funding.lines] == [
        attrs.evolve(line, task=None) for line in shuffled.funding.lines
    ]
    assert [line.task is None for line in listed.funding.lines] == [
        line.task is None for line in shuffled.funding.lines
    ]
    assert attrs.evolve(listed, funding=shuffled.funding) == shuffled
    with pytest.raises(ValueError, match="order is one of"):
        generate.generate(10, order="sorted")


@settings(max_examples=8, deadline=None)
@given(
    st.integers(1, 400),
    st.integers(0, 2**16),
    st.integers(2000, 2030),
    st.integers(1, 5),
    st.sampled_from(generate.ORDERS),
)
def test_generated_plans_are_valid_and_add_up(
    lines: int, seed: int, first_year: int, years: int, order: str
) -> None:
    plan = generate.generate(lines, seed=seed, first_year=first_year, years=years, order=order)
    assert len(plan.funding.lines) == lines
    assert {line.year for line in plan.funding.lines} <= set(range(first_year, first_year + years))
    report = plan.validate()
    assert list(report.issues) == [], str(report)
    for source in plan.funding.sources:
        lines_total = sum(
            (line.amount for line in plan.funding.lines_of(source.id)), Money.zero("VND")
        )
        assert lines_total == source.amount
    assert plan.funding.total == plan.funding.sources_total


#: What bench/startup.py reports, standing in for seconds of fresh processes.
FAKE_STARTUP = {
    "import": {
        "runs": 1,
        "medians_s": {"egovplan": 0.1, "files": 0.3, "floor": 0.2},
        "ratio": 0.5,
        "ratios": {"egovplan/floor": 0.5, "files/floor": 1.5},
    },
    "first_answer": {
        "runs": 1,
        "plans": {"a.yaml": {"ratios": {"validate/yardstick": 1.5, "load/yardstick": 2.5}}},
        "worst": {"validate/yardstick": 1.5, "load/yardstick": 2.5},
    },
}


def test_the_harness_runs_on_a_tiny_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = bench_module("run")
    plan = generate.generate(300, seed=1)
    sums = run.dict_loop(plan)
    assert run.egovplan_breakdown(plan).items() >= sums.items()
    assert sum(sums.values()) == plan.funding.total.amount
    frame = run.pandas_frame(plan, exact=True)
    assert run.pandas_groupby(frame) == sums
    assert sum(sums.values(), Decimal(0)) == sum(
        run.pandas_groupby(run.pandas_frame(plan, exact=False)).values(), Decimal(0)
    )
    # Timing fresh processes takes seconds: stand in for it (bench/startup.py).
    monkeypatch.setattr(run, "measure_startup", lambda runs: FAKE_STARTUP)
    output = tmp_path / "results.json"
    args = ["--sizes", "100", "200", "--repeats", "1", "--import-runs", "1"]
    assert run.main([*args, "--output", str(output)]) == 0
    written = json.loads(output.read_text())
    assert written["sizes"] == [100, 200]
    assert written["order"] == "task"
    ratios = written["per_size"][1]["ratios"]
    assert set(ratios) >= {
        "load/msgspec",
        "load/pydantic",
        "load/msgspec_gc_paused",
        "load/pydantic_gc_paused",
        "dump/msgspec",
        "memory/msgspec",
        "peak_memory/msgspec",
    }
    assert all(value > 0 for value in ratios.values())
    sizes = written["per_size"]
    for size in sizes:  # the peak while loading is at least what the load keeps
        assert all(size["peak_bytes"][w] >= size["retained_bytes"][w] for w in size["peak_bytes"])
    goals = written["goals"]
    assert set(goals) == set(run.SIZE_GOALS) | set(run.RUN_GOALS)
    # A size goal is judged at its worst size, every size listed.
    load_goal = goals["load/pydantic_gc_paused"]
    assert load_goal["per_size"] == {
        str(size["lines"]): size["ratios"]["load/pydantic_gc_paused"] for size in sizes
    }
    assert load_goal["ratio"] == max(load_goal["per_size"].values())
    assert goals["first_answer/validate"] == {"ratio": 1.5, "goal": 2.0, "met": True}
    assert goals["first_answer/load"] == {"ratio": 2.5, "goal": 2.0, "met": False}
    assert written["ratios"]["import_files/floor"] == 1.5
    # Linearity's small side is timed side by side with the largest size.
    reference = written["per_size"][1]["reference"]
    assert reference["lines"] == 100
    assert reference["runs"] == 1
    assert set(reference["medians_s"]) == {"load", "validate", "breakdown"}
    assert set(reference["medians_s"]["load"]) == {
        "egovplan",
        "msgspec",
        "pydantic",
        "msgspec_gc_paused",
        "pydantic_gc_paused",
    }
    assert set(reference["medians_s"]["breakdown"]) == {"egovplan", "dict_loop"}
    assert set(reference["medians_s"]["validate"]) == {"egovplan", "references_loop"}
    assert "reference" not in written["per_size"][0]
    large, small = written["per_size"][1]["medians_s"], reference["medians_s"]
    for who, key in (
        ("egovplan", "linearity/validate"),
        ("references_loop", "linearity/validate/references_loop"),
    ):
        assert written["ratios"][key] == round(
            (large["validate"][who] / 200) / (small["validate"][who] / 100), 3
        )
    separately = written["per_size"][0]["medians_s"]["validate"]["egovplan"] / 100
    assert written["ratios"]["linearity/validate/egovplan_separately"] == round(
        (large["validate"]["egovplan"] / 200) / separately, 3
    )
    assert ratios["validate/references_loop"] == round(
        large["validate"]["egovplan"] / large["validate"]["references_loop"], 3
    )
    assert written["machine"]["cpus"] >= 1
    assert written["goals"]["import/floor"] == {"ratio": 0.5, "goal": 1.25, "met": True}


def test_the_harness_passes_the_order_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = bench_module("run")
    monkeypatch.setattr(run, "measure_startup", lambda runs: FAKE_STARTUP)
    asked: list[tuple[int, str]] = []
    real = generate.generate

    def generate_and_note(lines: int, **options: Any) -> Plan:
        asked.append((lines, options["order"]))
        return real(lines, **options)  # type: ignore[no-any-return]

    monkeypatch.setattr(run.generate, "generate", generate_and_note)
    output = tmp_path / "results.json"
    args = ["--sizes", "100", "200", "--repeats", "1", "--order", "random"]
    assert run.main([*args, "--output", str(output)]) == 0
    assert json.loads(output.read_text())["order"] == "random"
    assert sorted(asked) == [(100, "random"), (100, "random"), (200, "random")]


def test_the_instruction_counter(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    instructions = bench_module("instructions")
    for who in instructions.CONTENDERS:
        instructions.child(who, 60, 1)  # what runs under valgrind runs
        instructions.child(who, 60, 1, dump=True)
    monkeypatch.setattr(instructions.shutil, "which", lambda name: None)
    assert instructions.main([]) == 1
    assert "valgrind is not installed" in capsys.readouterr().err

    class Run:
        stderr = "==7== Events    : Ir\n==7== Collected : 123456789\n"

    monkeypatch.setattr(instructions.subprocess, "run", lambda *args, **kwargs: Run())
    assert instructions.instructions("egovplan", 60, 3) == 123456789
    counts = iter([100, 400, 50, 150, 80, 200])  # once, three times: per contender
    monkeypatch.setattr(instructions.shutil, "which", lambda name: "/usr/bin/valgrind")
    asked: list[bool] = []

    def count(who: str, lines: int, loads: int, dump: bool = False) -> int:
        asked.append(dump)
        return next(counts)

    monkeypatch.setattr(instructions, "instructions", count)
    assert instructions.main(["--lines", "60"]) == 0
    out = capsys.readouterr().out
    assert "instructions per load" in out
    assert "egovplan ÷ msgspec 3.00, ÷ pydantic 2.50" in out  # 150 / 50, 150 / 60
    counts = iter([100, 400, 50, 150, 80, 200])
    assert instructions.main(["--lines", "60", "--dump"]) == 0
    assert "instructions per dump" in capsys.readouterr().out
    assert asked == [False] * 6 + [True] * 6


def test_the_cache_counter(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    instructions = bench_module("instructions")

    class Run:
        stderr = (
            "==7== I   refs:      1,200,000\n==7== D1  misses:      30,000  (20 rd + 10 wr)\n"
            "==7== LLd misses:     5,000\n==7== LL misses:         6,000  (1 rd + 2 wr)\n"
        )

    commands: list[list[str]] = []

    def run(command: list[str], **kwargs: Any) -> Run:
        commands.append(command)
        return Run()

    monkeypatch.setattr(instructions.subprocess, "run", run)
    assert instructions.cache_counts("egovplan", 60, 3, last_level="33554432,16,64") == {
        "instructions": 1_200_000,
        "D1 misses": 30_000,
        "LL misses": 6_000,
    }
    assert "--LL=33554432,16,64" in commands[0]  # not valgrind's guess
    monkeypatch.setattr(instructions.shutil, "which", lambda name: "/usr/bin/valgrind")
    asked: list[tuple[int, bool, str | None]] = []

    def count(
        who: str, lines: int, loads: int, dump: bool = False, last_level: str | None = None
    ) -> dict[str, int]:
        asked.append((loads, dump, last_level))
        return {"instructions": 100 * loads, "D1 misses": 10 * loads, "LL misses": loads}

    monkeypatch.setattr(instructions, "cache_counts", count)
    main = ["--lines", "10", "--dump", "--cache", "--only", "egovplan", "--ll", "1024,2,64"]
    assert instructions.main(main) == 0
    out = capsys.readouterr().out
    assert "per budget line of one dump of 10 lines" in out
    assert "10.00          1.00          0.10" in out  # (300 - 100) / 2 / 10, ...
    assert asked == [(1, True, "1024,2,64"), (3, True, "1024,2,64")]


def test_start_up_is_timed_without_pythondontwritebytecode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    startup = bench_module("startup")
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    assert "PYTHONDONTWRITEBYTECODE" not in startup.environment()
    seen: list[tuple[list[str], dict[str, str]]] = []
    real_run = startup.subprocess.run

    def run_and_note(argv: list[str], **options: Any) -> Any:
        seen.append((argv, options["env"]))
        return real_run(argv, **options)

    monkeypatch.setattr(startup.subprocess, "run", run_and_note)
    code = "import os, sys; sys.exit(7 if 'PYTHONDONTWRITEBYTECODE' in os.environ else 0)"
    assert startup.time_command([sys.executable, "-c", code]) > 0
    assert "PYTHONDONTWRITEBYTECODE" not in seen[0][1]


def test_first_answers_are_ratios_to_the_yardstick(monkeypatch: pytest.MonkeyPatch) -> None:
    startup = bench_module("startup")
    # Stand-in seconds by what the command is: the yardstick 0.1, validate 0.15, load 0.3,
    # the import floor 0.2, importing egovplan 0.1 and its files module 0.3.
    seconds = {
        startup.YARDSTICK: 0.1,
        "validate": 0.15,
        startup.LOAD: 0.3,
        startup.FLOOR: 0.2,
        startup.IMPORTS["egovplan"]: 0.1,
        startup.IMPORTS["files"]: 0.3,
    }

    def fake_time(argv: list[str], env: Any = None) -> float:
        return next(value for key, value in seconds.items() if key in argv)

    monkeypatch.setattr(startup, "time_command", fake_time)
    plans = [Path("a.yaml"), Path("b.yaml")]
    result = startup.measure_first_answer("python", plans, 3)
    assert set(result["plans"]) == {"a.yaml", "b.yaml"}
    assert result["worst"] == pytest.approx({"validate/yardstick": 1.5, "load/yardstick": 3.0})
    imports = startup.measure_import("python", 3)
    assert imports["ratios"] == pytest.approx({"egovplan/floor": 0.5, "files/floor": 1.5})
    assert imports["ratio"] == pytest.approx(0.5)
    assert len(startup.PLANS) == 4  # the four real example plans
    assert all(plan.suffix == ".yaml" for plan in startup.PLANS)


def test_a_paused_peer_runs_the_collection_its_pause_put_off() -> None:
    # egovplan's load runs the young collection its pause owes before it returns; the
    # peers' paused loads must too, or their timer stops before it.
    peers = bench_module("peers")

    class Tracked:
        __slots__ = ("value",)

    def load(data: bytes) -> list[Any]:
        return [Tracked() for _ in range(5000)]

    gc.collect()
    loaded = peers.gc_paused(load)(b"")
    assert gc.isenabled()
    assert gc.get_count()[0] < 100
    del loaded
