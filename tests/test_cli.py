"""The ``egovplan`` command, driven as a real console script in a subprocess."""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml

from egovplan.cli import main, render_plan
from egovplan.files import load
from egovplan.schema import json_schema

PLANS = Path(__file__).parent / "data" / "plans"
SCRIPT = Path(sys.executable).with_name("egovplan")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "egovplan"]
ANSI = "\033["


def run(
    *args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "EGOVPLAN_DEBUG")}
    environment.update(env or {})
    return subprocess.run(
        [*COMMAND, *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def call(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """Run the command in this process (quicker); ``run`` drives the real script."""
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr
    assert "internal error" not in result.stderr


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A YAML plan that loads but fails validation (sources do not add up to the total)."""
    text = (PLANS / "sample-province-2021-2025.yaml").read_text(encoding="utf-8")
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace("amount: 30000000000 VND", "amount: 30000000001 VND"), "utf-8")
    return path


# -- validate: exit codes and formats ---------------------------------------------------------


def test_valid_files_in_every_format_exit_0() -> None:
    files = sorted(PLANS.iterdir())
    result = run("validate", *files)
    no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert {p.suffix for p in files} == {".yaml", ".json", ".toml"}
    for path in files:
        assert f"{path}: ok" in result.stdout


def test_an_error_exits_1_with_file_line_and_column(broken: Path) -> None:
    result = run("validate", broken)
    no_traceback(result)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(
        line.startswith(f"{broken}:") and " error EGP201: funding.total: " in line for line in lines
    ), result.stdout
    issue = next(line for line in lines if "EGP201" in line)
    line_number = int(issue.split(":")[1])
    assert broken.read_text(encoding="utf-8").splitlines()[line_number - 1].startswith("  total:")
    assert lines[-1].startswith(f"{broken}: ")


@pytest.mark.parametrize("format", ["yaml", "json", "toml"])
def test_json_output_in_every_format(format: str, broken: Path, tmp_path: Path) -> None:
    target = tmp_path / f"plan.{format}"
    assert run("convert", broken, target).returncode == 0
    result = run("validate", "--format", "json", target)
    no_traceback(result)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    (entry,) = report["files"]
    assert entry["file"] == str(target)
    codes = {issue["code"] for issue in entry["issues"]}
    assert "EGP201" in codes
    for issue in entry["issues"]:
        assert {"code", "severity", "path", "message"} <= set(issue)
        assert set(issue) <= {"code", "severity", "path", "message", "line", "column"}
    total = next(i for i in entry["issues"] if i["code"] == "EGP201")
    if format == "toml":
        assert "line" not in total
    else:
        assert total["line"] > 1
        assert total["column"] > 1


def test_an_unreadable_file_exits_2_even_beside_errors(broken: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    result = run("validate", "--format", "json", broken, missing)
    no_traceback(result)
    assert result.returncode == 2
    files = json.loads(result.stdout)["files"]
    assert [f["file"] for f in files] == [str(broken), str(missing)]
    assert files[1]["issues"] == [
        {"code": "load", "severity": "error", "path": "", "message": "no such file"}
    ]


def test_locales_and_rulesets(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    english = call(capsys, "validate", broken, "--locale", "en")
    vietnamese = call(capsys, "validate", broken, "--locale", "vi")
    assert english[0] == vietnamese[0] == 1
    assert english[1] != vietnamese[1]
    assert " lỗi EGP201" in vietnamese[1]
    assert call(capsys, "validate", broken, "--ruleset", "funding")[0] == 1
    assert call(capsys, "validate", broken, "--ruleset", "structure")[0] == 0
    unknown = run("validate", broken, "--ruleset", "nope")
    no_traceback(unknown)
    assert unknown.returncode == 2
    assert "no ruleset named 'nope'" in unknown.stderr


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["validate"],
        ["frobnicate"],
        ["validate", "x.yaml", "--format", "xml"],
        ["breakdown", "x.yaml"],
        ["breakdown", "x.yaml", "--by", "colour"],
        ["--no-such-option"],
    ],
)
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = call(capsys, *args)
    assert code == 2
    assert "usage:" in err or "error:" in err


def test_a_usage_error_from_the_script_exits_2() -> None:
    result = run("validate", "x.yaml", "--format", "xml")
    no_traceback(result)
    assert result.returncode == 2
    assert "invalid choice: 'xml'" in result.stderr


def test_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "--help")
    assert code == 0
    assert "convert" in out
    version = run("--version")
    assert version.returncode == 0
    assert version.stdout.startswith("egovplan ")


# -- malformed input ---------------------------------------------------------------------------


def _malformed(tmp_path: Path, kind: str) -> Path:
    if kind == "junk":
        path = tmp_path / "junk.yaml"
        path.write_bytes(bytes(range(256)) * 8)
    elif kind == "nul":
        path = tmp_path / "nul.json"
        path.write_bytes(b"\x00" * 64)
    elif kind == "empty":
        path = tmp_path / "empty.json"
        path.write_bytes(b"")
    elif kind == "latin-1":
        path = tmp_path / "latin.yaml"
        path.write_bytes("format_version: 1\nid: café\n".encode("latin-1"))
    elif kind == "utf-32":
        path = tmp_path / "wide.yaml"
        path.write_bytes("format_version: 1\n".encode("utf-32"))
    elif kind == "directory":
        path = tmp_path / "dir.yaml"
        path.mkdir()
    elif kind == "missing":
        path = tmp_path / "missing.toml"
    elif kind == "huge":
        path = tmp_path / "huge.json"
        with path.open("wb") as handle:
            handle.truncate(300 * 1024 * 1024)  # sparse, over the 256 MiB default
    elif kind == "not-a-plan":
        path = tmp_path / "list.json"
        path.write_text("[1, 2, 3]\n", encoding="utf-8")
    elif kind == "bad-syntax":
        path = tmp_path / "syntax.toml"
        path.write_text("format_version = \n", encoding="utf-8")
    else:  # unknown extension
        path = tmp_path / "plan.txt"
        path.write_text("format_version: 1\n", encoding="utf-8")
    return path


MALFORMED = [
    "junk",
    "nul",
    "empty",
    "latin-1",
    "utf-32",
    "directory",
    "missing",
    "huge",
    "not-a-plan",
    "bad-syntax",
    "extension",
]


@pytest.mark.parametrize("kind", MALFORMED)
def test_malformed_input_gives_one_line_and_exit_2(kind: str, tmp_path: Path) -> None:
    path = _malformed(tmp_path, kind)
    result = run("show", path)
    no_traceback(result)
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"egovplan: {path}")
    assert len(line) > len(f"egovplan: {path}: ")


def test_malformed_input_in_validate(tmp_path: Path) -> None:
    paths = [_malformed(tmp_path, kind) for kind in MALFORMED]
    result = run("validate", *paths)
    no_traceback(result)
    assert result.returncode == 2
    for path in paths:
        assert f"{path}: cannot be loaded" in result.stdout
    as_json = run("validate", "--format", "json", *paths)
    assert as_json.returncode == 2
    reported = json.loads(as_json.stdout)["files"]
    assert [entry["file"] for entry in reported] == [str(p) for p in paths]
    assert all(entry["issues"][0]["code"] == "load" for entry in reported)


# -- show, schema, breakdown -------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_show(locale: str, capsys: pytest.CaptureFixture[str]) -> None:
    if locale == "vi":
        result = run("show", PLANS / "sample-province-2021-2025.toml", "--locale", locale)
        no_traceback(result)
        code, stdout = result.returncode, result.stdout
    else:
        code, stdout, _ = call(
            capsys, "show", PLANS / "sample-province-2021-2025.toml", "--locale", locale
        )
    assert code == 0
    words = {
        "vi": [
            "Thời kỳ: giai đoạn 2021–2025",
            "Mục tiêu và chỉ tiêu",
            "Nhiệm vụ theo đơn vị",
            "Đơn vị: tỷ đồng",
            "Tổng cộng",
        ],
        "en": [
            "Period: 2021–2025",
            "Objectives and targets",
            "Tasks by lead agency",
            "Unit: billion VND",
            "Total",
        ],
    }[locale]
    for word in words:
        assert word in stdout, word
    lead = {"vi": "Sở Thông tin và Truyền thông", "en": "Department of Information and"}[locale]
    assert f"  {lead}" in stdout
    assert "901" in stdout


def test_show_renders_targets_and_tasks() -> None:
    plan = load(PLANS / "sample-province-2018.yaml")
    text = render_plan(plan, locale="en")
    assert "top-10: thứ hạng ICT-Index: ≤ 10 rank (by 2018)" in text
    assert "0.9–1 per civil servant" in text
    assert "baseline 0.84 per civil servant in 2017" in text
    assert "- report: Báo cáo kết quả thực hiện (30 March 2018; regularly)" in text
    sample = render_plan(load(PLANS / "sample-province-2021-2025.yaml"), locale="vi")
    assert "cấp tỉnh 100%, cấp huyện 80%, cấp xã 60%" in sample


def test_show_lists_a_task_under_each_joint_lead_and_prints_reporting_and_sections() -> None:
    from egovplan import Agency, Assignment, Labels, Plan, PlanMetadata, ReportingDuty, Task
    from egovplan.period import Period
    from egovplan.plan import Section

    agencies = tuple(
        Agency(id=i, kind="department", names=Labels({"en": n}))
        for i, n in (("stttt", "ICT Dept"), ("snv", "Home Affairs"), ("ubnd", "Committee"))
    )
    task = Task(
        id="cio",
        title="Train CIOs",
        assignments=(
            Assignment(agency="stttt", role="lead"),
            Assignment(agency="snv", role="lead"),
        ),
    )
    lone = Task(
        id="web", title="Portal", assignments=(Assignment(agency="snv", role="coordinate"),)
    )
    duty = ReportingDuty(
        id="q",
        reporters=("stttt", "snv"),
        recipients=("ubnd",),
        cadences=("quarterly",),
        via=("snv",),
        subject="progress",
        due="by day 15",
    )
    plan = Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="P", language="en"),
        period=Period.years(2021, 2025),
        agencies=agencies,
        tasks=(task, lone),
        reporting=(duty,),
        sections=(Section(title="Context", text="Line one.\n\nLine two."),),
    )
    lines = render_plan(plan, locale="en").splitlines()
    tasks = lines[lines.index("Tasks by lead agency") :]
    assert tasks[1:6] == [
        "  ICT Dept",
        "    - cio: Train CIOs (jointly with Home Affairs)",
        "  Home Affairs",
        "    - cio: Train CIOs (jointly with ICT Dept)",
        "  (no lead agency)",
    ]
    assert "  - q: ICT Dept, Home Affairs → Committee (through Home Affairs)" in lines
    assert "    quarterly; reports on: progress; due: by day 15" in lines
    at = lines.index("Other parts of the document")
    assert lines[at + 1 :] == ["  - Context", "    Line one.", "    Line two."]
    vi = render_plan(plan, locale="vi")
    assert "cùng chủ trì với Home Affairs" in vi
    assert "Chế độ báo cáo" in vi


@pytest.mark.parametrize(
    ("language", "heading"),
    [("vi", "Mục tiêu và chỉ tiêu"), ("en", "Objectives and targets")],
)
def test_render_plan_speaks_the_plans_language_by_default(language: str, heading: str) -> None:
    # No hidden Vietnamese default: an English plan renders in English unless asked.
    plan = load(PLANS / "sample-province-2018.yaml")
    plan = attrs.evolve(plan, metadata=attrs.evolve(plan.metadata, language=language))
    text = render_plan(plan)
    assert heading in text.splitlines()
    assert text == render_plan(plan, locale=language)


def test_schema_prints_the_schema() -> None:
    result = run("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout) == json_schema()


@pytest.mark.parametrize("format", ["text", "markdown", "csv", "json", "html"])
def test_breakdown_formats(format: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "breakdown",
        PLANS / "sample-province-2021-2025.json",
        "--by",
        "source",
        "--format",
        format,
        "--unit",
        "billion",
        "--locale",
        "en",
    ]
    if format == "json":
        result = run(*args)
        no_traceback(result)
        code, stdout = result.returncode, result.stdout
    else:
        code, stdout, _ = call(capsys, *args)
    assert code == 0
    if format == "json":
        data = json.loads(stdout)
        assert data["currency"] == "VND"
        assert data["total"] == "901000000000 VND"
        assert {row["key"] for row in data["rows"]} >= {"central", "socialisation"}
        assert set(data["rows"][0]) == {"key", "label", "amount", "share"}
    else:
        assert "Ngân sách hỗ trợ từ Trung ương" in stdout


def test_breakdown_pivots_and_explains_mistakes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = call(
        capsys,
        "breakdown",
        PLANS / "sample-province-2021-2025.yaml",
        "--by",
        "year",
        "--by2",
        "source",
    )
    assert code == 0
    assert "2021" in out
    code, _, err = call(capsys, "breakdown", tmp_path / "nope.yaml", "--by", "year")
    assert code == 2
    assert err.startswith(f"egovplan: {tmp_path / 'nope.yaml'}: no such file")


def test_breakdown_by_year_of_a_plan_without_lines_fails_with_the_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Issue #25 item 4: no zero total for a question the plan cannot answer.
    quang_nam = Path(__file__).parent.parent / "examples" / "quang-nam-2021-2025.yaml"
    code, out, err = call(capsys, "breakdown", quang_nam, "--by", "year")
    assert code == 2  # as for any breakdown that cannot be done
    assert out == ""
    assert err.startswith(f"egovplan: {quang_nam}: plan 'quang-nam-2021-2025' has 7 funding")
    assert "but no budget lines" in err
    assert "break it down by source" in err


EURO_PLAN = """\
format_version: 1
id: city-digital
metadata: {kind: plan, title: City digital services, language: en}
period: 2024-2026
funding:
  total: 1250000.50 EUR
  sources:
  - {id: eu, kind: international_aid, names: {en: EU funds}, amount: 1000000 EUR}
  - {id: city, kind: local_budget, names: {en: City budget}, amount: 250000.50 EUR}
"""


def test_amounts_are_shown_in_the_unit_that_fits_the_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "city.yaml"
    plan.write_text(EURO_PLAN, encoding="utf-8")
    for command in (["show"], ["breakdown", "--by", "source"]):
        code, out, _ = call(capsys, *command, plan)
        assert code == 0
        assert "Unit: thousand EUR" in out
        assert "250.0005" in out
        code, out, _ = call(capsys, *command, plan, "--unit", "one")
        assert code == 0
        assert "Unit: EUR" in out
        assert "250,000.50" in out
    code, out, _ = call(
        capsys, "breakdown", PLANS / "sample-province-2021-2025.yaml", "--by", "source"
    )
    assert "Đơn vị: tỷ đồng" in out
    for command in (["show"], ["breakdown", "--by", "source"]):  # dong: another name for one
        assert call(capsys, *command, plan, "--unit", "dong") == call(
            capsys, *command, plan, "--unit", "one"
        )
    code, _, err = call(capsys, "show", plan, "--unit", "dongs")
    assert code == 2
    assert "invalid choice: 'dongs' (choose from 'auto', 'one', 'thousand'" in err


def test_any_locale_babel_knows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "city.yaml"
    plan.write_text(EURO_PLAN, encoding="utf-8")
    by_source = ("breakdown", plan, "--by", "source")
    code, out, _ = call(capsys, *by_source, "--locale", "fr_FR")
    assert code == 0
    assert "Funding source" in out  # no French words: English ones
    assert "250,0005" in out  # French numbers
    assert call(capsys, *by_source, "--locale", "fr-FR")[1] == out
    code, out, _ = call(capsys, *by_source, "--locale", "vi")
    assert "Nguồn vốn" in out
    assert "1.250,0005" in out
    french = tmp_path / "ville.yaml"
    french.write_text(EURO_PLAN.replace("language: en", "language: fr"), encoding="utf-8")
    assert "250,0005" in call(capsys, "show", french)[1]  # the plan's language
    assert "250.0005" in call(capsys, "show", plan)[1]
    for command in (("validate", plan), ("show", plan), by_source):
        code, _, err = call(capsys, *command, "--locale", "xx")
        assert code == 2
        assert "unknown locale 'xx'" in err


# -- convert -------------------------------------------------------------------------------------


def test_convert_between_every_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = PLANS / "sample-province-2018.yaml"
    plan = load(source)
    previous = source
    for target in ("a.json", "b.toml", "c.yml", "d.yaml"):
        out = tmp_path / target
        if target == "a.json":
            assert run("convert", previous, out).returncode == 0
        else:
            assert call(capsys, "convert", previous, out)[0] == 0
        assert load(out) == plan
        previous = out
    assert (tmp_path / "d.yaml").read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


def test_convert_never_overwrites_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "plan.yaml"
    shutil.copy(PLANS / "sample-province-2018.yaml", source)
    before = source.read_bytes()
    result = run("convert", source, source)
    no_traceback(result)
    assert result.returncode == 2
    assert "refusing to overwrite" in result.stderr
    code, _, err = call(capsys, "convert", source, tmp_path / "." / "plan.yaml")
    assert code == 2
    assert "refusing to overwrite" in err
    relative = run("convert", "plan.yaml", "./plan.yaml", cwd=tmp_path)
    assert relative.returncode == 2
    assert source.read_bytes() == before


def test_convert_leaves_the_output_untouched_on_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.json"
    out.write_text("keep me\n", encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("format_version: 1\nid: [\n", encoding="utf-8")
    result = run("convert", broken, out)
    no_traceback(result)
    assert result.returncode == 2
    assert result.stderr.startswith(f"egovplan: {broken}:")
    assert out.read_text(encoding="utf-8") == "keep me\n"
    code, _, err = call(
        capsys,
        "convert",
        PLANS / "sample-province-2018.yaml",
        tmp_path / "out.txt",  # .xml is IATI now
    )
    assert code == 2
    assert "cannot tell the format" in err
    unwritable = run(
        "convert", PLANS / "sample-province-2018.yaml", tmp_path / "no" / "dir" / "x.json"
    )
    no_traceback(unwritable)
    assert unwritable.returncode == 2
    assert "cannot be written" in unwritable.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.yaml", "out.json"]


# -- colour ----------------------------------------------------------------------------------------


def test_colour_only_when_asked_or_on_a_terminal(
    broken: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = run("validate", broken)
    assert ANSI not in plain.stdout  # a pipe is not a terminal
    always = run("validate", broken, "--color", "always")
    assert ANSI in always.stdout
    assert ANSI not in call(capsys, "validate", broken, "--color", "never")[1]


def _on_a_terminal(*args: str | Path, env: dict[str, str]) -> str:
    import pty

    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    environment.update(env)
    environment["TERM"] = "xterm"
    try:
        subprocess.run(
            [*COMMAND, *map(str, args)],
            stdout=follower,
            stderr=subprocess.DEVNULL,
            env=environment,
            timeout=120,
            check=False,
        )
    finally:
        os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_colour_on_a_terminal_unless_no_color(broken: Path) -> None:
    assert ANSI in _on_a_terminal("validate", broken, env={})
    assert ANSI not in _on_a_terminal("validate", broken, env={"NO_COLOR": "1"})


# -- in-process --------------------------------------------------------------------------------


def test_main_returns_codes(capsys: pytest.CaptureFixture[str], broken: Path) -> None:
    assert main(["validate", str(PLANS / "minimal.toml")]) == 0
    assert main(["validate", str(broken)]) == 1
    assert main(["validate", str(broken) + ".missing"]) == 2
    assert main([]) == 2
    assert main(["--version"]) == 0
    output = capsys.readouterr()
    assert "minimal.toml: ok" in output.out


def test_python_dash_m_runs_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "egovplan", "validate", str(PLANS / "minimal.toml")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 0
    assert "minimal.toml: ok" in result.stdout


def test_an_internal_error_exits_3_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import egovplan.cli as cli

    def crash(*args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "_schema", crash)
    code, out, err = call(capsys, "schema")
    assert code == 3
    assert out == ""
    assert err.strip() == (
        "egovplan: internal error: RuntimeError: boom (this is a bug; set EGOVPLAN_DEBUG=1 to"
        " see where)"
    )
    monkeypatch.setenv("EGOVPLAN_DEBUG", "1")
    with pytest.raises(RuntimeError, match="boom"):
        main(["schema"])


# -- plans in two currencies, symbolic-link loops, --untrusted -------------------------------

TWO_CURRENCIES = """\
format_version: 1
id: p
metadata: {kind: plan, title: T, language: en}
period: 2021-2025
funding:
  total: 300 VND
  sources:
  - {id: s, kind: grant, names: {en: From the province}, amount: 200000000 VND}
  - {id: u, kind: grant, names: {en: From a donor}, amount: 5000.5 USD}
  - {id: t, kind: grant, names: {en: From the state}, amount: 100000000 VND}
  lines:
  - {id: l1, source: s, year: 2021, amount: 200000000 VND}
  - {id: l2, source: u, year: 2022, amount: 5000.5 USD}
"""


def test_show_gives_a_table_and_a_total_per_currency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A careful reader wants every amount, and no sum of đồng and dollars."""
    path = tmp_path / "two.yaml"
    path.write_text(TWO_CURRENCIES, encoding="utf-8")
    code, out, err = call(capsys, "show", path, "--color", "never")
    assert (code, err) == (0, "")
    funding = out.split("\nFunding\n")[1].splitlines()
    assert funding[0] == (
        "The sources are in 2 currencies (VND, USD): one table, and one total, per currency."
    )
    assert [line for line in funding if line.startswith(("Total", "From", "  "))] == [
        "                   Unit: million VND",
        "From the province     200      66.67",
        "From the state        100      33.33",
        "Total                 300     100.00",
        "               Unit: thousand USD",
        "From a donor    5.0005     100.00",
        "Total           5.0005     100.00",
    ]
    code, out, err = call(capsys, "show", path, "--unit", "one", "--locale", "vi")
    assert code == 0
    assert "Các nguồn vốn tính bằng 2 loại tiền (VND, USD)" in out
    assert "Tổng cộng     5.000,50     100,00" in out
    assert "Tổng cộng          300.000.000     100,00" in out


@pytest.mark.parametrize(
    ("where", "currency"),
    [(("funding", "total"), "EUR"), (("funding", "sources", 0, "amount"), "EUR")],
)
def test_show_with_rates_that_miss_a_currency_gives_a_table_per_currency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: tuple[Any, ...], currency: str
) -> None:
    """Rates recorded, but none for one currency: a table per currency, not a crash."""
    data = yaml.safe_load((PLANS / "two-currencies.yaml").read_text(encoding="utf-8"))
    parent = data
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = parent[where[-1]].split()[0] + " " + currency
    path = tmp_path / "missing-rate.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, err = call(capsys, "show", path, "--color", "never", "--locale", "en")
    assert (code, err) == (0, "")
    funding = out.split("\nFunding\n")[1]
    assert funding.count("\nTotal ") == len(
        {s["amount"].split()[1] for s in data["funding"]["sources"]}
    )


@pytest.mark.parametrize("by", ["source", "year", "kind"])
def test_breakdown_of_two_currencies_is_refused_in_one_line(
    by: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(TWO_CURRENCIES, encoding="utf-8")
    for fmt in ("text", "csv", "json"):
        code, out, err = call(capsys, "breakdown", path, "--by", by, "--format", fmt)
        assert (code, out) == (2, "")
        assert err == (
            f"egovplan: {path}: the amounts to add are in more than one currency (VND, USD);"
            " a breakdown adds amounts of one currency (egovplan validate shows where: EGP208)\n"
        )


def test_convert_onto_or_from_a_symlink_loop_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.json").symlink_to(tmp_path / "b.json")
    (tmp_path / "b.json").symlink_to(tmp_path / "a.json")
    (tmp_path / "self.yaml").symlink_to(tmp_path / "self.yaml")
    plan = PLANS / "sample-province-2018.yaml"
    for args, words in [
        (
            (plan, tmp_path / "a.json"),
            "a.json: cannot be written: Too many levels of symbolic links",
        ),
        ((tmp_path / "self.yaml", tmp_path / "out.json"), "self.yaml: cannot be read: Too many"),
    ]:
        code, out, err = call(capsys, "convert", *args)
        assert (code, out) == (2, "")
        assert words in err
        assert "internal error" not in err
    assert not (tmp_path / "out.json").exists()


def test_convert_to_a_name_with_a_nul_character_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No shell passes a NUL in an argument, but main() takes any list of strings."""
    target = f"{tmp_path}/a\x00b.json"
    code, out, err = call(capsys, "convert", PLANS / "sample-province-2018.yaml", target)
    assert (code, out) == (2, "")
    shown = target.replace("\x00", "\\x00")  # no control character is printed raw
    assert err == f"egovplan: {shown}: is not a usable file name: embedded null byte\n"
    assert list(tmp_path.iterdir()) == []


def test_untrusted_applies_the_limits_for_strangers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """50 digits are within the default limit (100) and beyond the untrusted one (40)."""
    text = (PLANS / "sample-province-2018.yaml").read_text(encoding="utf-8")
    path = tmp_path / "upload.yaml"
    path.write_text(text.replace("period: 2018", f"period: 2018\nhorizon: {'1' * 50}"), "utf-8")
    limit = "has 50 digits; the limit is 40 (Limits.max_digits)"
    code, out, err = call(capsys, "validate", path, "--untrusted", "--color", "never")
    assert code == 2
    assert limit in out
    code, out, err = call(capsys, "validate", path, "--color", "never")
    assert limit not in out  # the default limits let it through to the models
    for command in (
        ["show"],
        ["breakdown", "--by", "source"],
        ["convert"],
        ["upgrade", "-o", str(tmp_path / "out.json")],
    ):
        target = [tmp_path / "out.json"] if command == ["convert"] else []
        code, out, err = call(capsys, command[0], path, *target, *command[1:], "--untrusted")
        assert (code, out) == (2, "")
        assert limit in err
        assert not (tmp_path / "out.json").exists()


def test_building_the_parser_reads_no_choices() -> None:
    # The units and dimensions are read from egovplan's data only when an option needs
    # them (an error, --help): building the parser loaded tables and breakdowns, 0.4 s of
    # every command's start-up.
    code = (
        "import sys\n"
        "from egovplan.cli import build_parser\n"
        "build_parser()\n"
        "heavy = ('egovplan.tables', 'egovplan.breakdown')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_choices_are_listed_in_help_and_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "breakdown", "--help")
    assert code == 0
    help_text = " ".join(out.split())
    assert "--by DIMENSION source, kind, year, agency" in help_text
    assert "--unit UNIT unit of magnitude of amounts: auto, one, thousand" in help_text
    plan = PLANS / "sample-province-2021-2025.yaml"
    code, _, err = call(capsys, "breakdown", plan, "--by", "nothing")
    assert code == 2
    assert "invalid choice: 'nothing' (choose from 'source', 'kind'" in err


# --- validate --catalogue ---------------------------------------------------------------

OWN_KINDS = """\
format_version: 3
id: own
metadata: {kind: plan, title: Own kinds}
period: 2021
agencies:
- {id: stttt, names: {vi: Sở TT&TT}, kind: department}
- {id: stc, names: {vi: Sở Tài chính}, kind: department}
tasks:
- id: t1
  title: Phê duyệt đề án
  assignments:
  - {agency: stttt, role: approve}
  - {agency: stc, role: coordinate}
reporting:
- {id: r1, reporter: stc, recipient: stttt, cadence: weekly}
"""


def test_own_roles_and_cadences_are_known_with_catalogue_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "own.yaml"
    plan.write_text(OWN_KINDS, encoding="utf-8")
    roles = tmp_path / "roles.toml"
    roles.write_text(
        'name = "roles"\n[kinds.approve]\nvi = "phê duyệt"\nen = "approve"\nleads = true\n',
        encoding="utf-8",
    )
    cadences = tmp_path / "weekly.toml"
    cadences.write_text(
        'name = "cadences"\n[kinds.weekly]\nvi = "hằng tuần"\nen = "weekly"\n', encoding="utf-8"
    )
    assert main(["validate", "--format", "json", str(plan)]) == 1
    codes = [i["code"] for i in json.loads(capsys.readouterr().out)["files"][0]["issues"]]
    assert sorted(codes) == ["EGP105", "EGP401", "EGP601"]
    assert main(["validate", str(plan), "--catalogue", str(roles)]) == 1
    assert "EGP601" in capsys.readouterr().out
    args = ["validate", str(plan), "--catalogue", str(roles), "--catalogue", str(cadences)]
    assert main(args) == 0
    assert capsys.readouterr().out == f"{plan}: ok\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot read catalogue"), ('name = "roles"\n[kinds\n', "not valid TOML")],
)
def test_a_bad_catalogue_file_exits_2_naming_it(
    content: str | None, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "own.yaml"
    plan.write_text(OWN_KINDS, encoding="utf-8")
    catalogue = tmp_path / "mine.toml"
    if content is not None:
        catalogue.write_text(content, encoding="utf-8")
    assert main(["validate", str(plan), "--catalogue", str(catalogue)]) == 2
    err = capsys.readouterr().err
    assert f"--catalogue: {catalogue}" in err
    assert message in err
    assert "Traceback" not in err


def test_show_lists_a_task_under_the_agency_that_implements_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "implement.yaml"
    plan.write_text(OWN_KINDS.replace("role: approve", "role: implement"), encoding="utf-8")
    assert main(["show", "--locale", "en", str(plan)]) == 0
    out = capsys.readouterr().out
    tasks = out[out.index("Tasks by lead agency") :]
    assert "  Sở TT&TT\n" in tasks
    assert "(no lead agency)" not in tasks


# -- IATI --------------------------------------------------------------------------------------

IATI = Path(__file__).parent / "data" / "iati"
IATI_EXAMPLE = Path(__file__).parent.parent / "src" / "egovplan" / "data" / "iati" / "example.xml"


def test_convert_an_iati_activity_and_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "plan.yaml"
    code, _, err = call(capsys, "convert", IATI_EXAMPLE, target, "--activity", "XM-EXAMPLE-1")
    assert code == 0
    assert "not carried over: /iati-activities/iati-activity/activity-status" in err
    assert "XM-EXAMPLE-1" in target.read_text("utf-8")
    assert "flows:" in target.read_text("utf-8")  # the transaction, as an actual flow
    back = tmp_path / "out.xml"
    assert call(capsys, "convert", target, back)[0] == 0
    assert "<iati-identifier>XM-EXAMPLE-1</iati-identifier>" in back.read_text("utf-8")
    assert '<transaction-type code="3" />' in back.read_text("utf-8")
    code, _, err = call(capsys, "convert", IATI_EXAMPLE, target, "--activity", "nope")
    assert code == 2
    assert "XM-EXAMPLE-1" in err


def test_convert_all_activities(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = call(capsys, "convert", IATI_EXAMPLE, "--all", tmp_path / "plans")
    assert code == 0
    assert [p.name for p in (tmp_path / "plans").iterdir()] == ["XM-EXAMPLE-1.yaml"]


def test_validate_an_iati_file_per_activity(capsys: pytest.CaptureFixture[str]) -> None:
    annotated = IATI / "iati-2.03-activity-standard-example-annotated.xml"
    code, out, _ = call(capsys, "validate", IATI_EXAMPLE, annotated)
    assert code == 1  # the annotated example has no implementing organisation: EGP401
    assert "example.xml[XM-EXAMPLE-1]: ok" in out
    assert "[AA-AAA-123456789-ABC123]: error EGP401" in out
    refused = IATI / "standard-tests" / "should-fail" / "budget" / "03-missing-value.xml"
    code, out, _ = call(capsys, "validate", refused)
    assert code == 2
    assert "03-missing-value.xml:19: error: /iati-activities/iati-activity/budget:" in out


def test_validate_an_ocds_package_per_process(capsys: pytest.CaptureFixture[str]) -> None:
    package = Path(__file__).parents[1] / "src" / "egovplan" / "data" / "ocds" / "example.json"
    code, out, _ = call(capsys, "validate", package, "--from", "ocds")
    assert code == 0
    assert "example.json[ocds-xm0000-egov-2024]: ok" in out
    code, _, _ = call(capsys, "validate", package)  # without --from, .json is a plan file
    assert code == 2


def test_convert_to_iati_whatever_the_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "activities.txt"
    assert call(capsys, "convert", PLANS / "sample-province-2018.yaml", target)[0] == 2
    code, _, err = call(
        capsys, "convert", PLANS / "sample-province-2018.yaml", target, "--to", "iati"
    )
    assert (code, err) == (0, "")
    assert target.read_text("utf-8").startswith('<?xml version="1.0" encoding="UTF-8"?>')
    code, _, _ = call(capsys, "convert", target, tmp_path / "plan.yaml", "--from", "iati")
    assert code == 0


@pytest.mark.parametrize("collecting", [True, False])
def test_the_collector_is_paused_while_a_command_runs_then_left_as_it_was(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, collecting: bool
) -> None:
    from egovplan import cli

    seen: list[bool] = []
    schema = cli._schema

    def spy(args: Any, console: Any) -> int:
        seen.append(gc.isenabled())
        return schema(args, console)

    monkeypatch.setattr(cli, "_schema", spy)
    was = gc.isenabled()
    try:
        if not collecting:
            gc.disable()
        code, out, _ = call(capsys, "schema")
        assert gc.isenabled() is collecting
    finally:
        if was:
            gc.enable()
    assert (code, seen) == (0, [False])
    assert json.loads(out)["$schema"].startswith("https://json-schema.org/")
