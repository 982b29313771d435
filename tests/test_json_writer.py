"""The fast JSON writer writes the same bytes as the generic one.

``dumps(plan, "json")`` writes budget lines, assignments, observations and tasks straight
from the models to JSON text (:func:`egovplan.serialization.json_data`) instead of
building their dicts and testing every value. For every plan, and for records full of
text that needs escaping, odd amounts and omitted fields, the text must be byte for byte
what the generic path gives: ``files._dump_json(to_dict(plan))``. That generic path is
itself checked here against a reference writer of the canonical layout built on
``json.dumps``.
"""

from __future__ import annotations

import decimal
import gc
import json
import sys
import weakref
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovplan import files, serialization, testing
from egovplan._json_parts import JsonBlocks as _JsonBlocks
from egovplan._json_parts import JsonRecords as _JsonRecords
from egovplan.document import PlanMetadata
from egovplan.errors import FieldValueError
from egovplan.files import dumps, loads
from egovplan.funding import BudgetCategory, BudgetLine, Funding
from egovplan.indicator import Observation
from egovplan.money import Money
from egovplan.period import Period
from egovplan.plan import Plan
from egovplan.serialization import (
    MODEL_CLASSES,
    FlowMapping,
    _json_records,
    to_dict,
)
from egovplan.serialization import json_data as _json_data
from egovplan.task import Assignment, Schedule, Task

ROOT = Path(__file__).parent.parent


def records_of(cls: type) -> Any:
    """The generated JSON record writer of ``cls`` (a tuple of records -> their text)."""
    made = _json_records(cls)
    assert made is not None
    return made


_json_budget_lines = records_of(BudgetLine)
_json_observations = records_of(Observation)
_json_tasks = records_of(Task)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def reference(data: Any) -> str:
    """The canonical JSON layout, written the plain way (the specification of the writer).

    Two-space indents; a mapping or list whose values are all leaves (neither a mapping
    nor a list) goes on one line as ``json.dumps(..., ensure_ascii=False,
    separators=(", ", ": "))`` writes it.
    """

    def leaf(value: Any) -> bool:
        return not isinstance(value, dict | list)

    def one_line(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))

    def write(value: Any, indent: str) -> str:
        inner = indent + "  "
        if isinstance(value, dict) and not all(map(leaf, value.values())):
            items = [f"{inner}{one_line(key)}: {write(item, inner)}" for key, item in value.items()]
            return "{\n" + ",\n".join(items) + f"\n{indent}}}"
        if isinstance(value, list) and not all(map(leaf, value)):
            return "[\n" + ",\n".join(inner + write(item, inner) for item in value) + f"\n{indent}]"
        return one_line(value)

    return write(data, "") + "\n"


def generic(plan: Plan) -> str:
    return files._dump_json(to_dict(plan))


def one_line(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": "))


# -- text that needs escaping, and ids that are still valid ids ------------------------------

#: Characters the JSON encoder escapes or that are easy to get wrong: quotes, backslashes,
#: control characters, line and paragraph separators, non-BMP letters, lone surrogates.
AWKWARD = ['"', "\\", "\x00", "\x1f", "\x7f", "\n", "\t", "\u2028", "\u2029", "😀", "\ud800",
           "\udfff", "/", "đ", "ệ", "<", "&", "'"]  # fmt: skip

awkward_texts = st.lists(
    st.one_of(st.sampled_from(AWKWARD), st.characters(codec="utf-8")), max_size=12
).map("".join)
awkward_ids = st.tuples(
    st.characters(codec="utf-8", exclude_categories=("Z", "Cc")), awkward_texts
).map(lambda parts: (parts[0] + parts[1]).strip() or "x")
optional_ids = st.none() | awkward_ids
amounts = st.one_of(
    st.integers(0, 10**40).map(Decimal),
    st.decimals(min_value=0, max_value=10**12, places=3, allow_nan=False),
    st.sampled_from(["1E+3", "1E-7", "0.000001", "-0", "5E+20", "1.000", "0E-5", "12.50"]).map(
        Decimal
    ),
)


def valid(build: Any) -> Any:
    """``build`` on the drawn fields, or nothing when the model refuses them."""

    def attempt(fields: dict[str, Any]) -> Any:
        try:
            return build(**fields)
        except (ValueError, TypeError):
            return None

    return attempt


@st.composite
def budget_lines(draw: st.DrawFn) -> BudgetLine:
    line = None
    while line is None:
        line = valid(BudgetLine)(
            {
                "id": draw(awkward_ids),
                "source": draw(awkward_ids),
                "year": draw(st.none() | st.integers(1900, 2100)),
                "agency": draw(optional_ids),
                "task": draw(optional_ids),
                "objective": draw(optional_ids),
                "category": draw(st.none() | st.sampled_from(BudgetCategory)),
                "amount": Money(draw(amounts), draw(st.sampled_from(["VND", "USD", "EUR"]))),
            }
        )
    return line


@st.composite
def observations(draw: st.DrawFn) -> Observation:
    numbers = st.none() | amounts | amounts.map(lambda number: -number)
    observation = None
    while observation is None:
        rank = draw(st.none() | st.integers(1, 10**30))
        ranked = None if rank is None else draw(st.none() | st.integers(rank, 10**31))
        observation = valid(Observation)(
            {
                "indicator": draw(awkward_ids),
                "subject": draw(awkward_ids),
                "period": draw(testing.periods()),
                "value": draw(numbers),
                "score": draw(numbers),
                "rank": rank,
                "ranked": ranked,
            }
        )
    return observation


assignments = st.builds(Assignment, agency=awkward_ids, role=awkward_ids)
schedules = st.one_of(
    testing.schedules(),
    st.builds(Schedule, text=st.none() | awkward_texts, regular=st.booleans()),
)
tasks = st.one_of(
    testing.tasks(),
    st.builds(
        Task,
        id=awkward_ids,
        title=awkward_texts,
        heading=st.none() | awkward_texts,
        objectives=st.lists(awkward_ids, max_size=3).map(tuple),
        indicators=st.lists(awkward_ids, max_size=3).map(tuple),
        schedule=st.none() | schedules,
        assignments=st.lists(assignments, max_size=3).map(tuple),
    ),
)


def plan_of(
    lines: list[BudgetLine], task_list: list[Task], observation_list: list[Observation]
) -> Plan:
    return Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="Kế hoạch"),
        period=Period.years(2021, 2025),
        funding=Funding(lines=tuple(lines)),
        tasks=tuple(task_list),
        observations=tuple(observation_list),
    )


# -- whole plans ---------------------------------------------------------------------------


@SETTINGS
@given(testing.plans())
def test_plans_are_written_as_the_generic_path_writes_them(plan: Plan) -> None:
    text = dumps(plan, "json")
    assert text == generic(plan)
    assert text == reference(to_dict(plan))


@SETTINGS
@given(testing.edge_plans())
def test_edge_plans_are_written_as_the_generic_path_writes_them(plan: Plan) -> None:
    text = dumps(plan, "json")
    assert text == generic(plan)
    assert text == reference(to_dict(plan))
    assert loads(text, "json") == plan
    assert dumps(loads(text, "json"), "json") == text


@SETTINGS
@given(
    st.lists(budget_lines(), max_size=4),
    st.lists(tasks, max_size=4),
    st.lists(observations(), max_size=4),
)
def test_awkward_records_are_written_as_the_generic_path_writes_them(
    lines: list[BudgetLine], task_list: list[Task], observation_list: list[Observation]
) -> None:
    plan = plan_of(lines, task_list, observation_list)
    text = dumps(plan, "json")
    assert text == generic(plan)
    assert text == reference(to_dict(plan))


def bench_plan(lines: int, seed: int) -> Plan:
    """A plan of the benchmark's generator (``bench/generate.py``)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    plan: Plan = generate.generate(lines, seed=seed)
    return plan


def test_the_generated_benchmark_plan_is_written_as_the_generic_path_writes_it() -> None:
    plan = bench_plan(500, seed=3)
    text = dumps(plan, "json")
    assert text == generic(plan) == reference(to_dict(plan))
    assert dumps(loads(text, "json"), "json") == text


def test_golden_and_sample_json_files_are_written_back_byte_for_byte() -> None:
    found = sorted((ROOT / "tests").rglob("*.json")) + sorted((ROOT / "examples").rglob("*.json"))
    checked = 0
    for path in found:
        text = path.read_text(encoding="utf-8")
        try:
            plan = loads(text, "json")
        except Exception:  # not a plan file (expected outputs, schemas, bad inputs)
            continue
        if dumps(plan, "json") != generic(plan):
            pytest.fail(f"{path}: the fast writer differs from the generic one")
        if files.dumps(loads(dumps(plan, "json"), "json"), "json") != dumps(plan, "json"):
            pytest.fail(f"{path}: not canonical after one round")
        checked += 1
    assert checked > 0


# -- each record on its own ----------------------------------------------------------------


def model_objects(obj: Any, out: list[Any]) -> list[Any]:
    """Every model object inside ``obj`` (itself included), by ``attrs.fields``."""
    if attrs.has(type(obj)) and type(obj) in MODEL_CLASSES:
        out.append(obj)
        for field in attrs.fields(type(obj)):
            model_objects(getattr(obj, field.name), out)
    elif type(obj) is tuple:
        for item in obj:
            model_objects(item, out)
    return out


@SETTINGS
@given(st.one_of(testing.plans(), testing.edge_plans()))
def test_every_model_with_a_record_writer_is_written_as_its_dict(plan: Plan) -> None:
    # No class is named: every record of the plan whose class has a generated writer.
    by_class: dict[type, list[Any]] = {}
    for obj in model_objects(plan, []):
        by_class.setdefault(type(obj), []).append(obj)
    for cls, found in by_class.items():
        made = _json_records(cls)
        if made is None:
            continue
        written = made(tuple(found))
        assert files._dump_json({"k": written}) == reference({"k": [to_dict(o) for o in found]})


def test_most_models_have_a_generated_record_writer() -> None:
    written = {cls for cls in MODEL_CLASSES if _json_records(cls) is not None}
    assert {BudgetLine, Task, Observation, Assignment} <= written
    # A model nesting records that are not one-line (objectives, the plan) is written
    # from its plain data.
    assert Plan not in written


@SETTINGS
@given(st.lists(budget_lines(), max_size=5))
def test_budget_lines_are_the_one_line_json_of_their_dicts(lines: list[BudgetLine]) -> None:
    written = _json_budget_lines(tuple(lines))
    assert type(written) is _JsonRecords
    assert list(written) == [one_line(to_dict(line)) for line in lines]


@SETTINGS
@given(st.lists(observations(), max_size=5))
def test_observations_are_the_one_line_json_of_their_dicts(
    observation_list: list[Observation],
) -> None:
    written = _json_observations(tuple(observation_list))
    assert list(written) == [one_line(to_dict(item)) for item in observation_list]


@SETTINGS
@given(tasks)
def test_a_task_is_its_dict_as_the_writer_puts_it_at_the_left_margin(task: Task) -> None:
    (text,) = _json_tasks((task,))
    assert text + "\n" == reference(to_dict(task))


@SETTINGS
@given(tasks)
def test_a_task_on_its_own_is_written_as_the_generic_path_writes_it(task: Task) -> None:
    data = _json_data(task)
    assert (type(data.get("assignments")) is _JsonRecords) == bool(task.assignments)
    assert files._dump_json(data) == reference(to_dict(task))


@SETTINGS
@given(st.lists(tasks, min_size=1, max_size=3), st.integers(0, 3))
def test_task_blocks_are_indented_to_any_depth(task_list: list[Task], depth: int) -> None:
    blocks = _json_tasks(tuple(task_list))
    assert type(blocks) is _JsonBlocks
    plain: Any = [to_dict(task) for task in task_list]
    nested: Any = blocks
    for level in range(depth):
        plain, nested = {f"k{level}": plain, "n": 1}, {f"k{level}": nested, "n": 1}
    assert files._dump_json(nested) == reference(plain)


def test_empty_records_are_written_as_an_empty_list() -> None:
    for empty in (_JsonRecords(), _JsonBlocks()):
        assert files._dump_json({"a": empty, "b": 1}) == '{\n  "a": [],\n  "b": 1\n}\n'
        assert files._dump_json({"a": empty}) == reference({"a": []})


def test_the_writer_keeps_the_layout_of_plain_data() -> None:
    data = {
        "a": "x",
        "flow": FlowMapping(province=100, district=Decimal("1.5").__str__()),
        "list": [1, True, None, "s\u2028"],
        "nested": [{"k": []}, {}, [], [[1]]],
        "empty": {},
    }
    assert files._dump_json(data) == reference(data)


class Unhashed(str):
    """An id that never finds itself in a dict (its hash changes on every call)."""

    count = 0

    def __hash__(self) -> int:
        Unhashed.count += 1
        return Unhashed.count


@pytest.mark.parametrize("batch", [1, 2, serialization.JSON_BATCH])
def test_a_line_whose_values_cannot_be_looked_up_is_written_from_its_data(
    batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serialization, "JSON_BATCH", batch)
    lines = [
        BudgetLine(id="l1", source="s", agency=Unhashed("a1"), amount=Money(1, "VND")),
        BudgetLine(id="l2", source="s", agency="a2", amount=Money(2, "VND")),
        BudgetLine(id="l3", source=Unhashed("s"), agency="a2", amount=Money(3, "VND")),
    ]
    assert list(_json_budget_lines(tuple(lines))) == [one_line(to_dict(line)) for line in lines]
    plan = plan_of(lines, [], [])
    assert dumps(plan, "json") == generic(plan)
    assert files.dumpb(plan, "json") == generic(plan).encode("utf-8")


@pytest.mark.parametrize("capitals", [0, 1])
def test_amounts_are_fixed_point_text_in_any_decimal_context(capitals: int) -> None:
    numbers = ["1E+3", "1E-7", "0.000001", "123.4500", "0E-5", "5E+20", "-0", "7", "1e+2"]
    lines = tuple(
        BudgetLine(id=f"l{index}", source="s", amount=Money(Decimal(text), "USD"))
        for index, text in enumerate(numbers)
    )
    with decimal.localcontext(capitals=capitals):
        assert list(_json_budget_lines(lines)) == [one_line(to_dict(line)) for line in lines]
        assert all("E" not in text and "e+" not in text for text in _json_budget_lines(lines))


@SETTINGS
@given(st.decimals(allow_nan=False, allow_infinity=False), st.integers(0, 1))
def test_a_decimal_is_written_as_its_unstructured_value(number: Decimal, capitals: int) -> None:
    with decimal.localcontext(capitals=capitals):
        assert serialization._json_decimal(number) == one_line(
            serialization._unstructure_decimal(number)
        )


def test_json_data_is_to_dict_with_records_already_written() -> None:
    line = BudgetLine(id="l1", source="s", year=2022, amount=Money(5, "VND"))
    plan = plan_of(
        [line], [Task(id="t", title="T", assignments=(Assignment(agency="a", role="lead"),))], []
    )
    data = _json_data(plan)
    plain = to_dict(plan)
    assert list(data["funding"]["lines"]) == [one_line(plain["funding"]["lines"][0])]
    assert type(data["tasks"]) is _JsonBlocks
    assert {key: value for key, value in data.items() if key not in ("funding", "tasks")} == {
        key: value for key, value in plain.items() if key not in ("funding", "tasks")
    }
    # A record on its own, outside a tuple, keeps its plain dict.
    assert _json_data(line) == to_dict(line)


# -- bytes: dumpb, and what dump writes -------------------------------------------------------


NOT_UNICODE = "not Unicode"


def encoded(make: Any) -> bytes | str:
    """The bytes ``make()`` gives, or :data:`NOT_UNICODE` when the text has a lone surrogate.

    ``str.encode`` raises UnicodeEncodeError; ``dumpb`` a FieldValueError that says so.
    """
    try:
        return make()  # type: ignore[no-any-return]
    except UnicodeEncodeError:
        return NOT_UNICODE
    except FieldValueError as error:
        return NOT_UNICODE if "has an unpaired surrogate" in str(error) else str(error)


#: Records per batch: one (a separator between every two records), a few, the default.
BATCHES = st.sampled_from([1, 2, 3, serialization.JSON_BATCH])


@SETTINGS
@given(testing.edge_plans(), BATCHES)
def test_dumpb_is_the_utf8_of_dumps_in_batches_of_any_size(plan: Plan, batch: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(serialization, "JSON_BATCH", batch)
        data = files.dumpb(plan, "json")
        text = dumps(plan, "json")
    assert text == generic(plan)
    assert data == text.encode("utf-8")
    assert loads(data, "json") == plan


@SETTINGS
@given(
    st.lists(budget_lines(), max_size=5),
    st.lists(tasks, max_size=5),
    st.lists(observations(), max_size=5),
    BATCHES,
)
def test_dumpb_of_awkward_records_is_the_utf8_of_dumps_or_the_same_error(
    lines: list[BudgetLine], task_list: list[Task], observation_list: list[Observation], batch: int
) -> None:
    plan = plan_of(lines, task_list, observation_list)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(serialization, "JSON_BATCH", batch)
        data = encoded(lambda: files.dumpb(plan, "json"))
        text = dumps(plan, "json")
    assert text == generic(plan)
    assert data == encoded(lambda: text.encode("utf-8"))


def test_the_records_of_a_big_plan_are_written_batch_by_batch() -> None:
    plan = bench_plan(2500, seed=5)
    lines = _json_budget_lines(plan.funding.lines)
    assert [len(batch) for batch in lines.batches()] == [1024, 1024, 452]
    assert len(lines) == 2500
    assert list(lines) == [one_line(to_dict(line)) for line in plan.funding.lines]
    chunks = files._json_chunks(_json_data(plan))
    assert sum(len(chunk) > 1024 * 100 for chunk in chunks) == 2  # two full batches of lines
    assert b"".join(chunks) == files.dumpb(plan, "json") == dumps(plan, "json").encode()


@pytest.mark.parametrize("format", files.FORMATS)
def test_dumpb_and_dump_write_the_utf8_of_dumps_in_every_format(
    format: str, tmp_path: Path
) -> None:
    plan = files.load(ROOT / "tests" / "data" / "plans" / "sample-province-2018.yaml")
    text = dumps(plan, format)
    assert files.dumpb(plan, format) == text.encode("utf-8")
    target = tmp_path / f"plan.{format}"
    files.dump(plan, target)
    assert target.read_bytes() == text.encode("utf-8")
    assert files.load(target) == plan


def test_dumpb_refuses_what_dumps_refuses(tmp_path: Path) -> None:
    plan = plan_of([], [], [])
    with pytest.raises(TypeError, match=r"dumpb\(\) writes a Plan, not Funding"):
        files.dumpb(plan.funding, "json")  # type: ignore[arg-type]
    with pytest.raises(files.FormatError, match="xml"):
        files.dumpb(plan, "xml")
    lone = Plan(id="p", metadata=PlanMetadata(kind="plan", title="a\ud800"), period=plan.period)
    message = r"cannot be written as UTF-8: metadata\.title has an unpaired surrogate"
    for format in ("json", "yaml", "toml"):
        with pytest.raises(FieldValueError, match=message):
            files.dumpb(lone, format)
    target = tmp_path / "plan.json"
    target.write_bytes(b"old")
    with pytest.raises(FieldValueError, match=message):
        files.dump(lone, target)  # refused before any file is made
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_the_writers_caches_of_texts_stay_bounded() -> None:
    # A writer keeps the text of each value of a field whose values repeat (a source, a
    # year, an enum member); a process writing many plans must not keep them all.
    import gc

    from egovplan import _derive

    line = BudgetLine(id="l", source="s", amount=Money(1, "VND"))
    lines = tuple(attrs.evolve(line, id=f"line-{i}", source=f"source-{i}") for i in range(10_000))
    records = serialization._json_records(BudgetLine)
    assert records is not None
    written = "\n".join(records(lines))
    assert written.count('"source": "source-') == 10_000
    assert '"id": "line-9999"' in written
    tables = [obj for obj in gc.get_objects() if isinstance(obj, _derive._Texts)]
    assert tables
    assert max(len(table) for table in tables) <= _derive._TEXTS_KEPT


@pytest.mark.parametrize("kept", [1, 3, 10])
def test_a_table_of_texts_that_grows_too_large_gives_way_to_the_ids_themselves(
    kept: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Past _TEXTS_KEPT values in one list (a million lines naming 100k tasks), an id
    # field is written id by id for the rest of the list; the text is the same, and
    # the next list starts with its table again.
    from egovplan import _derive

    monkeypatch.setattr(_derive, "_TEXTS_KEPT", kept)
    monkeypatch.setattr(serialization, "JSON_BATCH", 7)
    plan = bench_plan(300, seed=4)
    none_task = [attrs.evolve(line, task=None) for line in plan.funding.lines[:20]]
    lines = (*plan.funding.lines[20:150], *none_task, *plan.funding.lines[150:])
    plan = attrs.evolve(plan, funding=attrs.evolve(plan.funding, lines=lines))
    expected = generic(plan)
    assert dumps(plan, "json") == expected
    assert files.dumpb(plan, "json") == expected.encode("utf-8")
    records = serialization._json_records(BudgetLine)
    assert records is not None
    assert list(records(lines)) == [one_line(to_dict(line)) for line in lines]


def test_a_dump_keeps_no_object_of_the_plan_written() -> None:
    # Value records (assignments, schedules) have their texts kept while a document is
    # written; once it is written, nothing of the plan may stay alive in those caches.
    examples = Path(__file__).resolve().parent.parent / "examples"
    plan = files.load(examples / "quang-nam-2021-2025.yaml")
    kept = [weakref.ref(a) for task in plan.tasks for a in task.assignments]
    assert kept
    files.dumpb(plan, "json")
    files.dumps(plan, "json")
    del plan
    gc.collect()
    assert [ref for ref in kept if ref() is not None] == []


def test_a_column_none_in_a_whole_batch_is_written_as_nothing_there_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The column writer per batch: a field None in every record of one batch, given in
    # the next, and a falsy value that is not None (year 0), which is still written.
    monkeypatch.setattr(serialization, "JSON_BATCH", 4)
    line = BudgetLine(id="l", source="s", amount=Money(1, "VND"))
    lines = tuple(
        attrs.evolve(
            line,
            id=f"l{i}",
            task="t" if i >= 4 else None,
            year=2021 if i < 4 else None,
            category=BudgetCategory.INVESTMENT if i == 11 else None,
        )
        for i in range(13)
    )
    object.__setattr__(lines[9], "year", 0)  # falsy, not None (the constructor refuses it)
    records = serialization._json_records(BudgetLine)
    assert records is not None
    written = list(records(lines))
    assert written == [one_line(to_dict(line)) for line in lines]
    assert written[9] == '{"id": "l9", "source": "s", "year": 0, "task": "t", "amount": "1 VND"}'
    assert written[0] == '{"id": "l0", "source": "s", "year": 2021, "amount": "1 VND"}'
