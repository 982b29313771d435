"""One policy for enum fields: a member or its value is accepted, on every class.

The fields are found, not listed: every public attrs class of every egovplan module, every
field whose type is an enum (or an optional one).
"""

from __future__ import annotations

import enum
import importlib
import pkgutil
import types
import typing
from typing import Any

import attrs
import pytest

import egovplan
from egovplan.breakdowns import Disbursement
from egovplan.funding import BudgetCategory, BudgetLine
from egovplan.money import Money
from egovplan.objective import Comparator, Objective, ObjectiveKind, Target
from egovplan.tables import Column, ColumnKind
from egovplan.validation import Issue, Rule, Severity


def _field_type(cls: type, field: attrs.Attribute[Any], module: types.ModuleType) -> Any:
    try:
        return typing.get_type_hints(cls)[field.name]
    except NameError:  # a hint names a type imported for type checking only
        if not isinstance(field.type, str):
            return field.type
        try:
            return eval(field.type, vars(module))
        except NameError:
            return None


def _enum_of(type_: Any) -> tuple[type[enum.Enum], bool] | None:
    """The enum of a field's type, and whether the field is optional."""
    if isinstance(type_, type) and issubclass(type_, enum.Enum):
        return type_, False
    args = typing.get_args(type_)
    if typing.get_origin(type_) in (typing.Union, types.UnionType) and type(None) in args:
        others = [arg for arg in args if arg is not type(None)]
        if len(others) == 1 and isinstance(others[0], type) and issubclass(others[0], enum.Enum):
            return others[0], True
    return None


def _enum_fields() -> list[tuple[type, attrs.Attribute[Any], type[enum.Enum], bool]]:
    found = []
    for info in pkgutil.iter_modules(egovplan.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"egovplan.{info.name}")
        for name, cls in sorted(vars(module).items()):
            if name.startswith("_") or not isinstance(cls, type) or not attrs.has(cls):
                continue
            if cls.__module__ != module.__name__:
                continue
            for field in attrs.fields(cls):
                if not field.init:
                    continue
                enum_of = _enum_of(_field_type(cls, field, module))
                if enum_of is not None:
                    found.append((cls, field, *enum_of))
    return found


ENUM_FIELDS = _enum_fields()


def test_the_enum_fields_are_found() -> None:
    names = {f"{cls.__name__}.{field.name}" for cls, field, _, _ in ENUM_FIELDS}
    expected = {
        "BudgetLine.category",
        "FundingSource.category",
        "Target.comparator",
        "Objective.kind",
        "Rule.severity",
        "Issue.severity",
        "Column.kind",
        "Attainment.status",
        "Breakdown.by",
    }
    assert expected <= names


@pytest.mark.parametrize(
    ("cls", "field", "enum_type", "optional"),
    ENUM_FIELDS,
    ids=[f"{cls.__name__}.{field.name}" for cls, field, _, _ in ENUM_FIELDS],
)
def test_every_enum_field_accepts_members_and_their_values(
    cls: type, field: attrs.Attribute[Any], enum_type: type[enum.Enum], optional: bool
) -> None:
    convert = field.converter
    assert callable(convert), f"{cls.__name__}.{field.name} has no converter"
    for member in enum_type:
        assert convert(member) is member
        assert convert(member.value) is member
    if optional:
        assert convert(None) is None


def test_a_comparator_is_accepted_by_its_code_too() -> None:
    for member in Comparator:
        upper = 2 if member is Comparator.BETWEEN else None
        target = Target(id="t", measure="m", comparator=member.code, value=1, upper=upper)
        assert target.comparator is member
    assert Comparator("ge") is Comparator.GE
    target = Target(id="t", measure="m", comparator="ge", value=90, unit="percent")
    assert target.comparator is Comparator.GE
    assert target == Target(id="t", measure="m", comparator=Comparator.GE, value=90, unit="percent")


def test_values_build_the_same_objects_as_members() -> None:
    money = Money(5, "VND")
    assert BudgetLine(id="l", source="s", amount=money, category="investment") == BudgetLine(
        id="l", source="s", amount=money, category=BudgetCategory.INVESTMENT
    )
    assert Objective(id="o", kind="general").kind is ObjectiveKind.GENERAL
    assert Disbursement(source="s", amount=money, category="recurrent").category is (
        BudgetCategory.RECURRENT
    )
    assert Issue(code="X1", severity="warning", path="", message="m").severity is Severity.WARNING
    rule = Rule(
        code="ACME001",
        severity="error",
        check=lambda plan, context: (),
        texts={"en": {"title": "T", "message": "m"}},
    )
    assert rule.severity is Severity.ERROR
    assert Column(key="a", label="A", kind="money").kind is ColumnKind.MONEY


@pytest.mark.parametrize(
    "build",
    [
        lambda: BudgetLine(id="l", source="s", amount=Money(5, "VND"), category="capital"),
        lambda: Objective(id="o", kind="goal"),
        lambda: Target(id="t", measure="m", comparator="≥"),
        lambda: Disbursement(source="s", amount=Money(5, "VND"), category="capital"),
    ],
)
def test_a_value_of_no_member_is_refused_naming_the_field(build: Any) -> None:
    with pytest.raises(ValueError, match=r"^\w+\.\w+ must be one of '"):
        build()
