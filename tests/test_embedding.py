"""egovplan's models inside your own classes: ``configure_converter`` and datetimes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import cattrs
import pytest
from hypothesis import HealthCheck, given, settings

from egovplan import testing
from egovplan.errors import LoadError
from egovplan.funding import BudgetCategory, FundingSource
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.objective import Comparator
from egovplan.period import Period, Quarter
from egovplan.plan import Plan
from egovplan.serialization import (
    MODEL_CLASSES,
    configure_converter,
    converter,
    from_dict,
    to_dict,
)


@attrs.frozen
class Owner:
    """A class of the user's own, with a hook of the user's own."""

    name: str


@attrs.frozen
class Project:
    """The user's own class, embedding egovplan models and values."""

    name: str
    source: FundingSource
    budget: Money
    period: Period
    created: dt.datetime
    score: Decimal
    owner: Owner
    plan: Plan | None = None
    quarters: tuple[Quarter, ...] = ()
    category: BudgetCategory | None = None
    comparator: Comparator = Comparator.GE
    names: Labels = attrs.field(factory=lambda: Labels(en="A project"))
    note: str = ""


SOURCE = FundingSource(
    id="central",
    kind="central_support",
    names=Labels(vi="Ngân sách Trung ương", en="Central budget"),
    amount=Money("320000000000", "VND"),
)
PROJECT = Project(
    name="Portal",
    source=SOURCE,
    budget=Money("1250000.50", "EUR"),
    period=Period.years(2021, 2025),
    created=dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone(dt.timedelta(hours=7))),
    score=Decimal("84.10"),
    owner=Owner("Acme"),
    quarters=(Quarter(2018, 2),),
    category=BudgetCategory.INVESTMENT,
)


def users_converter() -> cattrs.Converter:
    """A converter with the user's own policies, none of them egovplan's."""
    conv = cattrs.Converter()
    conv.register_unstructure_hook(Decimal, lambda number: f"D:{number}")
    conv.register_structure_hook(Decimal, lambda text, _: Decimal(text.removeprefix("D:")))
    conv.register_unstructure_hook(dt.datetime, lambda moment: moment.timestamp())
    conv.register_structure_hook(
        dt.datetime, lambda stamp, _: dt.datetime.fromtimestamp(stamp, dt.UTC)
    )
    conv.register_unstructure_hook(Owner, lambda owner: f"owner:{owner.name}")
    conv.register_structure_hook(Owner, lambda text, _: Owner(text.removeprefix("owner:")))
    return conv


def test_egovplan_types_unstructure_as_to_dict_writes_them() -> None:
    conv = users_converter()
    configure_converter(conv)
    data = conv.unstructure(PROJECT)
    assert data["source"] == to_dict(SOURCE)
    assert data["budget"] == "1250000.50 EUR"
    assert data["period"] == "2021-2025"
    assert data["quarters"] == ["Q2 2018"]
    assert data["category"] == "investment"
    assert data["comparator"] == ">="
    assert data["names"] == {"en": "A project"}


def test_the_users_policies_are_untouched() -> None:
    conv = users_converter()
    before = conv.unstructure(Owner("Acme")), conv.unstructure(Decimal("1.50"))
    configure_converter(conv)
    data = conv.unstructure(PROJECT)
    # The user's own hooks for Decimal, datetime and their own class still apply...
    assert data["score"] == "D:84.10"
    assert data["created"] == PROJECT.created.timestamp()
    assert data["owner"] == "owner:Acme"
    assert (conv.unstructure(Owner("Acme")), conv.unstructure(Decimal("1.50"))) == before
    # ... and the user's class keeps cattrs' layout: defaults are written, not left out
    # as egovplan leaves them out of its own models.
    assert data["note"] == ""
    assert data["plan"] is None
    assert list(data) == [field.name for field in attrs.fields(Project)]


def test_embedded_models_round_trip() -> None:
    conv = users_converter()
    configure_converter(conv)
    back = conv.structure(conv.unstructure(PROJECT), Project)
    assert back == PROJECT
    assert back.created == PROJECT.created


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(testing.plans(max_lines=3))
def test_a_whole_plan_round_trips_inside_the_users_class(plan: Plan) -> None:
    conv = users_converter()
    configure_converter(conv)
    project = attrs.evolve(PROJECT, plan=plan)
    data = conv.unstructure(project)
    assert data["plan"] == to_dict(plan)
    assert conv.structure(data, Project) == project


def test_a_bad_egovplan_value_is_reported_where_it_is() -> None:
    conv = users_converter()
    configure_converter(conv)
    data = conv.unstructure(PROJECT)
    data["source"] = {**data["source"], "amount": 1.5}
    with pytest.raises(cattrs.ClassValidationError) as caught:
        conv.structure(data, Project)
    [(error, note)] = caught.value.group_exceptions()[0]
    assert note.name == "source"
    assert isinstance(error, LoadError)
    assert "amount" in str(error)
    assert "floating-point" in str(error)


def test_configure_converter_registers_egovplan_types_only() -> None:
    # Every model class is handled; a type that is not egovplan's is not.
    conv = cattrs.Converter()
    plain = {t: conv.get_unstructure_hook(t) for t in (str, int, Decimal, dt.date)}
    owner = conv.unstructure(Owner("Acme"))
    configure_converter(conv)
    for cls in MODEL_CLASSES:
        assert conv.get_unstructure_hook(cls) is to_dict
    assert {t: conv.get_unstructure_hook(t) for t in plain} == plain
    assert conv.get_unstructure_hook(Owner) is not to_dict
    assert conv.unstructure(Owner("Acme")) == owner == {"name": "Acme"}


@attrs.frozen
class Stamped:
    when: dt.datetime
    day: dt.date


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2024, 5, 6, 7, 8, 9),
        dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=dt.UTC),
        dt.datetime(2024, 5, 6, tzinfo=dt.timezone(dt.timedelta(hours=7))),
    ],
)
def test_datetimes_keep_their_time(moment: dt.datetime) -> None:
    # to_dict cut a datetime to its date, and from_dict refused the ISO text back.
    stamped = Stamped(when=moment, day=moment.date())
    data = to_dict(stamped)
    assert data == {"when": moment.isoformat(), "day": moment.date().isoformat()}
    assert from_dict(data, Stamped) == stamped
    assert from_dict({"when": moment, "day": moment.date()}, Stamped) == stamped  # TOML, say


def test_a_datetime_that_is_not_one_is_an_error() -> None:
    with pytest.raises(LoadError, match="when: expected a date and time such as"):
        from_dict({"when": "yesterday", "day": "2024-05-06"}, Stamped)
    with pytest.raises(LoadError, match="when: expected a date and time"):
        from_dict({"when": 1715000000, "day": "2024-05-06"}, Stamped)
    # A date field still wants a date without a time.
    with pytest.raises(LoadError, match="day: expected a date without a time"):
        from_dict({"when": "2024-05-06T07:08:09", "day": dt.datetime(2024, 5, 6)}, Stamped)
    assert converter().structure("2024-05-06T07:08:09", dt.datetime) == dt.datetime(
        2024, 5, 6, 7, 8, 9
    )


def test_a_preconf_converter_takes_egovplan_hooks_too() -> None:
    # cattrs' own JSON converter (its datetime and enum policies) with egovplan's types.
    from cattrs.preconf.json import make_converter

    conv = make_converter()
    conv.register_unstructure_hook(Decimal, str)  # the user's own policy for Decimal
    conv.register_structure_hook(Decimal, lambda text, _: Decimal(text))
    configure_converter(conv)
    text = conv.dumps(PROJECT)
    assert '"created": "2024-05-06T07:08:09+07:00"' in text  # cattrs' datetime policy
    assert '"budget": "1250000.50 EUR"' in text
    assert conv.loads(text, Project) == PROJECT
