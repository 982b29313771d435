"""What the Hậu Giang (seed 000) and Bắc Kạn (seed 002) example plans say, fact by fact.

tests/test_examples.py checks every example generically (schema, canonical layout,
recorded findings); these tests pin the facts of the two documents that a newcomer would
look up: numbers, periods, legal bases, per-level targets, staffing breakdowns, the 1 %
rule, reporting cadences, and the gaps validation reports.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.files import load
from egovplan.funding import BudgetCategory
from egovplan.objective import Comparator
from egovplan.period import Period
from egovplan.plan import Plan
from egovplan.recurrence import Recurrence
from egovplan.when import When

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def hau_giang() -> Plan:
    return load(EXAMPLES / "hau-giang-2016-2020.yaml")


@pytest.fixture(scope="module")
def bac_kan() -> Plan:
    return load(EXAMPLES / "bac-kan-2011-2015.yaml")


#: The roles that lead a task: "chủ trì", A in "A phối hợp với B thực hiện", "chủ trì hoặc
#: phối hợp".
LEADING = ("lead", "implement", "lead_or_coordinate")


def without_lead(plan: Plan) -> list[str]:
    return [task.id for task in plan.tasks if not any(map(task.agencies, LEADING))]


def with_several_leads(plan: Plan) -> list[str]:
    """Tasks with several ``lead`` agencies that are not groups (collective agencies)."""
    collective = {agency.id for agency in plan.agencies if agency.collective}
    return [
        task.id
        for task in plan.tasks
        if len([a for a in task.lead if a.agency not in collective]) > 1
    ]


def flagged(plan: Plan, code: str) -> list[str]:
    """The ids of the tasks an issue with ``code`` points at."""
    paths = [issue.path for issue in plan.validate().issues if issue.code == code]
    return [plan.tasks[int(path.split("[")[1].split("]")[0])].id for path in paths]


# --- Hậu Giang (seed 000) -----------------------------------------------------------------


def test_hau_giang_document(hau_giang: Plan) -> None:
    meta = hau_giang.metadata
    assert (meta.kind, meta.ref, meta.date, meta.signatory) == ("plan", None, None, None)
    assert meta.title.startswith("Kế hoạch triển khai Chương trình hành động số 246-CTr/TU")
    assert hau_giang.period == Period.years(2016, 2020)
    assert hau_giang.horizon is None
    assert [str(ref) for ref in hau_giang.implements] == ["246-CTr/TU"]
    assert hau_giang.implements[0].date == dt.date(2014, 10, 17)
    assert "36-NQ/TW" in (hau_giang.implements[0].title or "")


def test_hau_giang_legal_bases(hau_giang: Plan) -> None:
    bases = hau_giang.legal_bases
    assert [ref.title for ref in bases if ref.kind == "law"] == [
        "Luật Công nghệ thông tin",
        "Luật Giao dịch điện tử",
    ]
    assert [str(ref) for ref in bases if ref.number] == [
        "36-NQ/TW",
        "26/NQ-CP",
        "64/2007/NĐ-CP",
        "698/QĐ-TTg",
        "1755/QĐ-TTg",
        "246-CTr/TU",
        "972/QĐ-UBND",
    ]
    assert {ref.date for ref in bases} >= {dt.date(2014, 7, 1), dt.date(2011, 6, 16)}


def test_hau_giang_staffing_targets(hau_giang: Plan) -> None:
    staff = hau_giang.target("cio-and-network-staff")
    assert (staff.value, staff.unit, staff.comparator) == (100, "people", Comparator.EQ)
    assert [(part.label, part.value) for part in staff.parts] == [
        ("CIO", 35),
        ("cán bộ chuyên trách", 65),
    ]
    assert staff.parts_total == staff.value
    for team in ("security-team", "software-team"):
        target = hau_giang.target(team)
        assert (target.value, target.unit, target.parts) == (20, "people", ())
    assert hau_giang.task("iv-4-b").objectives == ("iv-4-b-staffing",)


def test_hau_giang_schedules(hau_giang: Plan) -> None:
    schedule = hau_giang.task("vi-1-c").schedule
    assert schedule is not None
    assert schedule.deadline == When(2016, month=1, day=1, by=True)  # "trước ngày"
    assert schedule.deadline.first_day == dt.date(2016, 1, 1)
    assert schedule.text == "trước ngày 01 tháng 01 năm 2016"
    in_2016 = hau_giang.task("v-2-b-1").schedule
    assert in_2016 is not None
    assert in_2016.period == Period.year(2016)
    quarterly = hau_giang.task("vi-7-dd").schedule  # "Định kỳ hàng quý": recurs, not continual
    assert quarterly is not None
    assert (quarterly.recurrence, quarterly.regular) == (Recurrence(unit="quarter"), False)
    continual = hau_giang.task("vi-7-d").schedule  # "Thường xuyên"
    assert continual is not None
    assert (continual.recurrence, continual.regular) == (None, True)


def test_hau_giang_roles(hau_giang: Plan) -> None:
    assert [a.agency for a in hau_giang.task("vi-1-a").lead] == ["vp-ubnd"]
    assert hau_giang.task("vi-1-a").agencies("coordinate") == ("departments", "district-committees")
    assert hau_giang.task("vi-5-a").agencies("coordinate") == (
        "vp-ubnd",
        "stttt",
        "don-vi-lien-quan",
    )
    # "Phối hợp với ..." under an agency's heading: the heading agency does it, the others
    # support ("A phối hợp với B thực hiện").
    assert hau_giang.task("vi-1-c").agencies("implement") == ("vp-ubnd",)
    assert hau_giang.task("vi-1-c").agencies("coordinate") == ("stttt", "snv")
    assert not hau_giang.task("vi-1-c").lead
    # VI.7 is addressed to two groups whose members each act for themselves.
    assert [a.agency for a in hau_giang.task("vi-7-a").lead] == [
        "departments",
        "district-committees",
    ]
    assert hau_giang.agency("departments").collective
    assert not hau_giang.agency("stttt").collective


def test_hau_giang_reporting(hau_giang: Plan) -> None:
    # VI.7.đ: one duty of two groups of reporters, through the Office and the Department
    # (which compile), to the committee, its chair and the steering committee's head.
    quarterly, difficulties = hau_giang.reporting
    units = ("departments", "district-committees")
    assert quarterly.all_reporters == difficulties.all_reporters == units
    assert quarterly.via == ("vp-ubnd", "stttt")
    assert quarterly.all_recipients == ("ubnd", "chu-tich", "truong-bcd")
    assert quarterly.all_cadences == ("quarterly",)
    assert quarterly.subject == "kết quả thực hiện Kế hoạch này"
    assert (difficulties.via, difficulties.all_recipients) == (("stttt",), ("ubnd",))
    assert difficulties.all_cadences == ("ad_hoc",)
    # The chair and the head are office holders, beside the bodies they head.
    for holder, body in (("chu-tich", "ubnd"), ("truong-bcd", "bcd")):
        assert hau_giang.agency(holder).kind == "office_holder"
        assert hau_giang.agency(holder).parent == body


def test_hau_giang_states_no_amounts(hau_giang: Plan) -> None:
    funding = hau_giang.funding
    assert (funding.total, funding.lines, funding.rules) == (None, (), ())
    # V.2.c names three kinds of source, none with an amount.
    assert [(s.id, s.kind, s.amount) for s in funding.sources] == [
        ("state-budget", "state_budget", None),
        ("socialisation", "socialisation", None),
        ("other", "other", None),
    ]
    assert funding.unstated == funding.sources
    finance = [s for s in hau_giang.sections if s.title == "V.2.c) Về tài chính"]
    assert len(finance) == 1
    for words in ("Vốn ngân sách nhà nước", "Xã hội hóa", "Các nguồn vốn khác"):
        assert words in finance[0].text


def test_hau_giang_findings(hau_giang: Plan) -> None:
    report = hau_giang.validate()
    # IV and V name no agency at all; VI names one for every item.
    assert Counter(issue.code for issue in report.issues) == {"EGP401": 40}
    assert flagged(hau_giang, "EGP401") == without_lead(hau_giang)
    assert flagged(hau_giang, "EGP402") == with_several_leads(hau_giang) == []
    assert all(t.startswith(("iv-", "v-")) for t in without_lead(hau_giang))
    assert all(not hau_giang.task(t).assignments for t in without_lead(hau_giang))


# --- Bắc Kạn (seed 002) -------------------------------------------------------------------


def test_bac_kan_document(bac_kan: Plan) -> None:
    # Two linked documents: the programme, issued with decision 886/QĐ-UBND.
    meta = bac_kan.metadata
    assert meta.ref is None
    assert (meta.kind, meta.date) == ("action_programme", dt.date(2012, 6, 11))
    assert isinstance(meta.title, str)
    assert meta.title.startswith("Chương trình hành động thực hiện Nghị quyết số: 12-NQ/TU")
    assert meta.issuing_body == "Ủy ban nhân dân tỉnh Bắc Kạn"
    decision = meta.issued_with
    assert decision is not None
    assert (str(decision), decision.date) == ("886/QĐ-UBND", dt.date(2012, 6, 11))
    assert (decision.title or "").startswith("ban hành Chương trình hành động")
    submission = meta.submission
    assert submission is not None
    assert (str(submission), submission.date) == ("125/TTr-BCĐCNTT", dt.date(2012, 5, 17))
    assert submission.issuing_body == "Ban Chỉ đạo Công nghệ thông tin tỉnh"
    assert [(str(c.document), c.task) for c in bac_kan.citations] == [("2011/QĐ-UBND", "ii-1-1-1")]
    assert bac_kan.period == Period.years(2011, 2015)
    assert bac_kan.horizon == 2020
    assert [str(ref) for ref in bac_kan.implements] == ["12-NQ/TU"]
    assert bac_kan.implements[0].date == dt.date(2011, 7, 21)


def test_bac_kan_legal_bases(bac_kan: Plan) -> None:
    bases = bac_kan.legal_bases
    assert [ref.title for ref in bases if ref.kind == "law"] == [
        "Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân",
        "Luật Công nghệ thông tin",
        "Luật Giao dịch điện tử",
    ]
    assert [str(ref) for ref in bases if ref.number] == [
        "64/2007/NĐ-CP",
        "698/QĐ-TTg",
        "1605/QĐ-TTg",
        "1755/QĐ-TTg",
        "2619/QĐ-UBND",
        "129/KH-UBND",
    ]


PER_LEVEL = {
    "it-managers": (Comparator.EQ, {"province": 80, "district": 80}),
    "networks": (Comparator.EQ, {"province": 100, "district": 100}),
    "commune-dedicated-network": (Comparator.EQ, {"commune": 60}),
    "basic-it-literacy": (Comparator.EQ, {"province": 100, "district": 100, "commune": 60}),
    "email": (Comparator.EQ, {"province": 100, "district": 100, "commune": 60}),
    "sector-databases": (Comparator.GT, {"province": 60}),
    "document-software": (Comparator.EQ, {"province": 90, "district": 90, "commune": 20}),
    "documents-online": (Comparator.GT, {"province": 90, "district": 70, "commune": 20}),
    "dedicated-it-staff": (Comparator.GE, {"province": 1, "district": 2}),
}


@pytest.mark.parametrize("target_id", PER_LEVEL)
def test_bac_kan_per_level_targets(bac_kan: Plan, target_id: str) -> None:
    comparator, values = PER_LEVEL[target_id]
    target = bac_kan.target(target_id)
    assert target.is_per_level
    assert target.value is None
    assert {target.comparator_at(entry) for entry in target.by_level} == {comparator}
    assert dict(target.level_values) == values
    assert target.deadline == When(2015)
    assert set(values) <= {level.id for level in bac_kan.levels}


def test_bac_kan_staffing_minimum_is_per_unit(bac_kan: Plan) -> None:
    staff = bac_kan.target("dedicated-it-staff")
    assert staff.unit == "people"
    assert staff.met_by(1, "province") is True
    assert staff.met_by(1, "district") is False
    assert staff.met_by(2, "commune") is None
    assert bac_kan.task("ii-3-1").targets == (staff,)
    assert bac_kan.index.target_paths["dedicated-it-staff"] == "tasks[16].targets[0]"
    assert [entry.counts for entry in staff.by_level] == ["departments", "districts"]


@settings(max_examples=50, deadline=None)
@given(actual=st.decimals(min_value=0, max_value=100, places=1))
def test_bac_kan_per_level_targets_compare_at_each_level(bac_kan: Plan, actual: Decimal) -> None:
    for target_id, (comparator, values) in PER_LEVEL.items():
        target = bac_kan.target(target_id)
        for level in ("province", "district", "commune"):
            expected = None if level not in values else comparator.holds(actual, values[level])
            assert target.met_by(actual, level) is expected, (target_id, level)


def test_bac_kan_ict_spending_rule(bac_kan: Plan) -> None:
    funding = bac_kan.funding
    rule, own = funding.rules
    assert (rule.id, rule.percent, rule.comparator) == ("ict-1pct", 1, Comparator.EQ)
    assert (rule.base, rule.amount, rule.required) == (None, None, None)
    assert (rule.base_kind, rule.levels, rule.cadence) == (
        "provincial_budget_spending",
        ("province",),
        "yearly",
    )
    assert "1% nguồn chi ngân sách của tỉnh" in rule.description
    # II.6.3: each department and district, from its own recurrent budget, every year
    assert (own.percent, own.agencies) == (None, ("departments", "district-committees"))
    assert (own.category, own.cadence) == (BudgetCategory.RECURRENT, "yearly")
    assert (funding.total, funding.sources, funding.lines) == (None, (), ())


def test_bac_kan_reporting(bac_kan: Plan) -> None:
    def cadences(reporter: str, recipient: str) -> set[str]:
        return {
            d.cadence
            for d in bac_kan.reporting
            if (d.reporter, d.recipient) == (reporter, recipient)
        }

    every = {"quarterly", "six_monthly", "yearly"}
    for recipient in ("ubnd", "chu-tich", "bcd"):
        assert cadences("stttt", recipient) == every
    for unit in ("departments", "district-committees"):
        assert cadences(unit, "ubnd") == every | {"ad_hoc"}
        assert cadences(unit, "bo-tttt") == {"yearly"}
    assert cadences("bcd", "ubnd") == {"six_monthly", "yearly"}
    assert len({d.id for d in bac_kan.reporting}) == len(bac_kan.reporting) == 23


def test_bac_kan_findings(bac_kan: Plan) -> None:
    report = bac_kan.validate()
    assert Counter(issue.code for issue in report.issues) == {"EGP401": 5, "EGP402": 1}
    assert flagged(bac_kan, "EGP401") == without_lead(bac_kan)
    assert flagged(bac_kan, "EGP402") == with_several_leads(bac_kan) == ["ii-6-1"]
    assert [a.agency for a in bac_kan.task("ii-6-1").lead] == ["skhdt", "ict-unit"]
    assert without_lead(bac_kan) == [*(f"ii-5-priority-{n}" for n in range(1, 5)), "ii-5-4-2"]
    # "Phối hợp cùng Sở Nội vụ và Sở Tài chính: …" under the Department of ICT's heading.
    assert bac_kan.task("ii-2-1-4").agencies("implement") == ("stttt",)
    assert bac_kan.task("ii-2-1-4").agencies("coordinate") == ("snv", "stc")
    # Headings addressed to the departments and the districts: groups, not joint leads.
    assert [a.agency for a in bac_kan.task("iii-1").lead] == ["departments", "district-committees"]


def test_bac_kan_schedules_hold_their_recurrence_and_deadline_as_data(bac_kan: Plan) -> None:
    schedules = {task.id: task.schedule for task in bac_kan.tasks if task.schedule}
    recurrences = {
        key: schedule.recurrence
        for key, schedule in schedules.items()
        if schedule.recurrence is not None
    }
    assert recurrences == {
        "ii-3-2-2": Recurrence(unit="year"),
        "ii-5-4-3": Recurrence(unit="year"),
        "ii-6-1": Recurrence(unit="year"),
        "ii-6-3-1": Recurrence(unit="year"),
        "iii-2": Recurrence(interval=6, unit="month"),  # "6 tháng và hằng năm"
        "iii-3-1": Recurrence(unit="quarter"),  # "định kỳ hằng quý, sáu tháng và hằng năm"
        "iii-3-2": Recurrence(unit="year"),
    }
    # what each says in words, the recurrence reads back
    for key, recurrence in recurrences.items():
        text = schedules[key].text
        assert text is not None
        if "và" not in text:
            assert Recurrence.parse(text) == recurrence, key
    by_2015 = [key for key, schedule in schedules.items() if schedule.deadline is not None]
    assert by_2015
    for key in by_2015:
        assert schedules[key].deadline == When(2015, by=True)
        assert schedules[key].text == "Đến năm 2015"
    # "định kỳ" names no interval: it stays regular
    assert [s.text for s in schedules.values() if s.regular] == ["định kỳ"]
