"""Arrow columns and hypothesis strategies are derived from the models, like the loaders.

A field added to a model appears in its Arrow table and is drawn by the strategies with
no other edit: proven on classes that exist only here, a subclass of :class:`BudgetLine`
standing for the model with one more optional, validated field. A field the strategies
cannot draw from its declaration (one holding ids: a reference) is refused, by name, when
a strategy is built, never drawn into a dangling id nor silently left out.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Iterator
from decimal import Decimal
from importlib import resources
from typing import Any

import attrs
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovplan import _fields as f
from egovplan import arrow, funding, testing
from egovplan.catalog import Catalogues
from egovplan.errors import FieldValueError
from egovplan.flows import Flow
from egovplan.funding import BudgetLine
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.period import Period
from egovplan.plan import Plan
from egovplan.recurrence import Recurrence, recurrence_units
from egovplan.task import Schedule
from egovplan.when import When, optional_when, to_when

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def lower_case(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A model's own check, with no declaration: a lower-case text or None."""
    f.optional_text(inst, attribute, value)
    if value is not None and value != value.lower():
        raise f.field_value_error(inst, attribute, f"must be lower case, not {value!r}")


class Colour(enum.StrEnum):
    """A test-only str enum."""

    RED = "red"
    BLUE = "blue"


@attrs.frozen(kw_only=True)
class Piece:
    """A test-only record without an id.

    Attributes:
        label: what it is.
        weight: how heavy.
    """

    label: str = attrs.field(validator=f.text)
    weight: Decimal = attrs.field(converter=f.to_decimal, validator=f.decimal)


def _to_colour(value: Any) -> Any:
    return f.to_member(Colour, value)


@attrs.frozen(kw_only=True)
class Widget:
    """A test-only model with a field of each kind a strategy draws from its declaration.

    Attributes:
        id: its id.
        title: its name.
        made: the year it was made.
        price: what it cost.
        share: a percentage.
        colour: its colour.
        active: when it is in use.
        delivered: when it came.
        names: its names.
        fragile: whether it breaks.
        main: its main piece.
        pieces: all its pieces.
        tags: free words.
        note: a lower-case note (a check of its own).
    """

    id: str = attrs.field(validator=f.check_id)
    title: str = attrs.field(validator=f.text)
    made: int | None = attrs.field(default=None, validator=f.optional_year)
    price: Money | None = attrs.field(default=None, validator=f.money(optional=True))
    share: Decimal = attrs.field(default=Decimal(0), converter=f.to_decimal, validator=f.percent)
    colour: Colour | None = attrs.field(
        default=None, converter=_to_colour, validator=f.member(Colour, optional=True)
    )
    active: Period | None = attrs.field(default=None, validator=f.instance(Period, optional=True))
    delivered: dt.date | None = attrs.field(default=None, validator=f.check_date)
    names: Labels = attrs.field(validator=f.instance(Labels))
    fragile: bool = attrs.field(default=False, validator=f.instance(bool))
    main: Piece | None = attrs.field(default=None, validator=f.instance(Piece, optional=True))
    pieces: tuple[Piece, ...] = attrs.field(default=(), validator=f.tuple_of(Piece))
    tags: tuple[str, ...] = attrs.field(default=(), validator=f.tuple_of_text)
    note: str | None = attrs.field(default=None, validator=lower_case)


def rebuilt(value: Any) -> Any:
    """``value`` built again by its constructor from its fields (validators run)."""
    cls = type(value)
    return cls(**{a.name: getattr(value, a.name) for a in attrs.fields(cls) if a.init})


# -- strategies ---------------------------------------------------------------------------


@SETTINGS
@given(testing.from_model(Widget, currency="USD", locales=("en", "fr"), period=Period.year(2021)))
def test_a_new_model_is_drawn_from_its_declarations(widget: Widget) -> None:
    assert rebuilt(widget) == widget
    assert widget.made is None or testing.FIRST_YEAR <= widget.made <= testing.LAST_YEAR
    assert widget.price is None or (widget.price.currency == "USD" and widget.price.amount >= 0)
    assert 0 <= widget.share <= 100
    assert widget.active is None or Period.year(2021).contains(widget.active)
    assert widget.delivered is None or widget.delivered.year == 2021
    assert set(widget.names.locales) <= {"en", "fr"}
    assert widget.note is None or widget.note == widget.note.lower()


def test_every_field_of_a_new_model_is_drawn() -> None:
    seen: dict[str, set[bool]] = {a.name: set() for a in attrs.fields(Widget)}

    @settings(max_examples=80, deadline=None, derandomize=True)
    @given(testing.from_model(Widget))
    def record(widget: Widget) -> None:
        for a in attrs.fields(Widget):
            value = getattr(widget, a.name)
            seen[a.name].add(value in (None, (), False, Decimal(0)))

    record()
    assert all(False in found for found in seen.values()), seen  # each field drawn set


@attrs.frozen(kw_only=True)
class NotedLine(BudgetLine):
    """A budget line with one more optional, validated field: a model changed by one edit.

    Attributes:
        note: a lower-case note.
    """

    note: str | None = attrs.field(default=None, validator=lower_case)


@attrs.frozen(kw_only=True)
class LinkedLine(BudgetLine):
    """A budget line with a reference: the strategies cannot make it up.

    Attributes:
        partner: the id of another agency.
    """

    partner: str | None = attrs.field(default=None, validator=f.optional_id)


@attrs.frozen(kw_only=True)
class OddLine(BudgetLine):
    """A budget line with a field of a type no rule draws.

    Attributes:
        ratio: a complex number.
    """

    ratio: complex | None = attrs.field(default=None)


@pytest.fixture
def budget_line_is(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Make ``cls`` the budget-line model for the strategies and the Arrow tables."""

    def use(cls: type[BudgetLine]) -> None:
        monkeypatch.setattr(testing, "BudgetLine", cls)
        monkeypatch.setattr(funding, "BudgetLine", cls)
        arrow._table_columns.cache_clear()
        arrow._reader.cache_clear()

    yield use
    arrow._table_columns.cache_clear()
    arrow._reader.cache_clear()


def test_a_new_field_on_a_model_is_drawn_and_exported(budget_line_is: Any) -> None:
    budget_line_is(NotedLine)
    notes: set[str | None] = set()

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(testing.plans(max_lines=6))
    def check(plan: Plan) -> None:
        lines = plan.funding.lines
        assert all(type(line) is NotedLine for line in lines)
        assert all(rebuilt(line) == line for line in lines)
        assert not plan.validate().issues
        table = arrow.to_arrow(plan, "budget_lines")
        assert table.column_names[-1] == "note"  # a new column comes last
        assert table.column("note").to_pylist() == [line.note for line in lines]

    check()

    @settings(max_examples=200, deadline=None, derandomize=True)
    @given(testing.budget_lines())
    def record(line: BudgetLine) -> None:
        assert isinstance(line, NotedLine)
        notes.add(line.note)

    record()
    assert None in notes
    assert any(note for note in notes)  # drawn, and lower case (else the line would refuse)


@pytest.mark.parametrize(
    ("cls", "message"),
    [
        (LinkedLine, r"cannot draw LinkedLine\.partner: it holds ids.*_OVERRIDES\[LinkedLine\]"),
        (OddLine, r"cannot draw OddLine\.ratio: no rule draws a value of type complex"),
    ],
)
def test_a_field_the_strategies_cannot_draw_fails_when_they_are_built(
    budget_line_is: Any, cls: type[BudgetLine], message: str
) -> None:
    budget_line_is(cls)
    with pytest.raises(testing.UndrawableFieldError, match=message):
        testing.budget_lines()
    with pytest.raises(testing.UndrawableFieldError, match=message):
        testing.plans()


def test_a_field_drawn_by_hand_must_be_listed() -> None:
    @settings(max_examples=1, database=None)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        draw = data.draw
        with pytest.raises(testing.UndrawableFieldError, match=r"draws \['category'\] by hand"):
            testing._build(draw, BudgetLine, testing._DEFAULT, source="s", category=None)

    check()


def test_the_overrides_name_fields_of_their_classes() -> None:
    for cls, fields in testing._OVERRIDES.items():
        assert set(fields) <= set(attrs.fields_dict(cls)), cls
        assert all(why for why in fields.values())


ALL_STRATEGIES = {
    "agencies": testing.agencies(level_ids=("province",), parent_ids=("ubnd",)),
    "assignments": testing.assignments(),
    "baselines": testing.baselines(),
    "budget_lines": testing.budget_lines(years=(2021, 2022)),
    "document_refs": testing.document_refs(),
    "funding": testing.funding(years=(2021,), agency_ids=("a",)),
    "funding_sources": testing.funding_sources(),
    "indicators": testing.indicators(),
    "objectives": testing.objectives(),
    "observations": testing.observations(),
    "plan_metadata": testing.plan_metadata(),
    "reporting_duties": testing.reporting_duties(),
    "schedules": testing.schedules(),
    "sections": testing.sections(),
    "signatories": testing.signatories(),
    "spending_rules": testing.spending_rules(),
    "targets": testing.targets(),
    "tasks": testing.tasks(agency_ids=("a", "b")),
}


def _records(value: Any) -> Iterator[Any]:
    """``value`` and every model object inside it."""
    if isinstance(value, tuple):
        for item in value:
            yield from _records(item)
    elif attrs.has(type(value)) and not isinstance(value, Money | Period | Labels):
        yield value
        for a in attrs.fields(type(value)):
            if a.init:
                yield from _records(getattr(value, a.name))


@pytest.mark.parametrize("name", sorted(ALL_STRATEGIES))
def test_strategies_give_only_what_the_constructors_accept(name: str) -> None:
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ALL_STRATEGIES[name])
    def check(value: Any) -> None:
        for record in _records(value):
            assert rebuilt(record) == record

    check()


@SETTINGS
@given(testing.plans(max_lines=4))
def test_plans_give_only_what_the_constructors_accept(plan: Plan) -> None:
    for record in _records(plan):
        assert rebuilt(record) == record


# -- Arrow columns ------------------------------------------------------------------------


def test_a_new_model_has_derived_columns() -> None:
    columns = {c.name: c for c in arrow.model_columns(Widget)}
    assert list(columns) == [
        "id", "title", "made", "price", "price_currency", "share", "colour",
        "active", "active_start", "active_end", "delivered", "names", "fragile",
        "main_label", "main_weight", "pieces", "tags", "note",
    ]  # fmt: skip
    assert not columns["id"].nullable
    assert columns["note"].nullable
    assert columns["main_label"].nullable
    assert columns["main_label"].path == "main.label"
    types = {name: str(c.kind(pa, 2)) for name, c in columns.items()}
    assert types["price"] == "decimal128(38, 2)"
    assert types["share"] == "decimal128(38, 10)"
    assert types["active_start"] == "date32[day]"
    assert types["made"] == "int32"
    assert types["pieces"] == (
        "list<item: struct<label: string not null, weight: decimal128(38, 10) not null>>"
    )
    assert types["tags"] == "list<item: string not null>"


@SETTINGS
@given(st.lists(testing.from_model(Widget, currency="USD"), max_size=5))
def test_a_new_models_rows_fit_its_columns(widgets: list[Widget]) -> None:
    columns = arrow.model_columns(Widget)
    schema = pa.schema([c.arrow_field(pa, 2) for c in columns])
    table = pa.table({c.name: [c.cell(w) for w in widgets] for c in columns}, schema=schema)
    rows = table.to_pylist()
    for widget, row in zip(widgets, rows, strict=True):
        assert row["id"] == widget.id
        assert row["note"] == widget.note
        assert row["colour"] == (None if widget.colour is None else widget.colour.value)
        assert row["price"] == (None if widget.price is None else widget.price.amount)
        assert row["names"] == str(widget.names)
        assert [p["weight"] for p in row["pieces"]] == [p.weight for p in widget.pieces]


def test_a_field_no_rule_exports_is_refused_by_name() -> None:
    with pytest.raises(arrow.ArrowExportError, match=r"cannot derive a column for OddLine\.ratio"):
        arrow.model_columns(OddLine)


@pytest.mark.parametrize("table", arrow.TABLES)
def test_every_field_of_a_tables_model_is_a_column(table: str) -> None:
    model = arrow._tables()[table].model
    paths = {c.path.split(".")[0] for c in arrow._table_columns(table)}
    assert {a.name for a in attrs.fields(model) if a.init} <= paths


def test_published_columns_keep_their_place() -> None:
    text = resources.files("egovplan.data").joinpath("arrow.json").read_text("utf-8")
    published = json.loads(text)
    assert set(published) == set(arrow.TABLES)
    for table, names in published.items():
        current = [field.name for field in arrow.arrow_schema(table)]
        assert current[: len(names)] == names, table


def test_a_check_that_refuses_is_tried_again_not_left_to_fail() -> None:
    with pytest.raises(FieldValueError, match="lower case"):
        Widget(id="w", title="t", names=Labels(en="w"), note="Loud")


# -- a field holding a time ----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Review:
    """A test-only model with a time and a recurrence: no edit of testing or arrow draws them.

    Attributes:
        id: its id.
        due: when it is due.
        every: how often it recurs.
    """

    id: str = attrs.field(validator=f.check_id)
    due: When | None = attrs.field(default=None, converter=to_when, validator=optional_when)
    every: Recurrence | None = attrs.field(
        default=None, validator=f.instance(Recurrence, optional=True)
    )


@SETTINGS
@given(testing.from_model(Review, period=Period.years(2021, 2022)))
def test_a_new_time_field_is_drawn_in_the_period(review: Review) -> None:
    assert rebuilt(review) == review
    within = Period.years(2021, 2022)
    if review.due is not None:  # a time holding a day of the period
        assert review.due.first_day <= within.last_day
        assert within.first_day <= review.due.last_day
    if review.every is not None:  # every 1 or more known units, no longer than the period
        assert review.every.interval >= 1
        assert review.every.unit in recurrence_units()
        assert review.every.months is None or review.every.months <= 24


def test_a_new_time_field_is_a_text_column() -> None:
    columns = {c.name: c for c in arrow.model_columns(Review)}
    assert str(columns["due"].kind(pa, 0)) == "string"
    assert columns["due"].cell is not None
    assert columns["due"].cell(Review(id="r", due=When(2024, quarter=3, by=True))) == "by 2024-Q3"
    assert columns["due"].cell(Review(id="r")) is None


@SETTINGS
@given(testing.schedules(Period.years(2021, 2023)))
def test_schedules_start_before_their_deadline_and_recur_within_their_period(
    schedule: Schedule,
) -> None:
    within = schedule.period or Period.years(2021, 2023)
    for when in (schedule.start, schedule.deadline):
        assert when is None or (
            within.first_day <= when.last_day and when.first_day <= within.last_day
        )
    if schedule.start is not None:
        assert not schedule.start.by
        if schedule.deadline is not None:
            assert schedule.start.first_day <= schedule.deadline.last_day
    recurrence = schedule.recurrence
    if recurrence is not None and recurrence.months is not None:
        assert 1 <= recurrence.months <= len(within.quarter_list) * 3


@SETTINGS
@given(testing.flows(period=Period.years(2021, 2023), source_ids=("s",), task_ids=("t",)))
def test_flows_lie_in_their_period_and_agree(flow: Flow) -> None:
    within = Period.years(2021, 2023)
    assert flow.source in (None, "s")
    assert flow.task in (None, "t")
    assert flow.agency is None
    assert flow.objective is None
    assert flow.kind in Catalogues.default().flow_kinds
    for when in (flow.year, flow.date, flow.period):
        assert when is None or within.contains(when)
    if flow.year is not None and flow.date is not None:
        assert flow.date.year == flow.year
    if flow.period is not None and flow.date is not None:
        assert flow.period.contains(flow.date)
