"""Texts in several languages: plan title, objective text, target measure, task title.

Each is ``str`` (in the document's language) or :class:`~egovplan.labels.Labels`; a plain
string in a file stays valid. Both forms round-trip through every format, and every
reader (show, breakdown labels, rule messages) picks the language asked for.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovplan import files, testing
from egovplan.breakdowns import Dimension, breakdown, plan_tables
from egovplan.cli import render_plan
from egovplan.document import PlanMetadata
from egovplan.errors import FieldTypeError, FieldValueError, LoadError
from egovplan.files import FORMATS, dumps, loads
from egovplan.funding import BudgetLine, Funding, FundingSource
from egovplan.labels import Labels, localized
from egovplan.money import Money
from egovplan.objective import Objective, Target
from egovplan.period import Period
from egovplan.plan import Plan
from egovplan.serialization import to_dict
from egovplan.task import Task
from egovplan.validation import format_value

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_words = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
).filter(str.strip)
_labels = st.dictionaries(st.sampled_from(["vi", "en", "it", "fr"]), _words, min_size=1).map(Labels)
texts: st.SearchStrategy[str | Labels] = st.one_of(_words, _labels)


def _with_texts(plan: Plan, draw: Any) -> Plan:
    def objective(o: Objective) -> Objective:
        return attrs.evolve(
            o,
            text=draw(texts),
            targets=tuple(attrs.evolve(t, measure=draw(texts)) for t in o.targets),
            children=tuple(objective(c) for c in o.children),
        )

    return attrs.evolve(
        plan,
        metadata=attrs.evolve(plan.metadata, title=draw(texts)),
        objectives=tuple(objective(o) for o in plan.objectives),
        tasks=tuple(attrs.evolve(t, title=draw(texts)) for t in plan.tasks),
    )


@st.composite
def plans_with_texts(draw: Any) -> Plan:
    plan = draw(testing.plans(max_agencies=2, max_tasks=3, max_objectives=2))
    return _with_texts(plan, draw)


@SETTINGS
@given(plans_with_texts(), st.sampled_from(FORMATS))
def test_texts_in_several_languages_round_trip(plan: Plan, format: str) -> None:
    text = dumps(plan, format)
    if format == "json":  # the fast record writer lays the text out as the generic one
        assert text == files._dump_json(to_dict(plan))
    again = loads(text, format)
    assert again == plan
    assert dumps(again, format) == text


@SETTINGS
@given(texts, st.sampled_from(["vi", "en", "it", "de"]))
def test_localized_picks_the_language_or_falls_back(text: str | Labels, locale: str) -> None:
    shown = localized(text, locale)
    if isinstance(text, str):
        assert shown == text
    else:
        assert shown == text.get(locale)
        assert shown in text.values()


BILINGUAL = """\
format_version: 2
id: p
metadata:
  kind: plan
  title: {vi: Kế hoạch chuyển đổi số, en: Digital transformation plan}
period: 2024
agencies:
- {id: a, names: {vi: Sở A, en: Department A}}
objectives:
- id: o
  text: {vi: Chính quyền số, en: Digital government}
  targets:
  - id: t
    measure: {vi: dịch vụ công trực tuyến, en: online public services}
    value: 80
    unit: percent
tasks:
- id: k
  title: {vi: Xây dựng trung tâm dữ liệu, en: Build the data centre}
  assignments: [{agency: a, role: lead}]
funding:
  sources:
  - {id: s, kind: recurrent, names: {vi: Ngân sách tỉnh}, amount: 100 VND}
  lines:
  - {id: l, source: s, task: k, objective: o, amount: 100 VND}
"""


def test_a_plain_string_stays_valid_and_a_mapping_is_labels() -> None:
    plan = loads(
        BILINGUAL.replace(
            "{vi: Xây dựng trung tâm dữ liệu, en: Build the data centre}", "Xây dựng"
        ),
        "yaml",
    )
    assert plan.tasks[0].title == "Xây dựng"
    assert plan.metadata.title == Labels(
        vi="Kế hoạch chuyển đổi số", en="Digital transformation plan"
    )


@pytest.mark.parametrize(
    ("locale", "expected", "absent"),
    [
        (
            "en",
            [
                "Digital transformation plan",
                "Digital government",
                "online public services",
                "Build the data centre",
            ],
            "Chính quyền số",
        ),
        (
            "vi",
            [
                "Kế hoạch chuyển đổi số",
                "Chính quyền số",
                "dịch vụ công trực tuyến",
                "Xây dựng trung tâm dữ liệu",
            ],
            "Digital government",
        ),
    ],
)
def test_show_prints_the_texts_in_its_language(
    locale: str, expected: list[str], absent: str
) -> None:
    shown = render_plan(loads(BILINGUAL, "yaml"), locale=locale)
    for text in expected:
        assert text in shown
    assert absent not in shown
    assert " / " not in shown


def test_breakdown_labels_and_plan_tables_pick_the_language() -> None:
    plan = loads(BILINGUAL, "yaml")
    by_task = breakdown(plan, Dimension.TASK, locale="en")
    assert "Build the data centre" in by_task.to_text(locale="en")
    assert "Xây dựng trung tâm dữ liệu" in breakdown(plan, Dimension.TASK, locale="vi").to_text(
        locale="vi"
    )
    by_objective = breakdown(plan, Dimension.OBJECTIVE, locale="en")
    assert "Digital government" in by_objective.to_text(locale="en")
    facts = plan_tables(plan, locale="en")[0].to_text()
    assert "Digital transformation plan" in facts
    assert "Kế hoạch chuyển đổi số" in plan_tables(plan, locale="vi")[0].to_text()


def test_rule_messages_show_labels_in_their_locale() -> None:
    labels = Labels(vi="tỷ lệ", en="share")
    assert format_value(labels, "en") == "share"
    assert format_value(labels, "vi") == "tỷ lệ"


def test_constructors_take_str_or_labels_only() -> None:
    with pytest.raises(FieldTypeError, match=r"Task\.title"):
        Task(id="t", title=5)  # type: ignore[arg-type]
    with pytest.raises(FieldTypeError, match=r"Target\.measure"):
        Target(id="t", measure=["a"])  # type: ignore[arg-type]
    with pytest.raises(FieldValueError, match=r"PlanMetadata\.title"):
        PlanMetadata(kind="plan", title=Labels())
    assert Objective(id="o", text=Labels(en="x")).text == {"en": "x"}


def test_a_number_where_text_belongs_is_refused_with_a_hint() -> None:
    with pytest.raises(LoadError, match=r"tasks\[0\]\.title.*mapping of language to text"):
        loads(
            BILINGUAL.replace("{vi: Xây dựng trung tâm dữ liệu, en: Build the data centre}", "5"),
            "yaml",
        )


def test_funding_sources_are_unaffected() -> None:  # a guard: Labels names stay mappings
    plan = Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title=Labels(vi="KH", en="Plan")),
        period=Period.year(2024),
        funding=Funding(
            sources=(
                FundingSource(
                    id="s", kind="recurrent", names=Labels(vi="NS"), amount=Money(1, "VND")
                ),
            ),
            lines=(BudgetLine(id="l", source="s", amount=Money(1, "VND")),),
        ),
    )
    for format in FORMATS:
        assert loads(dumps(plan, format), format) == plan
