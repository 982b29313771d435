"""What egovplan keeps between processes (egovplan._pycache): generated code, parsed TOML."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tomllib
import types
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovplan import _pycache, files

SOURCE = "def f(x):\n    return x * 2 + 1\n"
FILENAME = "<egovplan generated test>"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own, written as Python writes bytecode."""
    monkeypatch.setattr(_pycache, "cache_folder", lambda: str(tmp_path / "cache"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return tmp_path / "cache"


def _run(code: Any) -> Any:
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    return namespace["f"](20)


def _no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> Any:
        raise AssertionError("compiled although the code was kept")

    monkeypatch.setattr(_pycache, "compile", refuse, raising=False)


def test_code_compiled_once_is_read_back(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _pycache.code_of(SOURCE, FILENAME)
    assert len(list(folder.iterdir())) == 1
    _no_compiling(monkeypatch)
    again = _pycache.code_of(SOURCE, FILENAME)
    assert again is not first
    assert again == first
    assert again.co_filename == FILENAME
    assert _run(again) == 41


def test_a_file_of_another_source_or_name_under_the_same_name_is_not_used(
    folder: Path,
) -> None:
    _pycache.code_of(SOURCE, FILENAME)
    (kept,) = folder.iterdir()
    other = SOURCE.replace("2 + 1", "3")
    # The other source's file put where this one's is (as a checksum collision would).
    path = Path(_pycache.cache_folder())
    data = kept.read_bytes()
    kept.unlink()
    _pycache.code_of(other, FILENAME)
    (other_file,) = path.iterdir()
    other_file.rename(kept)
    assert _run(_pycache.code_of(SOURCE, FILENAME)) == 41
    kept.write_bytes(data)
    renamed = _pycache.code_of(SOURCE, "<another name>")
    assert renamed.co_filename == "<another name>"


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: b"",
        lambda data: b"not marshal data at all",
        lambda data: data[:-20] + bytes(20),  # the code's bytes changed
    ],
)
def test_a_damaged_file_is_ignored(folder: Path, damage: Any) -> None:
    _pycache.code_of(SOURCE, FILENAME)
    (kept,) = folder.iterdir()
    kept.write_bytes(damage(kept.read_bytes()))
    assert _run(_pycache.code_of(SOURCE, FILENAME)) == 41


def test_nothing_is_written_when_python_writes_no_bytecode(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert _run(_pycache.code_of(SOURCE, FILENAME)) == 41
    assert not folder.exists()


def test_a_folder_that_cannot_be_written_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(_pycache, "cache_folder", lambda: str(blocker / "cache"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert _run(_pycache.code_of(SOURCE, FILENAME)) == 41
    assert sorted(os.listdir(tmp_path)) == ["a file"]


def test_the_folder_is_the_packages_pycache_or_under_the_prefix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    package = Path(_pycache.__file__).resolve().parent
    monkeypatch.setattr(sys, "pycache_prefix", None)
    assert Path(_pycache.cache_folder()) == package / "__pycache__"
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    folder = Path(_pycache.cache_folder())
    assert folder.is_relative_to(tmp_path)
    assert folder.name == package.name


def test_a_later_process_loads_plans_the_same_with_the_kept_code(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "lao-cai-2018.yaml"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path)
    program = (
        "import sys; from egovplan import files;"
        " print(files.dumps(files.load(sys.argv[1]), 'json'))"
    )
    outputs = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", program, str(example)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(done.stdout)
        assert list(tmp_path.rglob("egovplan-code-*.bin"))  # the first one kept them
    assert outputs[0] == outputs[1] == files.dumps(files.load(example), "json") + "\n"


@pytest.fixture(scope="module")
def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache folder for the property below (hypothesis wants no function-scoped fixture)."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_pycache, "cache_folder", lambda: str(folder))
        patch.setattr(sys, "dont_write_bytecode", False)
        yield folder


@given(st.integers(-(10**6), 10**6), st.integers(-(10**6), 10**6))
def test_kept_code_does_what_its_source_says(shared_folder: Path, a: int, b: int) -> None:
    source = f"def f(x):\n    return x * {a} + {b}\n"
    assert _run(_pycache.code_of(source, FILENAME)) == 20 * a + b  # compiled and kept
    assert _run(_pycache.code_of(source, FILENAME)) == 20 * a + b  # read back


TOML = 'name = "roles"\n[kinds.lead]\nvi = "chủ trì"\nen = "lead"\nsteps = [1, 2]\n'


def test_toml_parsed_once_is_read_back_as_a_new_copy(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _pycache.toml_of(TOML, "roles.toml")
    assert first == tomllib.loads(TOML)
    assert len(list(folder.iterdir())) == 1

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("parsed although the document was kept")

    monkeypatch.setattr(tomllib, "loads", refuse)
    again = _pycache.toml_of(TOML, "roles.toml")
    assert again == first
    assert again is not first
    again["kinds"]["lead"]["vi"] = "changed"  # a copy of its own, as tomllib gives
    assert _pycache.toml_of(TOML, "roles.toml")["kinds"]["lead"]["vi"] == "chủ trì"


def test_toml_with_a_fraction_or_a_date_is_parsed_every_time(folder: Path) -> None:
    text = "rate = 1.5\nsince = 2025-07-01\n"
    document = _pycache.toml_of(text, "x.toml")
    assert document == {"rate": Decimal("1.5"), "since": dt.date(2025, 7, 1)}
    assert _pycache.toml_of(text, "x.toml") == document
    assert not folder.exists()


def test_toml_and_code_of_the_same_text_are_kept_apart(folder: Path) -> None:
    source = "x = 1\n"
    assert _pycache.toml_of(source, "same") == {"x": 1}
    assert isinstance(_pycache.code_of(source, "same"), types.CodeType)
    assert _pycache.toml_of(source, "same") == {"x": 1}
    assert len(list(folder.iterdir())) == 2


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")))  # (what TOML writes raw)


@given(st.dictionaries(st.from_regex(r"[a-z]{1,8}", fullmatch=True), st.integers() | TEXT))
def test_kept_toml_is_what_tomllib_reads(shared_folder: Path, table: dict[str, Any]) -> None:
    text = "".join(
        f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in table.items()
    )
    expected = tomllib.loads(text)
    assert _pycache.toml_of(text, "t.toml") == expected  # parsed and kept
    assert _pycache.toml_of(text, "t.toml") == expected  # read back
