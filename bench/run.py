"""egovplan against its peers: ratios of medians, measured in one run, interleaved.

    python bench/run.py [--quick] [--sizes 10000 100000 1000000] [--repeats N]
                        [--order {task,random}] [--profile] [--output bench/results.json]

For every size (budget lines; the rest of the plan scales with it, see generate.py) the
same JSON bytes, written by egovplan, are

- loaded (JSON bytes -> validated objects) by egovplan, msgspec Structs and pydantic v2
  models of the same shape (peers.py), egovplan with its default ``Limits`` (what a user
  gets); twice for each peer: as shipped (the collector on) and with the cyclic garbage
  collector paused while it loads, as egovplan pauses it, so that the goals compare on
  equal terms and the default figures are reported beside them;
- dumped (objects -> JSON bytes) by each;
- measured for memory (tracemalloc): the peak while loading, and what the loaded objects
  retain;
- validated by egovplan (``plan.validate()``, default ruleset), as a ratio to its load,
  next to a plain loop doing the least validation must do per line (``references_loop``);
- broken down by (source, year) with ``egovplan.breakdown``, a plain dict-of-Decimal loop
  over the same budget lines, and pandas ``groupby`` on the same lines.

Contenders are interleaved (the order rotates every repeat), so drift in machine load hits
all alike; each result is a median over the repeats, and what is reported is ratios. For
linearity (per-line time at the largest size over the smallest) the smallest plan is timed
again, interleaved with the largest (see ``measure_size``).
Start-up is timed in fresh processes by startup.py: ``import egovplan`` and ``from egovplan
import files`` against ``import cattrs, babel.numbers``, and the first answer on each
example plan (``egovplan validate``, ``egovplan.load``) against PyYAML's C loader.
The plans list their budget lines task by task, as real plans do; ``--order random``
makes each line name a task at random, the worst case for the caches (see generate.py).

Results go to stdout (a table) and to ``bench/results.json`` (ratios, the medians they come
from, and the machine). ``--quick`` (two small sizes, three repeats) takes well under a
minute on a 2-core machine; ``--profile`` adds cProfile tables of egovplan's load,
validate and breakdown at the largest size (``bench/profiles/``).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import importlib.metadata
import io
import json
import os
import platform
import pstats
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import peers  # noqa: E402
import startup  # noqa: E402

from egovplan.breakdowns import breakdown  # noqa: E402
from egovplan.plan import Plan  # noqa: E402

QUICK_SIZES = (5_000, 20_000)
FULL_SIZES = (10_000, 100_000, 1_000_000)

#: The goals that hold at every size, as (result key, limit): ratio <= limit. Loads are
#: compared with the collector paused for all (``*_gc_paused``); the figures with each
#: contender as shipped are reported beside them.
SIZE_GOALS: dict[str, float] = {
    "load/msgspec_gc_paused": 2.0,
    "load/pydantic_gc_paused": 1.0,
    "dump/msgspec": 2.0,
    "peak_memory/msgspec": 1.5,
    "validate/load": 1.0,
    "breakdown/dict_loop": 1.5,
}
#: The goals of the whole run: linearity (per-line time at the largest size over the
#: smallest) and start-up (fresh processes, see startup.py).
RUN_GOALS: dict[str, float] = {
    "linearity/load": 1.3,
    "linearity/validate": 1.3,
    "linearity/breakdown": 1.3,
    "import/floor": startup.GOAL,
    "first_answer/validate": startup.FIRST_ANSWER_GOAL,
    "first_answer/load": startup.FIRST_ANSWER_GOAL,
}

#: The suffix of a contender's runs on the reference plan while they are timed (see
#: :func:`measure_size`).
SMALL = "@small"


# -- egovplan's side: its own reader and writer -------------------------------------------


def _egovplan_io() -> tuple[Callable[[bytes], Plan], Callable[[Plan], bytes], str]:
    """egovplan's JSON load and dump: egovplan.files when present, else serialization."""
    try:
        from egovplan import files
    except ImportError:
        from egovplan.serialization import from_dict, to_dict

        def load(data: bytes) -> Plan:
            return from_dict(json.loads(data), Plan)

        def dump(plan: Plan) -> bytes:
            return json.dumps(to_dict(plan), ensure_ascii=False).encode()

        return load, dump, "egovplan.serialization + json"
    return _files_io(files)


def _files_io(files: Any) -> tuple[Callable[[bytes], Plan], Callable[[Plan], bytes], str]:
    # The default limits, as a user gets them.
    def load(data: bytes) -> Plan:
        return files.loads(data, "json")  # type: ignore[no-any-return]

    def dump(plan: Plan) -> bytes:
        return files.dumpb(plan, "json")  # type: ignore[no-any-return]

    return load, dump, "egovplan.files (loads/dumpb)"


EGOV_LOAD, EGOV_DUMP, EGOV_IO = _egovplan_io()

LOADERS: dict[str, Callable[[bytes], Any]] = {
    "egovplan": EGOV_LOAD,
    "msgspec": peers.msgspec_load,
    "pydantic": peers.pydantic_load,
}


#: The peers given the same collector pause egovplan uses while it loads (for msgspec,
#: close to what its users get with ``Struct(gc=False)``): the goals' terms.
LOAD_PAUSED: dict[str, Callable[[bytes], Any]] = {
    "msgspec_gc_paused": peers.gc_paused(peers.msgspec_load),
    "pydantic_gc_paused": peers.gc_paused(peers.pydantic_load),
}

DUMPERS: dict[str, Callable[[Any], bytes]] = {
    "egovplan": EGOV_DUMP,
    "msgspec": peers.msgspec_dump,
    "pydantic": peers.pydantic_dump,
}


# -- breakdown contenders -----------------------------------------------------------------


def egovplan_breakdown(plan: Plan) -> dict[tuple[str, int | None], Decimal]:
    pivot = breakdown(plan, "source", "year")
    return {
        (str(row.key), column.key): pivot.cell(row.key, column.key).amount  # type: ignore[misc]
        for row in pivot.rows
        for column in pivot.columns
    }


def dict_loop(plan: Plan) -> dict[tuple[str, int | None], Decimal]:
    """The floor: one pass, a dict of Decimal sums keyed by (source, year)."""
    sums: dict[tuple[str, int | None], Decimal] = {}
    get = sums.get
    zero = Decimal(0)
    for line in plan.funding.lines:
        key = (line.source, line.year)
        sums[key] = get(key, zero) + line.amount.amount
    return sums


def references_loop(plan: Plan) -> tuple[dict[str, Decimal], int]:
    """The floor of validation's pass over the lines: plain dicts and sets, one loop.

    Per line what ``validate()`` must do at the least: the amount summed per source, and
    the source, agency, task and objective looked up among the plan's ids. Its
    per-line time tells how much of validation's growth with size is the machine's (a
    task named at random among 100k is a cache miss) rather than egovplan's.
    """
    sums: dict[str, Decimal] = {source.id: Decimal(0) for source in plan.funding.sources}
    agencies = {agency.id for agency in plan.agencies}
    tasks = {task.id for task in plan.tasks}
    objectives = {objective.id for objective in plan.objectives}
    unknown = 0
    for line in plan.funding.lines:
        source = line.source
        if source in sums:
            sums[source] += line.amount.amount
        else:
            unknown += 1
        ref = line.agency
        if ref is not None and ref not in agencies:
            unknown += 1
        ref = line.task
        if ref is not None and ref not in tasks:
            unknown += 1
        ref = line.objective
        if ref is not None and ref not in objectives:
            unknown += 1
    return sums, unknown


def pandas_frame(plan: Plan, exact: bool) -> Any:
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    lines = plan.funding.lines
    amounts = (
        [line.amount.amount for line in lines]
        if exact
        else [int(line.amount.amount) for line in lines]
    )
    return pd.DataFrame(
        {
            "source": [line.source for line in lines],
            "year": [line.year for line in lines],
            "amount": pd.Series(amounts, dtype=object if exact else "int64"),
        }
    )


def pandas_groupby(frame: Any) -> dict[tuple[str, int | None], Decimal]:
    sums = frame.groupby(["source", "year"], dropna=False, sort=False)["amount"].sum()
    return {(source, int(year)): Decimal(amount) for (source, year), amount in sums.items()}


# -- measuring ----------------------------------------------------------------------------


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Move what exists now out of the collector's way while timing (gc.freeze)."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def interleaved(
    calls: dict[str, Callable[..., Any]],
    repeats: int,
    before: Callable[[str], Any] | None = None,
) -> dict[str, float]:
    """Median wall time of each call, the order rotating every repeat.

    ``before(name)`` (untimed) prepares the argument the call receives, if given.
    """
    names = list(calls)
    times: dict[str, list[float]] = {name: [] for name in names}
    for repeat in range(repeats):
        shift = repeat % len(names)
        for name in names[shift:] + names[:shift]:
            argument = before(name) if before is not None else None
            gc.collect()
            start = time.perf_counter()
            result = calls[name]() if before is None else calls[name](argument)
            elapsed = time.perf_counter() - start
            times[name].append(elapsed)
            del result, argument
    return {name: statistics.median(values) for name, values in times.items()}


def memory(load: Callable[[bytes], Any], data: bytes) -> dict[str, int]:
    """Bytes allocated (tracemalloc) by ``load(data)``: at the peak while it runs, and
    still allocated once it has returned (``retained``), both over what was allocated
    before it began; warm caches and the input are not counted."""
    load(data)  # warm caches (catalogues, converters) so that they are not counted
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        kept = load(data)
        peak = tracemalloc.get_traced_memory()[1]
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del kept
    return {"peak": peak - before, "retained": after - before}


def _dump_loaded(dump: Callable[[Any], bytes], loaded: Any, _: object) -> bytes:
    """``dump(loaded)``, called as ``timed`` calls a dumper (its argument unused)."""
    return dump(loaded)


def fresh(plan: Plan) -> Plan:
    """An equal plan without the cached id index, so every run builds its own."""
    return attrs.evolve(plan)


def profile(call: Callable[[], Any], title: str, out: Path) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    call()
    profiler.disable()
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    buffer.write(f"# {title}\n\n## by own time\n")
    stats.sort_stats("tottime").print_stats(25)
    buffer.write("\n## by cumulative time\n")
    stats.sort_stats("cumulative").print_stats(25)
    out.parent.mkdir(exist_ok=True)
    out.write_text(buffer.getvalue())
    return buffer.getvalue()


def each(call: Callable[[Any], Any], arguments: list[Any]) -> None:
    """``call`` on every argument in turn (a reference run, see :func:`measure_size`)."""
    for argument in arguments:
        call(argument)


def measure_size(
    lines: int,
    repeats: int,
    do_profile: bool,
    reference: tuple[int, bytes] | None = None,
    order: generate.Order = "task",
) -> dict[str, Any]:
    """Medians, ratios and retained memory of every contender on a plan of ``lines``.

    With ``reference`` (the smallest size's lines and JSON), the timed loops of load,
    validate and breakdown also run egovplan and the controls on that small plan,
    interleaved with their runs on this one, and as many times per call as make about a
    tenth of one call here. Their medians per run go to ``result["reference"]``, from
    which :func:`linearity` takes the small side of its factor: measured side by side
    with the large side, not minutes earlier, so that the machine's drift in between
    does not enter it.
    """
    plan = generate.generate(lines, seed=1, order=order)
    data = EGOV_DUMP(plan)
    del plan
    small_lines, small_data = reference if reference is not None else (0, b"")
    inner = max(1, lines // small_lines // 10) if small_lines else 0
    small_plan: Plan | None = EGOV_LOAD(small_data) if inner else None
    small_medians: dict[str, Any] = {}

    def fresh_small() -> Plan:
        assert small_plan is not None
        return fresh(small_plan)

    def timed(
        calls: dict[str, Callable[[Any], Any]],
        argument: Callable[[], Any],
        small_argument: Callable[[], Any] = lambda: None,
        small_names: Sequence[str] = (),
    ) -> tuple[dict[str, float], dict[str, float]]:
        """Interleaved medians of ``calls`` on ``argument()``, and with a reference those
        of ``small_names`` on ``small_argument()``, per run (see above)."""
        everything = dict(calls)
        if inner:
            everything.update(
                {name + SMALL: functools.partial(each, calls[name]) for name in small_names}
            )

        def before(name: str) -> Any:
            if name.endswith(SMALL):
                return [small_argument() for _ in range(inner)]
            return argument()

        with frozen_heap():
            medians = interleaved(everything, repeats, before=before)
        small = {
            name.removesuffix(SMALL): medians.pop(name) / inner
            for name in list(medians)
            if name.endswith(SMALL)
        }
        return medians, small

    loaded = {name: load(data) for name, load in LOADERS.items()}
    for name, obj in loaded.items():
        count = len(obj.funding.lines)
        if count != lines:
            raise SystemExit(f"{name} loaded {count} budget lines, expected {lines}")
    egov: Plan = loaded["egovplan"]
    report = egov.validate()
    if len(report.issues) != 0:
        raise SystemExit(f"the generated plan has findings:\n{report}")

    result: dict[str, Any] = {"lines": lines, "json_bytes": len(data), "medians_s": {}}
    medians = result["medians_s"]

    # load: keep only the bytes alive while timing.
    del loaded, egov
    loaders = {**LOADERS, **LOAD_PAUSED}
    load, small_medians["load"] = timed(loaders, lambda: data, lambda: small_data, list(loaders))
    medians["load"] = load

    objects = {name: f(data) for name, f in LOADERS.items()}
    dump, _ = timed(
        {n: functools.partial(_dump_loaded, f, objects[n]) for n, f in DUMPERS.items()},
        lambda: None,
    )
    medians["dump"] = dump
    outputs = {name: json.loads(DUMPERS[name](obj)) for name, obj in objects.items()}
    for name, out in outputs.items():
        if len(out["funding"]["lines"]) != lines:
            raise SystemExit(f"{name} dumped the wrong number of lines")
    del outputs
    egov = objects["egovplan"]
    del objects

    measured = {name: memory(f, data) for name, f in LOADERS.items()}
    result["retained_bytes"] = {name: m["retained"] for name, m in measured.items()}
    result["peak_bytes"] = peak = {name: m["peak"] for name, m in measured.items()}
    kept = result["retained_bytes"]

    # validate and breakdown work on a fresh copy each time (no cached index).
    sums, unknown = references_loop(egov)
    stated = {s.id: s.amount.amount for s in egov.funding.sources if s.amount is not None}
    if unknown or sums != stated:
        raise SystemExit("the references loop disagrees with the plan")
    validations: dict[str, Callable[[Any], Any]] = {
        "egovplan": Plan.validate,
        "references_loop": references_loop,
    }
    medians["validate"], small_medians["validate"] = timed(
        validations, lambda: fresh(egov), fresh_small, list(validations)
    )
    validate = medians["validate"]["egovplan"]

    exact = pandas_frame(egov, exact=True)
    integer = pandas_frame(egov, exact=False)
    expected = dict_loop(egov)
    checks = {
        "egovplan": {k: v for k, v in egovplan_breakdown(fresh(egov)).items() if k in expected},
        "pandas (Decimal)": pandas_groupby(exact),
        "pandas (int64)": pandas_groupby(integer),
    }
    for name, got in checks.items():
        if got != expected:
            raise SystemExit(f"{name} breakdown differs from the dict loop")
    calls: dict[str, Callable[[Any], Any]] = {
        "egovplan": egovplan_breakdown,
        "dict_loop": dict_loop,
        "pandas_decimal": lambda _: pandas_groupby(exact),
        "pandas_int64": lambda _: pandas_groupby(integer),
    }
    medians["breakdown"], small_medians["breakdown"] = timed(
        calls, lambda: fresh(egov), fresh_small, ["egovplan", "dict_loop"]
    )
    with frozen_heap():
        medians["pandas_frame"] = interleaved(
            {"build": lambda p: pandas_frame(p, exact=True)},
            max(1, repeats // 2),
            before=lambda _: egov,
        )["build"]

    if do_profile:
        out = HERE / "profiles"
        profile(lambda: EGOV_LOAD(data), f"load, {lines} lines", out / f"load-{lines}.txt")
        profile(
            lambda: fresh(egov).validate(),
            f"validate, {lines} lines",
            out / f"validate-{lines}.txt",
        )
        profile(
            lambda: egovplan_breakdown(fresh(egov)),
            f"breakdown, {lines} lines",
            out / f"breakdown-{lines}.txt",
        )

    result["ratios"] = {
        "load/msgspec": load["egovplan"] / load["msgspec"],
        "load/pydantic": load["egovplan"] / load["pydantic"],
        "load/msgspec_gc_paused": load["egovplan"] / load["msgspec_gc_paused"],
        "load/pydantic_gc_paused": load["egovplan"] / load["pydantic_gc_paused"],
        "dump/msgspec": dump["egovplan"] / dump["msgspec"],
        "dump/pydantic": dump["egovplan"] / dump["pydantic"],
        "peak_memory/msgspec": peak["egovplan"] / peak["msgspec"],
        "peak_memory/pydantic": peak["egovplan"] / peak["pydantic"],
        "memory/msgspec": kept["egovplan"] / kept["msgspec"],
        "memory/pydantic": kept["egovplan"] / kept["pydantic"],
        "validate/load": validate / load["egovplan"],
        "validate/references_loop": validate / medians["validate"]["references_loop"],
        "breakdown/dict_loop": medians["breakdown"]["egovplan"] / medians["breakdown"]["dict_loop"],
        "breakdown/pandas_decimal": medians["breakdown"]["egovplan"]
        / medians["breakdown"]["pandas_decimal"],
        "breakdown/pandas_int64": medians["breakdown"]["egovplan"]
        / medians["breakdown"]["pandas_int64"],
    }
    if inner:
        result["reference"] = {"lines": small_lines, "runs": inner, "medians_s": small_medians}
    return result


def measure_startup(runs: int) -> dict[str, Any]:
    """Import and first answer in fresh processes (startup.py)."""
    python = sys.executable
    return {
        "import": startup.measure_import(python, runs),
        "first_answer": startup.measure_first_answer(python, startup.PLANS, runs),
    }


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    versions: dict[str, str | None] = {}
    for package in ("egovplan", "attrs", "cattrs", "msgspec", "pydantic", "pandas"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "system": f"{platform.system()} {platform.release()}",
        "versions": versions,
        "egovplan_io": EGOV_IO,
    }


def _load_average() -> float | None:
    """The 1-minute load average (other processes competing for the CPUs), if known."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def linearity(sizes: list[dict[str, Any]]) -> dict[str, float]:
    """Per-line time at the largest size over that at the smallest.

    ``linearity/<op>`` is egovplan's (the goal); ``linearity/<op>/<contender>`` the same
    factor for a contender on the same data, as a control: what the interpreter itself
    (allocation, the cyclic garbage collector, caches) does to per-line time as data grows.
    The small side comes from the runs on the smallest plan interleaved with the largest
    size's (``reference``, see :func:`measure_size`) when there are some; the factor from
    the smallest size's own runs, measured minutes earlier, is kept as
    ``linearity/<op>/egovplan_separately``.
    """
    if len(sizes) < 2:
        return {}
    first, large = sizes[0], sizes[-1]
    small = large.get("reference", first)

    def per_line(size: dict[str, Any], key: str, who: str) -> float:
        value = size["medians_s"][key]
        seconds = value[who] if isinstance(value, dict) else value
        return float(seconds) / int(size["lines"])

    factors = {}
    for key, controls in (
        ("load", ("msgspec", "pydantic", *LOAD_PAUSED)),
        ("validate", ("references_loop",)),
        ("breakdown", ("dict_loop",)),
    ):
        mine = per_line(large, key, "egovplan")
        factors[f"linearity/{key}"] = mine / per_line(small, key, "egovplan")
        for who in controls:
            factors[f"linearity/{key}/{who}"] = per_line(large, key, who) / per_line(
                small, key, who
            )
        if small is not first:
            factors[f"linearity/{key}/egovplan_separately"] = mine / per_line(
                first, key, "egovplan"
            )
    return factors


def verdicts(sizes: list[dict[str, Any]], ratios: dict[str, float]) -> dict[str, dict[str, Any]]:
    """Each goal's verdict: a size goal at its worst size (every size is listed), a run
    goal on the run's own figure."""
    out: dict[str, dict[str, Any]] = {}
    for key, limit in SIZE_GOALS.items():
        per_size = {str(size["lines"]): round(size["ratios"][key], 3) for size in sizes}
        worst = max(per_size.values())
        out[key] = {"ratio": worst, "goal": limit, "met": worst <= limit, "per_size": per_size}
    for key, limit in RUN_GOALS.items():
        if key in ratios:
            ratio = round(ratios[key], 3)
            out[key] = {"ratio": ratio, "goal": limit, "met": ratio <= limit}
    return out


def print_table(sizes: list[dict[str, Any]], summary: dict[str, Any]) -> None:
    for size in sizes:
        m = size["medians_s"]
        print(f"\n{size['lines']:,} budget lines ({size['json_bytes'] / 1e6:.1f} MB of JSON)")
        header = f"{'egovplan':>10}{'msgspec':>10}{'pydantic':>10}"
        print(f"  {'':<30}{header}   ratio vs msgspec / pydantic")

        def row(title: str, mine: float, theirs: tuple[float, float], scale: float) -> None:
            print(
                f"  {title:<30}{mine * scale:>10.1f}{theirs[0] * scale:>10.1f}"
                f"{theirs[1] * scale:>10.1f}   {mine / theirs[0]:.2f}x / {mine / theirs[1]:.2f}x"
            )

        load = m["load"]
        row(
            "load, collector paused (ms)",
            load["egovplan"],
            (load["msgspec_gc_paused"], load["pydantic_gc_paused"]),
            1e3,
        )
        row("load, as shipped (ms)", load["egovplan"], (load["msgspec"], load["pydantic"]), 1e3)
        dump = m["dump"]
        row("dump (ms)", dump["egovplan"], (dump["msgspec"], dump["pydantic"]), 1e3)
        for title, key in (
            ("peak memory, load (MB)", "peak_bytes"),
            ("retained (MB)", "retained_bytes"),
        ):
            mem = size[key]
            row(title, mem["egovplan"], (mem["msgspec"], mem["pydantic"]), 1e-6)
        r = size["ratios"]
        v = m["validate"]
        print(
            f"  validate: {v['egovplan'] * 1e3:.1f} ms = {r['validate/load']:.2f}x egovplan's load,"
            f" {r['validate/references_loop']:.2f}x the references loop"
            f" ({v['references_loop'] * 1e3:.1f})"
        )
        b = m["breakdown"]
        print(
            f"  breakdown by (source, year) (ms): egovplan {b['egovplan'] * 1e3:.1f}, dict loop"
            f" {b['dict_loop'] * 1e3:.1f}, pandas groupby Decimal {b['pandas_decimal'] * 1e3:.1f}"
            f" / int64 {b['pandas_int64'] * 1e3:.1f} (building the frame: "
            f"{m['pandas_frame'] * 1e3:.1f})"
        )
        print(
            f"    ratio: {r['breakdown/dict_loop']:.2f}x the dict loop,"
            f" {r['breakdown/pandas_decimal']:.2f}x pandas (Decimal),"
            f" {r['breakdown/pandas_int64']:.2f}x pandas (int64)"
        )
    print(
        "\ngoals (ratio <= goal; size goals at their worst size, each size listed; linearity:"
        " per-line time largest/smallest; start-up: fresh processes, worst example plan)"
    )
    for key, verdict in summary["goals"].items():
        mark = "ok" if verdict["met"] else "MISSED"
        sizes_text = ", ".join(f"{v:.2f}" for v in verdict.get("per_size", {}).values())
        extra = f"  ({sizes_text})" if sizes_text else ""
        print(f"  {key:<26}{verdict['ratio']:>8.2f}  <= {verdict['goal']:<5} {mark}{extra}")
    controls = {k: v for k, v in summary["ratios"].items() if k.count("/") == 2}
    if controls:
        print(
            "  controls (the same factor for the others on the same data; egovplan_separately:"
            " egovplan's, the small side from the smallest size's own runs):"
        )
        for key, value in controls.items():
            print(f"    {key:<42}{value:>8.2f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES}, 3 repeats")
    parser.add_argument("--sizes", type=int, nargs="+", help=f"budget lines (default {FULL_SIZES})")
    parser.add_argument(
        "--repeats",
        type=int,
        help="timed runs per contender (default 11 below 100k lines, 5 below 1M, 3 at 1M; quick 3)",
    )
    parser.add_argument(
        "--import-runs",
        type=int,
        help="fresh processes per start-up command (default 21; quick 5)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile egovplan at the largest size"
    )
    parser.add_argument(
        "--order",
        choices=generate.ORDERS,
        default="task",
        help="budget lines listed task by task (default), or naming tasks at random",
    )
    parser.add_argument("--output", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)

    sizes = sorted(args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES))
    import_runs = args.import_runs or (5 if args.quick else 21)

    def repeats_for(lines: int) -> int:
        if args.repeats:
            return int(args.repeats)
        if args.quick or lines >= 1_000_000:
            return 3
        # Small plans are timed more often: one run takes a few milliseconds there, and
        # a median of five was moved by the machine's noise by up to a third.
        return 5 if lines >= 100_000 else 11

    started = time.perf_counter()
    load_before = _load_average()
    print(
        f"egovplan benchmark: sizes {sizes}, lines in {args.order} order,"
        f" egovplan I/O via {EGOV_IO}"
    )

    results = []
    for lines in sizes:
        print(f"measuring {lines:,} budget lines ...", flush=True)
        repeats = repeats_for(lines)
        reference = None
        if lines == sizes[-1] and len(sizes) > 1:  # linearity's small side, side by side
            small = generate.generate(sizes[0], seed=1, order=args.order)
            reference = (sizes[0], EGOV_DUMP(small))
        profiled = args.profile and lines == sizes[-1]
        results.append(measure_size(lines, repeats, profiled, reference, args.order))
        results[-1]["repeats"] = repeats
        gc.collect()
    starts = measure_startup(import_runs)
    imports, first = starts["import"], starts["first_answer"]

    largest = dict(results[-1]["ratios"])
    largest.update(linearity(results))
    largest["import/floor"] = imports["ratio"]
    largest["import_files/floor"] = imports["ratios"]["files/floor"]
    largest["first_answer/validate"] = first["worst"]["validate/yardstick"]
    largest["first_answer/load"] = first["worst"]["load/yardstick"]
    summary = {
        "machine": {**machine(), "load_average": [load_before, _load_average()]},
        "mode": "quick" if args.quick else "full",
        "order": args.order,
        "sizes": sizes,
        "ratios": {k: round(v, 3) for k, v in largest.items()},
        "goals": verdicts(results, largest),
        "per_size": [
            {
                "lines": r["lines"],
                "json_bytes": r["json_bytes"],
                "repeats": r["repeats"],
                "ratios": {k: round(v, 3) for k, v in r["ratios"].items()},
                "medians_s": r["medians_s"],
                "retained_bytes": r["retained_bytes"],
                "peak_bytes": r["peak_bytes"],
                **({"reference": r["reference"]} if "reference" in r else {}),
            }
            for r in results
        ],
        "import": imports,
        "first_answer": first,
        "wall_s": round(time.perf_counter() - started, 1),
    }
    print_table(results, summary)
    print(
        f"\nimport egovplan: {imports['ratio']:.2f}x import cattrs, babel.numbers;"
        f" from egovplan import files: {imports['ratios']['files/floor']:.2f}x"
        f" ({imports['runs']} fresh processes each)"
    )
    print("first answer, fresh processes, against PyYAML's C loader reading the same file:")
    for name, entry in first["plans"].items():
        r = entry["ratios"]
        print(
            f"  {name:<32} egovplan validate {r['validate/yardstick']:.2f}x,"
            f" egovplan.load {r['load/yardstick']:.2f}x"
        )
    args.output.write_text(json.dumps(summary, indent=2) + "\n")
    before, after = summary["machine"]["load_average"]
    print(f"wrote {args.output} ({summary['wall_s']} s; load average {before} -> {after})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
