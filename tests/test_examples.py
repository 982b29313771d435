"""The example plans in examples/: they load, fit the JSON Schema, round-trip, and validate
to the findings recorded in examples/expected/<stem>.json.

Every ``examples/*.yaml`` is picked up on its own: add a plan file there and record its
findings. To record (or re-record, after a deliberate change to a file or to a rule) the
findings of every example, run::

    EGOVPLAN_UPDATE_EXPECTED=1 .venv/bin/pytest tests/test_examples.py

and review the diff of ``examples/expected/`` before committing it. Without the variable a
missing or different expectation fails the test.

The example files are in the canonical layout (what ``egovplan.files.dump`` writes) below
a header comment saying where each part comes from; YAML comments are not part of the
data, so the round trip compares the text after the header.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.breakdowns import phase_total
from egovplan.files import dumps, load, loads, read_document
from egovplan.frameworks import framework
from egovplan.money import Money
from egovplan.period import Period
from egovplan.plan import Plan
from egovplan.ranks import rank_table
from egovplan.schema import json_schema
from egovplan.when import When
from egovplan.words import words_to_amount

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXPECTED = EXAMPLES / "expected"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
UPDATE = os.environ.get("EGOVPLAN_UPDATE_EXPECTED") == "1"

QUANG_NAM = EXAMPLES / "quang-nam-2021-2025.yaml"
LAO_CAI = EXAMPLES / "lao-cai-2018.yaml"
BILLION = 10**9


def split_header(text: str) -> tuple[list[str], str]:
    """The leading comment lines of a file and the rest of it."""
    lines = text.splitlines(keepends=True)
    count = 0
    while count < len(lines) and lines[count].startswith("#"):
        count += 1
    return lines[:count], "".join(lines[count:])


def findings(plan: Plan) -> list[dict[str, str]]:
    return [
        {"code": issue.code, "severity": str(issue.severity), "path": issue.path}
        for issue in plan.validate().issues
    ]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(scope="module")
def quang_nam() -> Plan:
    return load(QUANG_NAM)


@pytest.fixture(scope="module")
def lao_cai() -> Plan:
    return load(LAO_CAI)


def test_the_examples_are_there() -> None:
    names = {path.name for path in EXAMPLE_FILES}
    assert {QUANG_NAM.name, LAO_CAI.name} <= names


# --- every example ------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_fits_the_json_schema(path: Path, validator: jsonschema.Draft202012Validator) -> None:
    data = json.loads(json.dumps(read_document(path), default=str))  # dates as JSON text
    validator.validate(data)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_has_a_header_saying_where_it_comes_from(path: Path) -> None:
    header, _ = split_header(path.read_text(encoding="utf-8"))
    assert len(header) >= 3, f"{path.name}: no header comment naming the document's sections"
    assert "seed" in "".join(header).lower()


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_is_canonical_below_its_header(path: Path) -> None:
    _, body = split_header(path.read_text(encoding="utf-8"))
    assert dumps(load(path), "yaml") == body


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("format", ["json", "toml"])
def test_converts_without_loss(path: Path, format: str) -> None:
    plan = load(path)
    again = loads(dumps(plan, format), format)
    assert again == plan
    assert dumps(again, "yaml") == dumps(plan, "yaml")


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_findings_are_the_recorded_ones(path: Path) -> None:
    expected_path = EXPECTED / f"{path.stem}.json"
    found = {"plan": path.name, "findings": findings(load(path))}
    if UPDATE:
        EXPECTED.mkdir(exist_ok=True)
        text = json.dumps(found, ensure_ascii=False, indent=2) + "\n"
        expected_path.write_text(text, encoding="utf-8")
    assert expected_path.exists(), (
        f"no recorded findings for {path.name}; run with EGOVPLAN_UPDATE_EXPECTED=1"
    )
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert found == expected, (
        f"the findings of {path.name} changed; if that is intended, re-record them with"
        " EGOVPLAN_UPDATE_EXPECTED=1 and review the diff"
    )


def test_every_expectation_has_its_example() -> None:
    stems = {path.stem for path in EXAMPLE_FILES}
    orphans = [path.name for path in EXPECTED.glob("*.json") if path.stem not in stems]
    assert orphans == []


# --- Quảng Nam (seed 003) -----------------------------------------------------------------

# Section IV, as written: (source id, billions in digits, billions the words say).
QN_SOURCES = [
    ("provincial-investment", 200, 200),
    ("recurrent", 150, 100),  # "150.000.000.000 đồng (Một trăm tỷ đồng)"
    ("district-budgets", 81, 81),
    ("central", 320, 320),
    ("science", 20, 20),
    ("grants", 30, 30),
    ("socialisation", 100, 100),
]
# Shares of 901 billion, computed by hand and rounded to two places.
QN_SHARES = ["22.20", "16.65", "8.99", "35.51", "2.22", "3.33", "11.10"]


def test_quang_nam_total_and_sources(quang_nam: Plan) -> None:
    funding = quang_nam.funding
    assert funding.total == Money(901 * BILLION, "VND")
    assert funding.total_in_words == "chín trăm lẻ một tỷ đồng"
    assert words_to_amount(funding.total_in_words) == 901 * BILLION
    assert [(s.id, s.amount) for s in funding.sources] == [
        (id, Money(digits * BILLION, "VND")) for id, digits, _ in QN_SOURCES
    ]
    assert sum((s.amount for s in funding.sources), Money.zero("VND")) == funding.total


def test_quang_nam_words_are_kept_as_written(quang_nam: Plan) -> None:
    said = [words_to_amount(s.amount_in_words or "") for s in quang_nam.funding.sources]
    assert said == [words * BILLION for _, _, words in QN_SOURCES]
    disagreeing = [i for i in quang_nam.validate().issues if i.code == "EGP202"]
    assert [i.path for i in disagreeing] == ["funding.sources[1].amount_in_words"]


def test_quang_nam_shares(quang_nam: Plan) -> None:
    result = quang_nam.breakdown("source")
    assert [str(row.share) for row in result.rows] == QN_SHARES
    assert sum((row.share or Decimal(0) for row in result.rows), Decimal(0)) == 100
    assert [row.key for row in result.rows] == [id for id, _, _ in QN_SOURCES]


def test_quang_nam_targets_per_level(quang_nam: Plan) -> None:
    by_2025 = quang_nam.target("dossiers-online-2025")
    by_2030 = quang_nam.target("dossiers-online-2030")
    assert by_2025.value is None
    assert dict(by_2025.level_values) == {"province": 100, "district": 80, "commune": 60}
    assert (by_2025.deadline, by_2030.deadline) == (When(2025), When(2030))
    assert dict(by_2030.level_values) == {"province": 100, "district": 90, "commune": 70}
    assert quang_nam.target("online-dossiers").comparator.value == ">"
    assert quang_nam.target("procedure-satisfaction").comparator.value == ">="
    assert (quang_nam.period.first_year, quang_nam.period.last_year) == (2021, 2025)
    assert quang_nam.horizon == 2030
    assert [str(ref) for ref in quang_nam.legal_bases if ref.number] == [
        "26/NQ-CP",
        "36a/NQ-CP",
        "17/NQ-CP",
        "749/QĐ-TTg",
        "33/NQ-HĐND",
    ]
    submission = quang_nam.metadata.submission
    assert submission is not None
    assert (str(submission), submission.date) == ("170/TTr-STTTT", dt.date(2020, 9, 30))
    assert submission.issuing_body == "Sở Thông tin và Truyền thông"
    entry = quang_nam.metadata.entry_into_force
    assert entry is not None
    assert entry.days_after_signing == 0
    cited = [(str(c.document), c.task) for c in quang_nam.citations]
    assert cited == [
        ("1285/QĐ-UBND", None),
        ("52-NQ/TW", "skhcn-integration"),
        ("312-KH/TU", "skhcn-integration"),
    ]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=5, max_size=5))
def test_quang_nam_phasing_keeps_every_dong(quang_nam: Plan, weights: list[int]) -> None:
    if not any(weights):
        weights = [1] * 5
    lines = phase_total(quang_nam, weights)
    assert {line.year for line in lines} == set(range(2021, 2026))
    assert sum((line.amount for line in lines), Money.zero("VND")) == quang_nam.funding.total
    for source in quang_nam.funding.sources:
        mine = [line.amount for line in lines if line.source == source.id]
        assert sum(mine, Money.zero("VND")) == source.amount


# --- Lào Cai (seed 001) -------------------------------------------------------------------


def test_lao_cai_metadata(lao_cai: Plan) -> None:
    assert lao_cai.metadata.ref is not None
    assert str(lao_cai.metadata.ref) == "332/KH-UBND"
    assert str(lao_cai.metadata.date) == "2017-12-21"
    assert [str(ref) for ref in lao_cai.implements] == ["20-ĐA/TU"]
    assert lao_cai.period == Period.year(2018)


def test_lao_cai_ranks_agree_with_the_frameworks_encoding(lao_cai: Plan) -> None:
    """The rank table in the example equals the one encoded independently in tests/data."""
    recorded = tomllib.loads((ROOT / "tests" / "data" / "laocai_ranks.toml").read_text("utf-8"))
    table = rank_table(
        lao_cai.observations,
        Period.year(2016),
        Period.year(2017),
        subject="lao-cai",
        framework=framework("vn-ict-index-2016"),
    )
    got = {c.indicator: (c.before, c.after) for c in table.changes}
    assert got == {row["indicator"]: (row["y2016"], row["y2017"]) for row in recorded["ranks"]}


def test_lao_cai_ids_are_the_frameworks(lao_cai: Plan) -> None:
    ict = framework("vn-ict-index-2016")
    assert [i.id for i in lao_cai.indicators] == list(ict.walk())
    for task in lao_cai.tasks:
        assert all(id in ict for id in task.indicators), task.id


def test_lao_cai_stated_rank_kept_as_written(lao_cai: Plan) -> None:
    wrong = [i for i in lao_cai.validate().issues if i.code == "EGP701"]
    assert [i.path for i in wrong] == ["stated_ranks[4].rank"]
    stated = lao_cai.stated_ranks[4]
    assert (stated.indicator, stated.rank, stated.change) == ("ict.infra.society", 15, 2)
    assert stated.text == "Xếp thứ 15 (tăng 02 bậc so với năm 2016)"


def test_lao_cai_quarters(lao_cai: Plan) -> None:
    schedules: dict[str, Any] = {t.id: t.schedule for t in lao_cai.tasks if t.schedule}
    assert str(schedules["enterprise-broadband"].period) == "Q1 2018"
    assert str(schedules["terminals"].period) == "Q1-Q2 2018"
    assert str(schedules["zalo-and-national-portal"].period) == "Q2-Q4 2018"
    assert str(schedules["ict-index-software"].period) == "Q3-Q4 2018"
    assert schedules["telecom-infrastructure"].text == "Quý I-Quý IV"
    assert str(schedules["level-3-4-select"].deadline) == "by 2018-03-30"  # "trước ngày 30/3"
