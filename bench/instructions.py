"""Instructions per load or dump, counted by valgrind: a noise-free complement to run.py's timings.

    python bench/instructions.py [--lines 10000] [--dump] [--cache] [--only egovplan]

On a shared machine a timing moves by a fifth from one run to the next; the number of
machine instructions a load executes hardly moves at all. For each contender (egovplan's
``files.loads``, msgspec, pydantic; see peers.py) this runs a small program under
valgrind's callgrind twice, loading the same JSON once and three times after a warm-up,
and takes half the difference: the instructions of one load, with start-up, generating
the plan and warming caches cancelled out (each program first runs once at a tiny size
outside valgrind, writing compiled modules, so that both runs start alike). The peers
load with the collector paused and run the young collection the pause owes, as egovplan
does (``peers.gc_paused``, the terms of run.py's goals). It prints the counts and their
ratios. With ``--dump`` it counts writing instead: ``files.dumpb(plan, "json")`` against
msgspec's encoder and pydantic's ``model_dump_json`` of the peers' objects loaded from
the same JSON. With ``--cache`` it runs valgrind's cachegrind with its cache simulation
instead (``--cache-sim=yes``; the last level is this machine's, read from ``/sys``, or
``--ll size,ways,line``) and prints, per budget line of one load or dump, the
instructions, the first-level data cache misses (D1) and the last-level misses (LL), the
same way (once and three times, half the difference); it is slower than callgrind by half
again.

Instructions are not time. Cache misses cost time that the count does not show, and they
weigh more on egovplan, so this does not replace run.py and states no goal. It answers a
narrower question reliably: whether a change made loading (or dumping) do less work. It
needs valgrind (``apt install valgrind``) and takes about a minute per contender at 10k
lines.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CONTENDERS = ("egovplan", "msgspec", "pydantic")
_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")
#: cachegrind's summary lines (on stderr) that ``--cache`` reports, by the names printed.
_CACHE_EVENTS = {"instructions": "I   refs", "D1 misses": "D1  misses", "LL misses": "LL misses"}


def _loader(who: str) -> Callable[[bytes], Any]:
    sys.path.insert(0, str(HERE))
    import peers

    from egovplan import files

    loaders: dict[str, Callable[[bytes], Any]] = {
        "egovplan": lambda data: files.loads(data, "json"),
        "msgspec": peers.gc_paused(peers.msgspec_load),
        "pydantic": peers.gc_paused(peers.pydantic_load),
    }
    return loaders[who]


def _dumper(who: str) -> Callable[[Any], bytes]:
    sys.path.insert(0, str(HERE))
    import peers

    from egovplan import files

    dumpers: dict[str, Callable[[Any], bytes]] = {
        "egovplan": lambda plan: files.dumpb(plan, "json"),
        "msgspec": peers.msgspec_dump,
        "pydantic": peers.pydantic_dump,
    }
    return dumpers[who]


def child(who: str, lines: int, loads: int, dump: bool = False) -> None:
    """Load a generated plan's JSON ``loads`` times, after one warm-up load.

    With ``dump``, write the loaded objects as JSON ``loads`` times instead.
    """
    sys.path.insert(0, str(HERE))
    import generate

    from egovplan import files

    data = files.dumpb(generate.generate(lines, seed=1), "json")
    load = _loader(who)
    if dump:
        loaded = load(data)
        write = _dumper(who)
        write(loaded)
        gc.collect()
        for _ in range(loads):
            written = write(loaded)
            del written
        return
    load(data)
    gc.collect()
    for _ in range(loads):
        result = load(data)
        del result


def _environment() -> dict[str, str]:
    """The children's environment: one hash seed, so that the runs compared differ only in loads."""
    return {**os.environ, "PYTHONHASHSEED": "0"}


def _compile(who: str, dump: bool) -> None:
    """Run the child once at a tiny size, outside valgrind, writing compiled modules.

    The two runs compared must start alike: with ``PYTHONDONTWRITEBYTECODE`` set, a
    ``__pycache__`` written by another process between them (a timing run) once let the
    second skip compiling egovplan's modules, and the difference came out negative.
    """
    environment = _environment()
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [sys.executable, __file__, "--child", who, "--lines", "60"]
    subprocess.run([*command, *(["--dump"] if dump else [])], check=True, env=environment)


def _valgrind(options: list[str], who: str, lines: int, loads: int, dump: bool) -> str:
    """What valgrind, run with ``options`` around :func:`child`, writes to stderr."""
    command = [
        "valgrind",
        *options,
        sys.executable,
        __file__,
        "--child",
        who,
        "--lines",
        str(lines),
        "--loads",
        str(loads),
        *(["--dump"] if dump else []),
    ]
    run = subprocess.run(command, capture_output=True, text=True, check=True, env=_environment())
    return run.stderr


def instructions(who: str, lines: int, loads: int, dump: bool = False) -> int:
    """The instructions callgrind counts for :func:`child`."""
    options = ["--tool=callgrind", "--callgrind-out-file=/dev/null"]
    stderr = _valgrind(options, who, lines, loads, dump)
    found = _COLLECTED.search(stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{stderr}")
    return int(found.group(1))


def last_level_cache() -> str | None:
    """This machine's last-level cache as cachegrind's ``--LL`` wants it (size,ways,line).

    Read from Linux's ``/sys``; None elsewhere. cachegrind's own guess can be far off (on
    an AMD EPYC with a 32 MiB, 16-way L3, valgrind 3.19 simulated 256 MB, 1-way, which
    misses nothing even at 100k lines).
    """
    folders = sorted(Path("/sys/devices/system/cpu/cpu0/cache").glob("index*"))
    best: tuple[int, str] | None = None
    for folder in folders:
        try:
            level = int((folder / "level").read_text())
            kind = (folder / "type").read_text().strip()
            size = (folder / "size").read_text().strip()
            ways = int((folder / "ways_of_associativity").read_text())
            line = int((folder / "coherency_line_size").read_text())
        except (OSError, ValueError):
            continue
        units = {"K": 1024, "M": 1024 * 1024}
        bytes_ = int(size.rstrip("KM")) * units.get(size[-1], 1)
        if kind in ("Unified", "Data") and (best is None or level > best[0]):
            best = (level, f"{bytes_},{ways},{line}")
    return None if best is None else best[1]


def cache_counts(
    who: str, lines: int, loads: int, dump: bool = False, last_level: str | None = None
) -> dict[str, int]:
    """The instructions, D1 and LL misses cachegrind counts for :func:`child`."""
    options = ["--tool=cachegrind", "--cache-sim=yes", "--cachegrind-out-file=/dev/null"]
    if last_level:
        options.append(f"--LL={last_level}")
    stderr = _valgrind(options, who, lines, loads, dump)
    counts = {}
    for name, label in _CACHE_EVENTS.items():
        found = re.search(re.escape(label) + r":\s*([\d,]+)", stderr)
        if found is None:
            raise SystemExit(f"no {label!r} in cachegrind's output:\n{stderr}")
        counts[name] = int(found.group(1).replace(",", ""))
    return counts


def _report_cache(args: argparse.Namespace) -> None:
    what = "dump" if args.dump else "load"
    print(
        f"per budget line of one {what} of {args.lines:,} lines"
        f" (cachegrind, last level {args.ll or 'as valgrind guesses'}):"
    )
    print(f"  {'':<9} " + " ".join(f"{name:>13}" for name in _CACHE_EVENTS))
    for who in args.only or CONTENDERS:
        once, thrice = (
            cache_counts(who, args.lines, loads, args.dump, args.ll) for loads in (1, 3)
        )
        per_line = [(thrice[name] - once[name]) / 2 / args.lines for name in _CACHE_EVENTS]
        print(f"  {who:<9} " + " ".join(f"{value:13.2f}" for value in per_line))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=10_000, help="budget lines (10000)")
    parser.add_argument(
        "--only", choices=CONTENDERS, action="append", help="count only these (repeatable)"
    )
    parser.add_argument("--child", choices=CONTENDERS, help=argparse.SUPPRESS)
    parser.add_argument("--dump", action="store_true", help="count dumps (JSON) instead of loads")
    parser.add_argument(
        "--cache", action="store_true", help="cachegrind: instructions, D1 and LL misses per line"
    )
    parser.add_argument(
        "--ll",
        default=last_level_cache(),
        help="the simulated last-level cache, size,ways,line (default: this machine's)",
    )
    parser.add_argument("--loads", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.lines, args.loads, args.dump)
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt install valgrind)", file=sys.stderr)
        return 1
    for who in args.only or CONTENDERS:
        _compile(who, args.dump)
    if args.cache:
        _report_cache(args)
        return 0
    per_load = {}
    for who in args.only or CONTENDERS:
        once, thrice = (instructions(who, args.lines, loads, args.dump) for loads in (1, 3))
        per_load[who] = (thrice - once) // 2
    what = "dump" if args.dump else "load"
    print(f"instructions per {what} of {args.lines:,} budget lines (callgrind):")
    for who, count in per_load.items():
        print(f"  {who:<9} {count / 1e6:8.1f} M")
    if set(per_load) == set(CONTENDERS):
        mine = per_load["egovplan"]
        print(
            f"  egovplan ÷ msgspec {mine / per_load['msgspec']:.2f}, "
            f"÷ pydantic {mine / per_load['pydantic']:.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
