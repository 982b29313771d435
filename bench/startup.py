"""Start-up: what a fresh process pays before its first answer.

    python bench/startup.py [--runs N] [--python PATH] [--plans FILE ...]

Two measures, each timing fresh interpreters, interleaved (the order rotates every run,
so drift in machine load hits all alike), medians reported as ratios:

- **import**: ``import egovplan`` (lazy: loads next to nothing) and ``from egovplan import
  files`` (what loading a plan needs) against the floor ``import cattrs, babel.numbers``;
- **first answer**: for each example plan, ``egovplan validate PLAN`` and
  ``python -c "import egovplan; egovplan.load(PLAN)"`` against the yardstick, a bare
  interpreter reading the same file with PyYAML's C loader.

Every child runs with ``PYTHONDONTWRITEBYTECODE`` removed from its environment, so that
each one reads the ``.pyc`` files an installed package has instead of compiling every
module again (a machine that sets it would time the compiler, not start-up); one untimed
run of each command first writes them. Exit status 0 always: this measures, it does not
judge.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: ``import egovplan`` over the floor: the goal of the import measure.
GOAL = 1.25
#: A fresh process's first answer over the yardstick's.
FIRST_ANSWER_GOAL = 2.0

FLOOR = "import cattrs, babel.numbers"
IMPORTS = {"egovplan": "import egovplan", "files": "from egovplan import files"}
#: The plans a first answer is timed on: the four real examples.
PLANS = tuple(sorted((ROOT / "examples").glob("*.yaml")))

YARDSTICK = "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"
LOAD = "import sys, egovplan; egovplan.load(sys.argv[1])"


def environment() -> dict[str, str]:
    """The children's environment: this one without ``PYTHONDONTWRITEBYTECODE``."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def time_command(argv: Sequence[str], env: Mapping[str, str] | None = None) -> float:
    """Wall time, in seconds, of a fresh process running ``argv`` (its exit status aside:
    ``egovplan validate`` exits 1 on a plan with errors, as the examples have)."""
    start = time.perf_counter()
    subprocess.run(
        list(argv),
        env=dict(env) if env is not None else environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - start


def interleaved(commands: Mapping[str, Sequence[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command over ``runs`` fresh processes, order rotating."""
    env = environment()
    for argv in commands.values():  # untimed: warms the file cache and writes .pyc files
        time_command(argv, env)
    names = list(commands)
    times: dict[str, list[float]] = {name: [] for name in names}
    for run in range(runs):
        shift = run % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(time_command(commands[name], env))
    return {name: statistics.median(values) for name, values in times.items()}


def measure_import(python: str, runs: int) -> dict[str, Any]:
    """``import egovplan`` and ``from egovplan import files`` against the floor."""
    commands = {"floor": [python, "-c", FLOOR]}
    commands.update({name: [python, "-c", statement] for name, statement in IMPORTS.items()})
    medians = interleaved(commands, runs)
    floor = medians["floor"]
    return {
        "runs": runs,
        "medians_s": medians,
        "ratio": medians["egovplan"] / floor,
        "ratios": {f"{name}/floor": medians[name] / floor for name in IMPORTS},
    }


def measure_first_answer(python: str, plans: Sequence[Path], runs: int) -> dict[str, Any]:
    """Per plan: ``egovplan validate`` and ``egovplan.load`` against the yardstick."""
    per_plan: dict[str, Any] = {}
    for plan in plans:
        path = str(plan)
        medians = interleaved(
            {
                "yardstick": [python, "-c", YARDSTICK, path],
                "validate": [python, "-m", "egovplan", "validate", path],
                "load": [python, "-c", LOAD, path],
            },
            runs,
        )
        per_plan[plan.name] = {
            "medians_s": medians,
            "ratios": {
                "validate/yardstick": medians["validate"] / medians["yardstick"],
                "load/yardstick": medians["load"] / medians["yardstick"],
            },
        }
    worst = {
        key: max(entry["ratios"][key] for entry in per_plan.values())
        for key in ("validate/yardstick", "load/yardstick")
    }
    return {"runs": runs, "plans": per_plan, "worst": worst}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21, help="processes per command (>= 5)")
    parser.add_argument("--python", default=sys.executable, help="the interpreter to time")
    parser.add_argument(
        "--plans", type=Path, nargs="+", default=list(PLANS), help="plan files to answer on"
    )
    args = parser.parse_args(argv)
    runs = max(args.runs, 5)

    imports = measure_import(args.python, runs)
    medians = imports["medians_s"]
    print(f"fresh processes per command: {runs} (PYTHONDONTWRITEBYTECODE unset in them)")
    print(f"  {FLOOR!r:<34} {medians['floor'] * 1e3:8.1f} ms")
    for name, statement in IMPORTS.items():
        ratio = imports["ratios"][f"{name}/floor"]
        print(f"  {statement!r:<34} {medians[name] * 1e3:8.1f} ms  {ratio:.2f}x the floor")
    print(f"  import egovplan: goal <= {GOAL}")

    first = measure_first_answer(args.python, args.plans, runs)
    yardstick = "PyYAML's C loader reading the same file"
    print(f"first answer, against {yardstick} (goal <= {FIRST_ANSWER_GOAL}):")
    for name, entry in first["plans"].items():
        m, r = entry["medians_s"], entry["ratios"]
        print(
            f"  {name:<32} yardstick {m['yardstick'] * 1e3:6.1f} ms, validate"
            f" {m['validate'] * 1e3:6.1f} ({r['validate/yardstick']:.2f}x), load"
            f" {m['load'] * 1e3:6.1f} ({r['load/yardstick']:.2f}x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
