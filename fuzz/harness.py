"""What every egovplan fuzz harness shares: the invariant, the input decoding, the runner.

The invariant: for any input a parser returns a value of the right type or raises an
:class:`~egovplan.errors.EgovplanError` with a message; any other exception is a crash
that libFuzzer reports (and saves the input of).
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
import tempfile
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from egovplan.errors import EgovplanError


def instrumented() -> AbstractContextManager[Any]:
    """Instrument egovplan's modules imported in this block for coverage, under atheris.

    Without atheris (the tests then call the harness in-process) it does nothing.
    """
    if importlib.util.find_spec("atheris") is None:
        return contextlib.nullcontext()
    import atheris

    return atheris.instrument_imports(include=["egovplan"])


def check(call: Callable[[], Any], kind: type | tuple[type, ...]) -> None:
    """Run ``call``; its result must be a ``kind``, its error an EgovplanError with a message."""
    try:
        value = call()
    except EgovplanError as error:
        if not str(error).strip():
            raise AssertionError(f"{type(error).__name__} without a message") from error
        return
    if not isinstance(value, kind):
        raise AssertionError(f"{value!r} is not {kind}")


def decode(data: bytes) -> tuple[int, str]:
    """An option byte and the text: the first byte chooses options, the rest is UTF-8.

    Invalid UTF-8 becomes lone surrogates (``surrogateescape``), so the parsers see those
    too.
    """
    if not data:
        return 0, ""
    return data[0], data[1:].decode("utf-8", errors="surrogateescape")


def encode(option: int, text: str) -> bytes:
    """The input :func:`decode` reads as ``(option, text)``: for seeds."""
    return bytes([option]) + text.encode("utf-8")


def run(test_one_input: Callable[[bytes], None], seeds: Sequence[bytes]) -> None:
    """Fuzz ``test_one_input`` with libFuzzer's options from ``sys.argv``.

    Without a corpus directory among the arguments, the seeds are written to a temporary
    one (nothing is written into the source tree).
    """
    import atheris

    argv = list(sys.argv)
    corpus = [arg for arg in argv[1:] if not arg.startswith("-")]
    with tempfile.TemporaryDirectory(prefix="egovplan-fuzz-") as folder:
        if not corpus:
            for index, seed in enumerate(seeds):
                (Path(folder) / f"seed-{index}").write_bytes(seed)
            argv.append(folder)
        atheris.Setup(argv, test_one_input)
        atheris.Fuzz()
