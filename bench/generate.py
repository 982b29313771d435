"""Deterministic synthetic plans of a given size, built with egovplan's public model API.

``generate(lines, seed=...)`` returns a :class:`egovplan.plan.Plan` with ``lines`` budget
lines and every other part scaled with it, so that "time per budget line" compares plans
of the same shape at different sizes:

========================  ===========================  =========  ==========
part                      count                        at 10k     at 1M
========================  ===========================  =========  ==========
budget lines              ``lines``                    10 000     1 000 000
tasks (1-3 assignments)   ``lines // 10``              1 000      100 000
agencies                  ``lines // 250`` (>= 8)      40         4 000
objectives (4 targets)    ``lines // 2000`` (>= 2)     5          500
observations              ``lines // 100`` (>= 30)     100        10 000
indicators                30                           30         30
funding sources           6                            6          6
========================  ===========================  =========  ==========

The same ``(lines, seed, plan_id, first_year, years, order)`` always gives an equal plan,
and the plan passes the default ruleset without findings: each source's amount is the sum
of its budget lines and the declared total is the sum of the sources.

Budget lines are listed task by task, as plans and their spreadsheets list them (a task's
lines one after another, tasks in order; a line for no task here and there).
``order="random"`` makes each line name a task at random instead: the worst case for the
machine's caches, where a million lines look up a hundred thousand tasks in no order. The
two plans differ only in the task each line names.

    python bench/generate.py 10000 --seed 1   # prints a summary of the plan
"""

from __future__ import annotations

import argparse
import random
from decimal import Decimal
from typing import Literal

from egovplan.agency import Agency
from egovplan.catalog import Catalogues
from egovplan.document import DocumentRef, PlanMetadata
from egovplan.funding import BudgetCategory, BudgetLine, Funding, FundingSource
from egovplan.indicator import Indicator, Observation
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.objective import Baseline, Comparator, Objective, ObjectiveKind, Target
from egovplan.period import Period, Quarter
from egovplan.plan import Plan
from egovplan.reporting import ReportingDuty
from egovplan.task import Assignment, Schedule, Task

CURRENCY = "VND"

#: (id, kind, Vietnamese name, category) of the six funding sources every plan has.
SOURCES: tuple[tuple[str, str, str, BudgetCategory | None], ...] = (
    ("central", "central_support", "Ngân sách Trung ương hỗ trợ", BudgetCategory.INVESTMENT),
    ("province", "provincial_investment", "Ngân sách tỉnh (đầu tư)", BudgetCategory.INVESTMENT),
    ("recurrent", "recurrent", "Kinh phí sự nghiệp", BudgetCategory.RECURRENT),
    ("district", "local_budget", "Ngân sách cấp huyện", None),
    ("oda", "grant", "Vốn ODA, tài trợ", None),
    ("private", "socialisation", "Nguồn xã hội hóa", None),
)

HEADINGS = (
    "Hạ tầng kỹ thuật",
    "Ứng dụng công nghệ thông tin",
    "Nguồn nhân lực",
    "Cơ chế, chính sách",
    "An toàn thông tin",
)

SECONDARY_ROLES = ("coordinate", "fund", "monitor", "advise")
INDICATOR_COUNT = 30
AGENCY_KINDS = ("department", "department", "department", "district_committee", "enterprise")

#: How budget lines name their tasks (see the module doc).
Order = Literal["task", "random"]
ORDERS: tuple[Order, ...] = ("task", "random")


def shape(lines: int) -> dict[str, int]:
    """How many of each part a plan with ``lines`` budget lines has (see the module doc)."""
    if lines < 1:
        raise ValueError(f"a benchmark plan needs at least one budget line, not {lines}")
    return {
        "lines": lines,
        "tasks": max(10, lines // 10),
        "agencies": max(8, lines // 250),
        "objectives": max(2, lines // 2000),
        "targets_per_objective": 4,
        "observations": max(30, lines // 100),
        "indicators": INDICATOR_COUNT,
        "sources": len(SOURCES),
    }


def _agencies(count: int, rng: random.Random) -> tuple[Agency, ...]:
    agencies = [
        Agency(
            id="ubnd",
            names=Labels(vi="Ủy ban nhân dân tỉnh", en="Provincial People's Committee"),
            abbreviation="UBND",
            kind="people_committee",
            level="province",
        ),
        Agency(
            id="stttt",
            names=Labels(vi="Sở Thông tin và Truyền thông", en="Department of Information"),
            abbreviation="STTTT",
            kind="department",
            level="province",
            parent="ubnd",
        ),
    ]
    for i in range(len(agencies), count):
        kind = rng.choice(AGENCY_KINDS)
        level = "commune" if kind == "district_committee" else "province"
        agencies.append(
            Agency(
                id=f"a{i:05d}",
                names=Labels(vi=f"Cơ quan số {i}", en=f"Agency {i}"),
                kind=kind,
                level=level,
                parent="ubnd",
            )
        )
    return tuple(agencies)


def _target(objective: int, index: int, deadline: int, rng: random.Random) -> Target:
    tid = f"o{objective:04d}-t{index}"
    style = index % 4
    if style == 0:
        return Target(
            id=tid,
            measure="hồ sơ công việc được xử lý trên môi trường mạng",
            by_level=(("province", Decimal(100)), ("commune", Decimal(rng.randrange(50, 91)))),
            unit="percent",
            deadline=deadline,
        )
    if style == 1:
        low = rng.randrange(40, 90)
        return Target(
            id=tid,
            measure="dịch vụ công trực tuyến mức độ 3, 4",
            comparator=Comparator.BETWEEN,
            value=Decimal(low),
            upper=Decimal(low + 5),
            unit="percent",
            deadline=deadline,
            baseline=Baseline(value=Decimal(rng.randrange(0, 40)), year=deadline - 3),
        )
    if style == 2:
        return Target(
            id=tid,
            measure="xếp hạng ICT-Index",
            comparator=Comparator.LE,
            value=Decimal(rng.randrange(5, 30)),
            unit="rank",
            deadline=deadline,
            indicator="i00",
        )
    return Target(
        id=tid,
        measure="cán bộ, công chức được tập huấn",
        comparator=Comparator.GE,
        value=Decimal(rng.randrange(1, 100)),
        unit="percent",
        deadline=deadline,
        scope="province",
    )


def generate(
    lines: int,
    *,
    seed: int = 0,
    plan_id: str | None = None,
    first_year: int = 2021,
    years: int = 5,
    order: Order = "task",
) -> Plan:
    """A synthetic plan with ``lines`` budget lines (everything else scaled, see module doc).

    Args:
        lines: how many budget lines.
        seed: the random seed; the same arguments always give an equal plan.
        plan_id: the plan's id (default ``"bench-<lines>-<seed>"``).
        first_year: the first year of the plan's period.
        years: how many years the period covers (budget lines are spread over them).
        order: ``"task"`` (lines listed task by task) or ``"random"`` (each line names a
            task at random).
    """
    if order not in ORDERS:
        raise ValueError(f"order is one of {ORDERS}, not {order!r}")
    counts = shape(lines)
    rng = random.Random(seed * 1_000_003 + lines)
    last_year = first_year + years - 1
    year_list = tuple(range(first_year, last_year + 1))

    agencies = _agencies(counts["agencies"], rng)
    agency_ids = [a.id for a in agencies]

    indicators = tuple(
        Indicator(
            id=f"i{i:02d}",
            names=Labels(vi=f"Chỉ số {i}", en=f"Indicator {i}"),
            unit="rank" if i == 0 else "percent",
            higher_is_better=i != 0,
            framework="vn-ict-index-2016",
        )
        for i in range(counts["indicators"])
    )

    objectives = tuple(
        Objective(
            id=f"o{o:04d}",
            kind=ObjectiveKind.SPECIFIC,
            text=f"Mục tiêu cụ thể số {o}: nâng cao chỉ số sẵn sàng ứng dụng CNTT",
            targets=tuple(
                _target(o, t, rng.choice(year_list), rng)
                for t in range(counts["targets_per_objective"])
            ),
        )
        for o in range(counts["objectives"])
    )
    objective_ids = [o.id for o in objectives]

    tasks = []
    for t in range(counts["tasks"]):
        lead = rng.choice(agency_ids)
        others = rng.sample(agency_ids, rng.randrange(0, 3))
        assignments = [Assignment(agency=lead, role="lead")]
        assignments += [
            Assignment(agency=a, role=rng.choice(SECONDARY_ROLES)) for a in others if a != lead
        ]
        year = rng.choice(year_list)
        first_q = rng.randrange(1, 5)
        tasks.append(
            Task(
                id=f"t{t:06d}",
                title=f"Nhiệm vụ số {t}: triển khai hệ thống thông tin",
                heading=HEADINGS[t % len(HEADINGS)],
                objectives=(rng.choice(objective_ids),),
                indicators=(f"i{rng.randrange(counts['indicators']):02d}",),
                schedule=Schedule(
                    period=Period.quarters(
                        Quarter(year, first_q), Quarter(year, rng.randrange(first_q, 5))
                    )
                ),
                assignments=tuple(assignments),
            )
        )
    task_ids = [t.id for t in tasks]

    source_ids = [s[0] for s in SOURCES]
    categories = (BudgetCategory.INVESTMENT, BudgetCategory.RECURRENT, None)
    sums = dict.fromkeys(source_ids, 0)
    budget_lines = []
    for i in range(lines):
        source = rng.choice(source_ids)
        units = rng.randrange(1, 50_000) * 100_000
        sums[source] += units
        year = rng.choice(year_list)
        agency = rng.choice(agency_ids)
        # Drawn in both orders, so that the orders' plans differ in nothing else.
        task: str | None = rng.choice(task_ids) if rng.random() < 0.9 else None
        if task is not None and order == "task":
            task = task_ids[i * len(task_ids) // lines]
        budget_lines.append(
            BudgetLine(
                id=f"l{i:07d}",
                source=source,
                year=year,
                agency=agency,
                task=task,
                objective=rng.choice(objective_ids) if rng.random() < 0.7 else None,
                category=rng.choice(categories),
                amount=Money(units, CURRENCY),
            )
        )
    sources = tuple(
        FundingSource(
            id=sid,
            kind=kind,
            names=Labels(vi=name),
            amount=Money(sums[sid], CURRENCY),
            category=category,
        )
        for sid, kind, name, category in SOURCES
    )
    total = sum((Money(sums[sid], CURRENCY) for sid, *_ in SOURCES), Money.zero(CURRENCY))

    # Each (indicator, subject, year) is observed once: observation i is indicator i % 30,
    # then the years, then the subjects (provinces p01, p02, ...) in turn.
    observations = []
    for i in range(counts["observations"]):
        rest, indicator = divmod(i, counts["indicators"])
        subject, year = divmod(rest, len(year_list))
        rank = rng.randrange(1, 35)
        observations.append(
            Observation(
                indicator=f"i{indicator:02d}",
                subject=f"p{subject + 1:02d}",
                period=Period.year(year_list[year]),
                value=Decimal(rng.randrange(0, 10_000)).scaleb(-2),
                score=Decimal(rng.randrange(0, 1_000)).scaleb(-3),
                rank=rank,
                ranked=34,
            )
        )

    identifier = plan_id if plan_id is not None else f"bench-{lines}-{seed}"
    return Plan(
        id=identifier,
        metadata=PlanMetadata(
            ref=DocumentRef.parse(f"{rng.randrange(100, 999)}/KH-UBND"),
            kind="plan",
            title=f"Kế hoạch ứng dụng công nghệ thông tin giai đoạn {first_year}–{last_year}",
            issuing_body="Ủy ban nhân dân tỉnh",
        ),
        period=Period.years(first_year, last_year),
        levels=Catalogues.default().level_set("vn-2025"),
        agencies=agencies,
        objectives=objectives,
        tasks=tuple(tasks),
        funding=Funding(total=total, sources=sources, lines=tuple(budget_lines)),
        reporting=(
            ReportingDuty(id="r-stttt", reporter="stttt", recipient="ubnd", cadence="quarterly"),
            ReportingDuty(id="r-all", reporter="ubnd", recipient="stttt", cadence="yearly"),
        ),
        indicators=indicators,
        observations=tuple(observations),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Summarise a synthetic benchmark plan.")
    parser.add_argument("lines", type=int, help="how many budget lines")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--order", choices=ORDERS, default="task", help="how lines name tasks")
    args = parser.parse_args(argv)
    plan = generate(args.lines, seed=args.seed, order=args.order)
    print(f"plan {plan.id}: period {plan.period}")
    for name, count in shape(args.lines).items():
        print(f"  {name:<22} {count:>10,}")
    print(f"  total                  {plan.funding.total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
