"""Nothing lost: every model and every format round-trips, and writers are atomic.

- For plans with the edge values that are valid (letters of any script in every free
  text, amounts up to 58 digits, empty optional parts) and for every format:
  ``load(dump(plan)) == plan`` and ``dump(load(text)) == text`` for the canonical text,
  any number of times, across formats, through files.
- Every model class round-trips through plain data on its own.
- :func:`~egovplan.files.dump` (and ``egovplan convert``) replace the target atomically:
  a failure injected at any step (writing, flushing to disk, setting permissions,
  renaming, an interrupt) leaves the target's bytes as they were and no temporary file
  behind.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovplan import files, testing
from egovplan.cli import main
from egovplan.document import PlanMetadata
from egovplan.errors import FieldValueError
from egovplan.files import FORMATS, dump, dumps, format_of, load, loads, write_text
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.period import Period
from egovplan.plan import Plan
from egovplan.serialization import MODEL_CLASSES, from_dict, to_dict

ROOT = Path(__file__).parent.parent
PLANS = ROOT / "tests" / "data" / "plans"
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def models(obj: Any) -> Iterator[Any]:
    """Every model object inside ``obj`` (``obj`` too)."""
    if isinstance(obj, tuple):
        for item in obj:
            yield from models(item)
    elif type(obj) in MODEL_CLASSES:
        yield obj
        for field in attrs.fields(type(obj)):
            yield from models(getattr(obj, field.name))


# -- plans with edge values, every format ---------------------------------------------------


@SETTINGS
@given(testing.edge_plans())
def test_edge_plans_round_trip_in_every_format(plan: Plan) -> None:
    for format in FORMATS:
        text = dumps(plan, format)
        again = loads(text, format)
        assert again == plan
        assert dumps(again, format) == text  # canonical text is a fixed point


@SETTINGS
@given(testing.edge_plans(), st.lists(st.sampled_from(FORMATS), min_size=2, max_size=6))
def test_any_chain_of_formats_keeps_the_plan(plan: Plan, chain: list[str]) -> None:
    current = plan
    for format in chain:
        current = loads(dumps(current, format), format)
    assert current == plan


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=testing.edge_plans(max_agencies=2, max_tasks=2, max_objectives=1))
def test_edge_plans_round_trip_through_files(plan: Plan, tmp_path_factory: Any) -> None:
    folder = tmp_path_factory.mktemp("files")
    for extension in (".yaml", ".yml", ".json", ".toml"):
        path = folder / f"plan{extension}"
        dump(plan, path)
        assert load(path) == plan
        written = path.read_bytes()
        dump(load(path), path)  # writing what was read changes no byte
        assert path.read_bytes() == written
    assert sorted(p.name for p in folder.iterdir()) == [
        "plan.json",
        "plan.toml",
        "plan.yaml",
        "plan.yml",
    ]


def test_edge_plans_do_carry_edge_values() -> None:
    """The strategy draws what it promises: letters outside Latin, big amounts, empty parts."""
    seen = {"non_latin": False, "astral": False, "big": False, "empty": False}

    # Derandomized, so that whether the few draws include each kind is decided once.
    @settings(
        max_examples=120,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(testing.edge_plans())
    def look(plan: Plan) -> None:
        text = dumps(plan, "json")
        seen["non_latin"] |= any(ord(char) > 0x250 for char in str(plan.metadata.title))
        seen["astral"] |= any(ord(char) > 0xFFFF for char in text)
        seen["big"] |= any(
            s.amount is not None and s.amount.amount.adjusted() >= 40 for s in plan.funding.sources
        )
        seen["empty"] |= not plan.objectives and not plan.tasks
        assert plan.validate().ok  # consistent plans stay consistent

    look()
    assert all(seen.values()), seen


@pytest.mark.parametrize("format", FORMATS)
def test_the_emptiest_plan_round_trips(format: str) -> None:
    plan = Plan(id="p", metadata=PlanMetadata(kind="plan", title="T"), period=Period.year(2025))
    text = dumps(plan, format)
    assert loads(text, format) == plan
    assert dumps(loads(text, format), format) == text


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize(
    "amount",
    ["0", "1", "9" * 58, "1" + "0" * 59, "0.000001", "123456789012345678901234567890.5"],
)
def test_extreme_amounts_round_trip(amount: str, format: str) -> None:
    from egovplan.funding import Funding, FundingSource

    source = FundingSource(
        id="s", kind="grant", names=Labels(vi="Nguồn"), amount=Money(Decimal(amount), "USD")
    )
    plan = Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="T"),
        period=Period.year(2025),
        funding=Funding(total=source.amount, sources=(source,)),
    )
    text = dumps(plan, format)
    again = loads(text, format)
    assert again == plan
    assert again.funding.sources[0].amount.amount == Decimal(amount)
    assert dumps(again, format) == text


# -- the canonical files of the repository ---------------------------------------------------


def canonical_files() -> list[Path]:
    return sorted(p for p in PLANS.iterdir() if p.suffix in (".yaml", ".json", ".toml"))


@pytest.mark.parametrize("path", canonical_files(), ids=lambda p: p.name)
def test_canonical_text_is_a_fixed_point(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    format = format_of(path)
    plan = load(path)
    for _ in range(3):
        text_again = dumps(plan, format)
        assert text_again == text
        plan = loads(text_again, format)


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.name)
def test_the_examples_round_trip_in_every_format(path: Path) -> None:
    plan = load(path)
    for format in FORMATS:
        assert loads(dumps(plan, format), format) == plan


# -- every model on its own -------------------------------------------------------------------


REPOSITORY_PLANS = sorted((ROOT / "examples").glob("*.yaml")) + canonical_files()


def test_every_model_class_occurs_in_the_repository_plans() -> None:
    found = {type(obj) for path in REPOSITORY_PLANS for obj in models(load(path))}
    assert set(MODEL_CLASSES) <= found, set(MODEL_CLASSES) - found


@pytest.mark.parametrize("path", REPOSITORY_PLANS, ids=lambda p: p.name)
def test_every_model_object_of_the_repository_plans_round_trips_alone(path: Path) -> None:
    for obj in models(load(path)):
        assert from_dict(to_dict(obj), type(obj)) == obj


@SETTINGS
@given(testing.edge_plans())
def test_every_model_object_of_edge_plans_round_trips_alone(plan: Plan) -> None:
    for obj in models(plan):
        assert from_dict(to_dict(obj), type(obj)) == obj


# -- atomic writers ----------------------------------------------------------------------------

PLAN = load(PLANS / "sample-province-2018.yaml")
OLD = b"the plan as it was\n"


class Injected(OSError):
    """The failure injected into a write (the operating system's kind of error)."""


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _fail(*args: Any, **kwargs: Any) -> Any:
    raise Injected("injected failure")


class _HalfWriter:
    """A file whose ``write`` writes half of the data, then fails (a full disk)."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def write(self, data: bytes) -> int:
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        raise OSError(28, "No space left on device")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)

    def __enter__(self) -> _HalfWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


def inject(monkeypatch: pytest.MonkeyPatch, step: str) -> type[BaseException]:
    """Make ``step`` of an atomic write fail; the exception type it raises."""
    if step == "write":
        real_fdopen = os.fdopen
        monkeypatch.setattr(os, "fdopen", lambda *a, **k: _HalfWriter(real_fdopen(*a, **k)))
        return OSError
    if step == "fsync":
        monkeypatch.setattr(os, "fsync", _fail)
    elif step == "chmod":  # setting the temporary file's mode, by descriptor or by name
        monkeypatch.setattr(os, "chmod", _fail)
        monkeypatch.setattr(os, "fchmod", _fail)
    elif step == "replace":
        monkeypatch.setattr(os, "replace", _fail)
    elif step == "interrupt":

        def interrupt(*args: Any) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(os, "fsync", interrupt)
        return KeyboardInterrupt
    else:  # pragma: no cover - a typo in a parameter
        raise AssertionError(step)
    return Injected


STEPS = ["write", "fsync", "chmod", "replace", "interrupt"]


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("format", FORMATS)
def test_a_failed_dump_leaves_an_existing_target_as_it_was(
    step: str, format: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / f"plan.{format}"
    target.write_bytes(OLD)
    (tmp_path / "other.txt").write_text("a neighbour", encoding="utf-8")
    before = listing(tmp_path)
    error = inject(monkeypatch, step)
    with pytest.raises(error):
        dump(PLAN, target)
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert listing(tmp_path) == before  # no temporary file left behind
    dump(PLAN, target)  # and the next write works
    assert load(target) == PLAN
    assert listing(tmp_path) == before


@pytest.mark.parametrize("step", ["write", "fsync", "replace", "interrupt"])
def test_a_failed_dump_creates_no_target(
    step: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    error = inject(monkeypatch, step)
    with pytest.raises(error):
        dump(PLAN, tmp_path / "new.json")
    assert listing(tmp_path) == []


def test_a_plan_that_cannot_be_written_touches_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.toml"
    target.write_bytes(OLD)
    monkeypatch.setattr(files, "_dumps", _fail)  # the text cannot be made
    with pytest.raises(Injected):
        dump(PLAN, target)
    assert target.read_bytes() == OLD
    assert listing(tmp_path) == ["plan.toml"]
    with pytest.raises(FieldValueError, match="line 1, column 1 has an unpaired surrogate"):
        write_text(target, "\ud800")  # text that is not Unicode: refused before any file
    assert target.read_bytes() == OLD
    assert listing(tmp_path) == ["plan.toml"]


@pytest.mark.parametrize("step", STEPS)
def test_convert_leaves_the_target_as_it_was_and_says_so(
    step: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.yaml"
    dump(PLAN, source)
    target = tmp_path / "out.json"
    target.write_bytes(OLD)
    before = listing(tmp_path)
    inject(monkeypatch, step)
    if step == "interrupt":
        assert main(["convert", str(source), str(target)]) == 130
    else:
        assert main(["convert", str(source), str(target)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"egovplan: {target}: cannot be written")
        assert "Traceback" not in err
        assert len(err.splitlines()) == 1
    assert target.read_bytes() == OLD
    assert listing(tmp_path) == before


def test_the_temporary_file_lives_beside_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same directory, so the rename is atomic (never across file systems)."""
    renamed: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(source: Any, destination: Any) -> None:
        renamed.append((str(source), str(destination)))
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", spy)
    target = tmp_path / "plan.yaml"
    dump(PLAN, target)
    ((temporary, destination),) = renamed
    assert Path(temporary).parent == tmp_path
    assert Path(temporary).name.startswith(".plan.yaml.")
    assert destination == str(target)
