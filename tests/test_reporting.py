"""Reporting duties: several reporters, recipients and cadences, an intermediary, what is
reported and a deadline in words; the one-agency form of format version 1 still reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from egovplan import testing
from egovplan.cli import main
from egovplan.files import dumps, loads
from egovplan.plan import Plan
from egovplan.reporting import ReportingDuty
from egovplan.serialization import to_dict

HEAD = """\
format_version: {version}
id: p
metadata: {{kind: plan, title: P}}
period: 2021-2025
agencies:
- {{id: departments, names: {{vi: "Các sở, ngành"}}, kind: department, collective: true}}
- {{id: districts, names: {{vi: UBND các huyện}}, kind: district_committee, collective: true}}
- {{id: stttt, names: {{vi: Sở TT&TT}}, kind: department}}
- {{id: ubnd, names: {{vi: UBND tỉnh}}, kind: people_committee}}
- {{id: chu-tich, names: {{vi: Chủ tịch UBND tỉnh}}, kind: office_holder, parent: ubnd}}
reporting:
"""

SEVERAL = """\
- id: units
  reporters: [departments, districts]
  recipients: [ubnd, chu-tich]
  cadences: [six_monthly, ad_hoc]
  via: [stttt]
  subject: tình hình ứng dụng công nghệ thông tin
  due: cùng thời gian gửi báo cáo dự toán ngân sách hàng năm
- id: periodic
  reporter: stttt
  recipient: ubnd
  cadence: periodic
"""


def test_a_format_1_duty_reads_with_one_of_each() -> None:
    text = HEAD.format(version=1) + "- {id: r, reporter: stttt, recipient: ubnd, cadence: yearly}\n"
    plan = loads(text, "yaml")
    (duty,) = plan.reporting
    assert (duty.reporter, duty.recipient, duty.cadence) == ("stttt", "ubnd", "yearly")
    assert duty.all_reporters == ("stttt",)
    assert (duty.reporters, duty.recipients, duty.cadences, duty.via) == ((), (), (), ())
    assert plan.validate().ok
    # Written back in the current version, the duty keeps its one-agency form.
    again = to_dict(loads(dumps(plan, "yaml"), "yaml"))
    assert again["reporting"] == [
        {"id": "r", "reporter": "stttt", "recipient": "ubnd", "cadence": "yearly"}
    ]


def test_several_reporters_recipients_cadences_and_an_intermediary() -> None:
    plan = loads(HEAD.format(version=2) + SEVERAL, "yaml")
    units, periodic = plan.reporting
    assert units.all_reporters == ("departments", "districts")
    assert units.all_recipients == ("ubnd", "chu-tich")
    assert units.all_cadences == ("six_monthly", "ad_hoc")
    assert units.via == ("stttt",)
    assert units.subject == "tình hình ứng dụng công nghệ thông tin"
    assert units.due == "cùng thời gian gửi báo cáo dự toán ngân sách hàng năm"
    # "Định kỳ" without saying how often is a known cadence, not an error.
    assert periodic.all_cadences == ("periodic",)
    assert plan.validate().ok
    assert loads(dumps(plan, "json"), "json") == plan


def test_both_forms_together_list_the_single_one_first() -> None:
    duty = ReportingDuty(id="r", reporter="a", reporters=("b", "a", "c"), recipient="x")
    assert duty.all_reporters == ("a", "b", "c")
    assert duty.all_recipients == ("x",)
    assert duty.all_cadences == ()


@pytest.mark.parametrize(
    ("duty", "expected"),
    [
        ("- {id: r, recipient: ubnd, cadence: yearly}", [("EGP602", "reporting[0].reporter")]),
        (
            "- {id: r, reporters: [stttt], cadences: [yearly]}",
            [("EGP603", "reporting[0].recipient")],
        ),
        (
            "- {id: r, reporter: stttt, recipient: ubnd, cadences: [yearly, weekly]}",
            [("EGP601", "reporting[0].cadences[1]")],
        ),
        (
            "- {id: r, reporter: stttt, recipient: ubnd, via: [vp]}",
            [("EGP103", "reporting[0].via[0]")],
        ),
    ],
)
def test_a_duty_that_names_no_one_is_reported_from_the_file(
    duty: str, expected: list[tuple[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(HEAD.format(version=2) + duty + "\n", encoding="utf-8")
    assert main(["validate", "--format", "json", str(path)]) == 1
    issues = json.loads(capsys.readouterr().out)["files"][0]["issues"]
    assert [(i["code"], i["path"]) for i in issues] == expected
    assert all(i["line"] is not None for i in issues)


@settings(max_examples=30, deadline=None)
@given(testing.plans())
def test_generated_duties_name_reporters_and_recipients(plan: Plan) -> None:
    for duty in plan.reporting:
        assert duty.all_reporters
        assert duty.all_recipients
