"""The plan: lookups by id, the cached index, validation, and the seed-003 funding."""

import pickle
from decimal import Decimal

import attrs
import pytest

from egovplan.agency import Agency
from egovplan.catalog import Catalogues
from egovplan.document import DocumentRef, PlanMetadata
from egovplan.errors import UnknownReferenceError
from egovplan.funding import BudgetLine, Funding, FundingSource, SpendingRule
from egovplan.indicator import Indicator, Observation
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.objective import Comparator, Objective, ObjectiveKind, Target
from egovplan.period import Period
from egovplan.plan import Plan, Section
from egovplan.reporting import ReportingDuty
from egovplan.task import Assignment, Task

VND = "VND"


def _source(id: str, kind: str, billions: int, words: str) -> FundingSource:
    return FundingSource(
        id=id,
        kind=kind,
        names=Labels(vi=id),
        amount=Money(billions * 10**9, VND),
        amount_in_words=words,
    )


def quang_nam() -> Plan:
    """Seed 003: the Quảng Nam digital-government scheme 2021-2025 (in part)."""
    dossiers = Target(
        id="dossiers-2025",
        measure="hồ sơ công việc được xử lý trên môi trường mạng",
        comparator=Comparator.GE,
        by_level=(("province", 100), ("district", 80), ("commune", 60)),
        unit="percent",
        deadline=2025,
    )
    dossiers_2030 = attrs.evolve(
        dossiers,
        id="dossiers-2030",
        by_level=(("province", Decimal(100)), ("district", Decimal(90)), ("commune", Decimal(70))),
        deadline=2030,
    )
    return Plan(
        id="quang-nam-2021-2025",
        metadata=PlanMetadata(
            kind="decision",
            title="Phê duyệt Đề án phát triển ứng dụng CNTT, xây dựng chính quyền số",
        ),
        period=Period.years(2021, 2025),
        horizon=2030,
        legal_bases=(DocumentRef.parse("749/QĐ-TTg"),),
        levels=Catalogues.default().level_set("vn-2008"),
        agencies=(
            Agency(
                id="ubnd",
                names=Labels(vi="UBND tỉnh Quảng Nam"),
                kind="people_committee",
                level="province",
            ),
            Agency(
                id="stttt",
                names=Labels(vi="Sở Thông tin và Truyền thông"),
                kind="department",
                level="province",
                parent="ubnd",
            ),
            Agency(
                id="snv",
                names=Labels(vi="Sở Nội vụ"),
                kind="department",
                level="province",
                parent="ubnd",
            ),
        ),
        objectives=(
            Objective(id="general", kind=ObjectiveKind.GENERAL, text="Xây dựng chính quyền số"),
            Objective(
                id="specific",
                kind=ObjectiveKind.SPECIFIC,
                text="Mục tiêu cụ thể",
                targets=(dossiers,),
                children=(
                    Objective(
                        id="orientation-2030",
                        kind=ObjectiveKind.ORIENTATION,
                        targets=(dossiers_2030,),
                    ),
                ),
            ),
        ),
        tasks=(
            Task(
                id="training",
                title="Đào tạo, tập huấn cán bộ",
                objectives=("specific",),
                assignments=(
                    Assignment(agency="snv", role="lead"),
                    Assignment(agency="stttt", role="coordinate"),
                ),
            ),
        ),
        funding=Funding(
            total=Money(901 * 10**9, VND),
            total_in_words="chín trăm lẻ một tỷ đồng",
            sources=(
                _source("provincial", "provincial_investment", 200, "Hai trăm tỷ đồng"),
                # The seed writes 150 billion in digits but "one hundred billion" in words.
                _source("recurrent", "recurrent", 150, "Một trăm tỷ đồng"),
                _source("local", "local_budget", 81, "Tám mươi mốt tỷ đồng"),
                _source("central", "central_support", 320, "Ba trăm hai mươi tỷ đồng"),
                _source("science", "science_project", 20, "Hai mươi tỷ đồng"),
                _source("grants", "grant", 30, "Ba mươi tỷ đồng"),
                _source("private", "socialisation", 100, "Một trăm tỷ đồng"),
            ),
            lines=(
                BudgetLine(
                    id="l1",
                    source="central",
                    year=2021,
                    agency="stttt",
                    amount=Money(64 * 10**9, VND),
                ),
            ),
            rules=(
                SpendingRule(
                    id="one-percent",
                    description="1%",
                    percent=1,
                    base_kind="provincial_budget_spending",
                ),
            ),
        ),
        reporting=(
            ReportingDuty(id="quarterly", reporter="stttt", recipient="ubnd", cadence="quarterly"),
        ),
        indicators=(
            Indicator(
                id="ict-index", names=Labels(en="ICT-Index"), unit="rank", higher_is_better=False
            ),
        ),
        observations=(
            Observation(
                indicator="ict-index",
                subject="quang-nam",
                period=Period.year(2020),
                rank=20,
                ranked=63,
            ),
        ),
        sections=(Section(title="Giải pháp", text="Giải pháp về cơ chế, chính sách"),),
    )


def test_lookups_by_id_for_every_kind() -> None:
    plan = quang_nam()
    assert plan.agency("stttt").parent == "ubnd"
    assert plan.level("district").order == 2
    assert plan.objective("orientation-2030").kind is ObjectiveKind.ORIENTATION
    assert plan.target("dossiers-2030").level_values["commune"] == 70
    assert plan.task("training").lead[0].agency == "snv"
    assert plan.source("recurrent").amount == Money(150 * 10**9, VND)
    assert plan.budget_line("l1").year == 2021
    assert plan.spending_rule("one-percent").percent == 1
    assert plan.indicator("ict-index").higher_is_better is False
    assert plan.reporting_duty("quarterly").cadence == "quarterly"
    assert plan.index.objective_paths["orientation-2030"] == "objectives[1].children[0]"
    assert plan.index.target_paths["dossiers-2030"] == "objectives[1].children[0].targets[0]"


@pytest.mark.parametrize(
    ("method", "id", "match"),
    [
        (
            "agency",
            "sttt",
            r"plan 'quang-nam-2021-2025' has no agency 'sttt'; did you mean 'stttt'",
        ),
        ("task", "nothing-like-it", r"has no task 'nothing-like-it'$"),
        ("objective", "x", "has no objective 'x'"),
        ("target", "x", "has no target 'x'"),
        ("source", "centrl", "did you mean 'central'"),
        ("level", "ward", "has no level 'ward'"),
        ("indicator", "x", "has no indicator 'x'"),
        ("budget_line", "x", "has no budget line 'x'"),
        ("spending_rule", "x", "has no spending rule 'x'"),
        ("reporting_duty", "x", "has no reporting duty 'x'"),
    ],
)
def test_unknown_ids_raise_unknown_reference_error(method: str, id: str, match: str) -> None:
    plan = quang_nam()
    with pytest.raises(UnknownReferenceError, match=match) as caught:
        getattr(plan, method)(id)
    assert isinstance(caught.value, KeyError)


def test_index_is_built_once_and_not_part_of_identity() -> None:
    plan = quang_nam()
    assert plan.index is plan.index
    other = quang_nam()
    assert plan == other
    assert hash(plan) == hash(other)
    assert "_index" not in repr(plan)
    copy = pickle.loads(pickle.dumps(plan))
    assert copy == plan
    assert copy._index is None
    assert copy.agency("snv").names.get("vi") == "Sở Nội vụ"
    renamed = attrs.evolve(plan, agencies=(*plan.agencies, Agency(id="new", names=Labels(vi="N"))))
    assert renamed.agency("new").id == "new"
    with pytest.raises(UnknownReferenceError):
        plan.agency("new")


def test_duplicate_ids_keep_the_first_for_lookups() -> None:
    plan = quang_nam()
    first, second = Agency(id="dup", names=Labels(vi="1")), Agency(id="dup", names=Labels(vi="2"))
    doubled = attrs.evolve(plan, agencies=(first, second))
    assert doubled.agency("dup") is first


@pytest.mark.parametrize(
    ("field", "value", "error", "match"),
    [
        ("agencies", "stttt", TypeError, r"Plan\.agencies must be a tuple of Agency, not str"),
        ("agencies", ("stttt",), TypeError, r"Plan\.agencies\[0\] must be Agency, not str"),
        ("period", 2021, TypeError, r"Plan\.period must be Period, not int"),
        ("horizon", 30, ValueError, r"Plan\.horizon 30 is outside"),
        ("horizon", 2030.0, TypeError, r"Plan\.horizon must be int"),
        ("funding", None, TypeError, r"Plan\.funding must be Funding, not None"),
        ("metadata", {"kind": "plan"}, TypeError, r"Plan\.metadata must be PlanMetadata"),
        ("sections", (Section(title="a", text="b"), "c"), TypeError, r"Plan\.sections\[1\]"),
    ],
)
def test_plan_fields_are_type_checked(field: str, value: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        attrs.evolve(quang_nam(), **{field: value})


def test_validate_delegates_and_finds_the_seed_words_mismatch() -> None:
    plan = quang_nam()
    report = plan.validate()
    found = [(issue.code, issue.path) for issue in report.issues]
    # 150 billion in digits, "Một trăm tỷ đồng" (100 billion) in words: the seed's own slip.
    # The digits add up to the declared 901 billion, so that is the only problem.
    assert found == [("EGP202", "funding.sources[1].amount_in_words")]
    fixed = attrs.evolve(plan.funding.sources[1], amount_in_words="Một trăm năm mươi tỷ đồng")
    sources = (plan.funding.sources[0], fixed, *plan.funding.sources[2:])
    clean = attrs.evolve(plan, funding=attrs.evolve(plan.funding, sources=sources))
    assert {issue.code for issue in clean.validate().issues} == set()
    vi = clean.validate(locale="vi", ruleset="funding")
    assert not vi.issues
