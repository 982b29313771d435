"""Atomic writes: the temporary file's mode, its name's length, and signals (issue #24).

The target of ``dump`` / ``write_text`` is written through a temporary file beside it:
that file is never readable by more people than the target, its name fits the file
system whenever the target's does, and it is removed on SIGTERM as on SIGINT.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from egovplan.files import write_text

_POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX modes and signals")


def _creation_modes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the mode each temporary file has the moment it is created."""
    modes: list[int] = []
    real_open = os.open

    def recording_open(path: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        descriptor = real_open(path, flags, mode, **kwargs)
        if str(path).endswith(".tmp"):
            modes.append(stat.S_IMODE(os.fstat(descriptor).st_mode))
        return descriptor

    monkeypatch.setattr(os, "open", recording_open)
    return modes


@_POSIX
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o400, 0o644])
def test_the_temporary_file_is_never_wider_than_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    target = tmp_path / "secret.yaml"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(mode)
    modes = _creation_modes(monkeypatch)
    write_text(target, "new\n")
    assert len(modes) == 1
    assert modes[0] & ~mode == 0, f"created as {modes[0]:o} for a {mode:o} target"
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_text(encoding="utf-8") == "new\n"


@_POSIX
def test_a_new_file_is_created_with_the_umask_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    umask = os.umask(0o077)
    try:
        modes = _creation_modes(monkeypatch)
        write_text(tmp_path / "fresh.txt", "x")
    finally:
        os.umask(umask)
    assert modes == [0o600]
    assert stat.S_IMODE((tmp_path / "fresh.txt").stat().st_mode) == 0o600


def _name_max(directory: Path) -> int:
    try:
        return os.pathconf(directory, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):  # pragma: no cover - not POSIX
        return 255


@pytest.mark.parametrize("letter", ["a", "ệ", "字"])
def test_a_name_at_the_file_systems_limit_can_be_written(tmp_path: Path, letter: str) -> None:
    limit = _name_max(tmp_path)
    count = (limit - len(".yaml")) // len(letter.encode("utf-8"))
    name = letter * count + ".yaml"
    assert len(name.encode("utf-8")) <= limit
    target = tmp_path / name
    write_text(target, "one\n")
    write_text(target, "two\n")  # over an existing file too
    assert target.read_text(encoding="utf-8") == "two\n"
    assert [p.name for p in tmp_path.iterdir()] == [name]


_CHILD = textwrap.dedent(
    """
    import os, signal, sys, time
    from egovplan.files import write_text

    # A child of a background job starts with SIGINT ignored: give both their defaults.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    real_fsync = os.fsync

    def slow_fsync(descriptor):
        print("writing", flush=True)
        time.sleep(60)
        real_fsync(descriptor)

    os.fsync = slow_fsync
    write_text(sys.argv[1], "new\\n")
    """
)


@_POSIX
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_writing_removes_the_temporary_file(tmp_path: Path, signum: int) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text("old\n", encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "writing\n"
        assert len(list(tmp_path.iterdir())) == 2  # the target and its temporary file
        child.send_signal(signum)
        child.wait(timeout=30)
    finally:
        child.kill()
        child.communicate()
    if signum == signal.SIGTERM:
        assert child.returncode == -signal.SIGTERM  # it still ends as SIGTERM says
    else:
        assert child.returncode != 0
    assert [p.name for p in tmp_path.iterdir()] == ["plan.yaml"]
    assert target.read_text(encoding="utf-8") == "old\n"


def test_sigterm_handling_is_put_back_after_a_write(tmp_path: Path) -> None:
    before = signal.getsignal(signal.SIGTERM)
    write_text(tmp_path / "x.txt", "x")
    assert signal.getsignal(signal.SIGTERM) is before
