"""How much does ``import egovplan`` cost over its floor, ``import cattrs, babel.numbers``?

Runs both imports in fresh interpreters, interleaved (so drift in machine load hits both
alike), and prints each median wall time and their ratio. The goal is a ratio <= 1.25.

    python bench/import_time.py [--runs N] [--python PATH]

Exit status 0 always (this measures; it does not judge), unless --check is given, in
which case a ratio above the goal exits with status 1.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

GOAL = 1.25
SUBJECT = "import egovplan"
FLOOR = "import cattrs, babel.numbers"


def time_import(python: str, statement: str) -> float:
    """Wall time, in seconds, of a fresh interpreter running ``statement``."""
    start = time.perf_counter()
    subprocess.run([python, "-c", statement], check=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=f"Time {SUBJECT!r} against {FLOOR!r}.")
    parser.add_argument("--runs", type=int, default=21, help="interpreters per import (>= 10)")
    parser.add_argument("--python", default=sys.executable, help="the interpreter to time")
    parser.add_argument("--check", action="store_true", help=f"exit 1 if ratio > {GOAL}")
    args = parser.parse_args(argv)
    runs = max(args.runs, 10)

    # One untimed run of each warms the OS file cache and writes the .pyc files.
    time_import(args.python, SUBJECT)
    time_import(args.python, FLOOR)

    subject: list[float] = []
    floor: list[float] = []
    for index in range(runs):
        # Alternate which goes first, so neither always follows the other.
        pair = ((SUBJECT, subject), (FLOOR, floor))
        for statement, times in pair if index % 2 == 0 else reversed(pair):
            times.append(time_import(args.python, statement))

    subject_median = statistics.median(subject)
    floor_median = statistics.median(floor)
    ratio = subject_median / floor_median
    print(f"runs per import: {runs}")
    print(f"{SUBJECT!r:<34} median {subject_median * 1000:8.1f} ms")
    print(f"{FLOOR!r:<34} median {floor_median * 1000:8.1f} ms")
    print(f"ratio {ratio:.3f} (goal <= {GOAL}): {'ok' if ratio <= GOAL else 'ABOVE GOAL'}")
    return 1 if args.check and ratio > GOAL else 0


if __name__ == "__main__":
    sys.exit(main())
