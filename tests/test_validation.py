"""The validation engine: rules, registries, rulesets, reports, messages, the rule docs."""

from __future__ import annotations

import json
import string
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.document import PlanMetadata
from egovplan.errors import EgovplanError
from egovplan.money import Money
from egovplan.period import Period, Quarter
from egovplan.plan import Plan
from egovplan.validation import (
    INTERNAL_ERROR,
    Context,
    Finding,
    Issue,
    Report,
    Rule,
    RuleError,
    RuleRegistry,
    Ruleset,
    RuleText,
    Severity,
    Term,
    UnknownRuleError,
    default_registry,
    format_value,
    load_messages,
    message_locales,
    rules_markdown,
    validate,
)

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def plan(title: str = "Plan") -> Plan:
    return Plan(
        id="p", metadata=PlanMetadata(kind="plan", title=title), period=Period.years(2021, 2025)
    )


def rule(code: str, check: object, severity: str = "error", message: str = "m {x}") -> Rule:
    return Rule(
        code=code,
        severity=severity,
        check=check,  # type: ignore[arg-type]
        texts={"en": {"title": f"title {code}", "message": message}},
    )


def yields(*paths: str, **values: object):  # type: ignore[no-untyped-def]
    def check(plan: Plan, context: Context) -> Iterator[Finding]:
        for path in paths:
            yield Finding(path=path, values=values)

    return check


# --- rules and texts -------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["EGP01", "egp001", "001", "EGP0001", "", "E-G001"])
def test_rule_codes_must_be_letters_then_three_digits(code: str) -> None:
    with pytest.raises(RuleError, match="capital letters then three digits") as info:
        rule(code, yields())
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, EgovplanError)


def test_rule_needs_callable_check_and_texts() -> None:
    with pytest.raises(TypeError, match="check must be callable"):
        rule("ACME001", "not callable")
    with pytest.raises(RuleError, match="at least one locale"):
        Rule(code="ACME001", severity="info", check=yields(), texts={})
    with pytest.raises(RuleError, match="has no 'message'"):
        Rule(code="ACME001", severity="info", check=yields(), texts={"en": {"title": "t"}})
    with pytest.raises(RuleError, match="unknown keys"):
        Rule(
            code="ACME001",
            severity="info",
            check=yields(),
            texts={"en": {"title": "t", "message": "m", "titel": "x"}},
        )
    with pytest.raises(ValueError, match="'fatal' is not a valid Severity"):
        rule("ACME001", yields(), severity="fatal")


def test_rule_texts_fall_back_to_language_then_english() -> None:
    r = Rule(
        code="ACME001",
        severity=Severity.INFO,
        check=yields(),
        texts={"en": RuleText(title="en", message="m"), "vi": {"title": "vi", "message": "m"}},
    )
    assert r.text("vi_VN").title == "vi"
    assert r.text("vi-VN").title == "vi"
    assert r.text("fr").title == "en"
    assert r.title == "en"
    only_vi = Rule(code="ACME002", severity="info", check=yields(), texts={"vi": r.texts["vi"]})
    assert only_vi.text("en").title == "vi"
    french = r.with_text("fr", {"title": "fr", "message": "m"})
    assert french.text("fr").title == "fr"
    assert r.text("fr").title == "en"


def test_finding_and_issue_values_are_read_only() -> None:
    values = {"x": 1}
    finding = Finding(path="a", values=values)
    values["x"] = 2
    assert finding.values["x"] == 1
    with pytest.raises(TypeError):
        finding.values["x"] = 3  # type: ignore[index]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        finding.path = "b"  # type: ignore[misc]
    assert hash(finding) == hash(Finding(path="a", values={"x": 1}))


def test_severity_ranks() -> None:
    assert [s.rank for s in (Severity.INFO, Severity.WARNING, Severity.ERROR)] == [0, 1, 2]
    assert Severity("error") is Severity.ERROR


# --- the registry ----------------------------------------------------------------------------


def test_registry_rejects_duplicate_codes_and_names() -> None:
    a = rule("ACME001", yields())
    with pytest.raises(RuleError, match="used twice"):
        RuleRegistry([a, a])
    with pytest.raises(RuleError, match="used twice"):
        RuleRegistry([a], [Ruleset(name="x", codes=["ACME001"])] * 2)
    with pytest.raises(RuleError, match="'EGP000' is used twice"):
        RuleRegistry([rule("EGP000", yields())])


def test_unknown_codes_fail_when_a_ruleset_is_built() -> None:
    registry = default_registry()
    with pytest.raises(UnknownRuleError, match="'EGP999'") as info:
        registry.with_ruleset("mine", ["EGP201", "EGP999"])
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, EgovplanError)
    with pytest.raises(UnknownRuleError, match="no rule with code 'EGP998'"):
        registry.select(["EGP201", "EGP998"])
    with pytest.raises(UnknownRuleError, match="no ruleset named 'fundign'"):
        registry.select("fundign")
    with pytest.raises(UnknownRuleError):
        registry.rule("EGP999")
    with pytest.raises(UnknownRuleError, match="names unknown rule code"):
        RuleRegistry([], [Ruleset(name="x", codes=["EGP201"])])
    with pytest.raises(UnknownRuleError):
        validate(plan(), ruleset="fundign")
    with pytest.raises(UnknownRuleError):
        validate(plan(), ruleset=["EGP999"])


def test_ruleset_names_are_checked() -> None:
    with pytest.raises(RuleError, match="ruleset name"):
        Ruleset(name="has space", codes=[])
    with pytest.raises(TypeError, match="not one string"):
        Ruleset(name="x", codes="EGP201")


def test_default_registry_is_cached_and_never_changed() -> None:
    registry = default_registry()
    assert default_registry() is registry
    before = registry.codes
    bigger = registry.with_rules(rule("ACME001", yields()))
    assert "ACME001" in bigger
    assert "ACME001" in bigger.ruleset("default").codes
    assert "ACME001" not in registry
    assert registry.codes == before
    assert len(bigger) == len(registry) + 1


def test_with_rules_joins_named_rulesets_and_refuses_duplicates() -> None:
    registry = default_registry()
    mine = rule("ACME001", yields())
    quiet = registry.with_rules(mine, rulesets=())
    assert "ACME001" in quiet
    assert "ACME001" not in quiet.ruleset("default").codes
    funded = registry.with_rules(mine, rulesets=("default", "funding"))
    assert "ACME001" in funded.ruleset("funding").codes
    with pytest.raises(UnknownRuleError):
        registry.with_rules(mine, rulesets=("nope",))
    with pytest.raises(RuleError, match="already registered"):
        registry.with_rules(rule("EGP201", yields()))
    with pytest.raises(RuleError, match="same code"):
        registry.with_rules(mine, mine)
    replaced = registry.with_rules(rule("EGP201", yields(), severity="info"), replace=True)
    assert replaced.rule("EGP201").severity is Severity.INFO
    assert replaced.ruleset("default").codes.count("EGP201") == 1
    assert len(replaced) == len(registry)


def test_with_ruleset_adds_or_replaces() -> None:
    registry = default_registry().with_ruleset("money", ["EGP202", "EGP201"])
    assert [r.code for r in registry.select("money")] == ["EGP201", "EGP202"]
    again = registry.with_ruleset("money", ["EGP206"])
    assert again.ruleset("money").codes == ("EGP206",)
    assert again.ruleset_names == registry.ruleset_names
    assert "money" not in default_registry().ruleset_names


def test_with_texts_adds_a_translation() -> None:
    registry = default_registry().with_texts(
        "fr", {"EGP201": {"title": "Total", "message": "total {total} ≠ somme {sum}"}}
    )
    assert registry.rule("EGP201").text("fr").title == "Total"
    assert default_registry().rule("EGP201").text("fr").title == registry.rule("EGP201").title
    with pytest.raises(UnknownRuleError):
        registry.with_texts("fr", {"EGP999": {"title": "t", "message": "m"}})


def test_registry_iterates_rules_in_code_order() -> None:
    registry = RuleRegistry([rule("ACME002", yields()), rule("ACME001", yields())])
    assert [r.code for r in registry] == ["ACME001", "ACME002"]
    assert registry.codes == ("ACME001", "ACME002")
    assert registry.ruleset_names == ()


# --- validate --------------------------------------------------------------------------------


def test_user_rules_run_and_messages_fill_their_fields() -> None:
    def empty_title(plan: Plan, context: Context) -> Iterator[Finding]:
        if plan.metadata.title == "TBD":
            yield Finding(path="metadata.title", values={"title": plan.metadata.title})

    mine = Rule(
        code="ACME001",
        severity=Severity.WARNING,
        check=empty_title,
        texts={
            "en": {"title": "Real titles", "message": "the title is {title}"},
            "vi": {"title": "Tiêu đề thật", "message": "tiêu đề là {title}"},
        },
    )
    registry = default_registry().with_rules(mine)
    report = validate(plan("TBD"), registry=registry)
    assert [(i.code, i.severity, i.path, i.message) for i in report] == [
        ("ACME001", Severity.WARNING, "metadata.title", "the title is TBD")
    ]
    assert report.ok
    assert validate(plan("TBD"), registry=registry, locale="vi").issues[0].message == (
        "tiêu đề là TBD"
    )
    assert validate(plan("Real"), registry=registry).issues == ()
    assert validate(plan("TBD"), registry=registry, ruleset="funding").issues == ()


def test_a_crashing_rule_becomes_an_internal_error_and_others_still_run() -> None:
    def crash(plan: Plan, context: Context) -> Iterator[Finding]:
        yield Finding(path="a", values={"x": 1})
        raise ZeroDivisionError("division by zero")

    registry = RuleRegistry(
        [rule("ACME001", crash), rule("ACME002", yields("b", x=2))],
        [Ruleset(name="default", codes=["ACME001", "ACME002"])],
    )
    report = validate(plan(), registry=registry)
    assert [(i.code, i.path) for i in report] == [
        (INTERNAL_ERROR, ""),
        ("ACME001", "a"),
        ("ACME002", "b"),
    ]
    internal = report.issues[0]
    assert internal.severity is Severity.ERROR
    assert internal.values == {"rule": "ACME001", "error": "ZeroDivisionError: division by zero"}
    assert "ACME001" in internal.message
    assert "division by zero" in internal.message
    assert not report.ok
    vi = validate(plan(), registry=registry, locale="vi").issues[0]
    assert vi.message.startswith("quy tắc ACME001 bị lỗi")


@pytest.mark.parametrize(
    "check",
    [
        lambda plan, context: None,  # not iterable
        lambda plan, context: ["a path"],  # not a Finding
        lambda plan, context: [Finding(path="x"), 1 / 0],  # raises before yielding
        lambda plan, context: plan.no_such_attribute,
    ],
)
def test_odd_checks_never_raise(check: object) -> None:
    registry = RuleRegistry([rule("ACME001", check)], [Ruleset(name="default", codes=["ACME001"])])
    report = validate(plan(), registry=registry)
    assert report.codes() == (INTERNAL_ERROR,)
    assert report.issues[0].values["rule"] == "ACME001"


def test_a_missing_message_field_is_shown_not_raised() -> None:
    registry = RuleRegistry(
        [rule("ACME001", yields("a"), message="value {x} of {y}")],
        [Ruleset(name="default", codes=["ACME001"])],
    )
    (issue,) = validate(plan(), registry=registry).issues
    assert issue.message == "value {x} of {y}"


def test_message_variants() -> None:
    def check(plan: Plan, context: Context) -> Iterator[Finding]:
        yield Finding(path="a", values={"n": 1})
        yield Finding(path="b", values={"n": 2}, variant="other")
        yield Finding(path="c", values={"n": 3}, variant="unknown")

    mine = Rule(
        code="ACME001",
        severity="error",
        check=check,
        texts={"en": {"title": "t", "message": "main {n}", "variants": {"other": "other {n}"}}},
    )
    report = validate(
        plan(), registry=RuleRegistry([mine], [Ruleset(name="r", codes=[])]), ruleset=["ACME001"]
    )
    assert [i.message for i in report] == ["main 1", "other 2", "main 3"]


def test_validate_checks_its_arguments() -> None:
    with pytest.raises(TypeError, match="checks a Plan"):
        validate("plan")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown locale"):
        validate(plan(), locale="xx-nowhere")
    with pytest.raises(TypeError, match="RuleRegistry"):
        validate(plan(), registry={})  # type: ignore[arg-type]
    assert validate(plan(), locale="vi-VN").locale == "vi_VN"
    assert validate(plan(), locale="en_US").locale == "en_US"


def test_plan_validate_delegates() -> None:
    report = plan().validate(ruleset="funding", locale="vi")
    assert isinstance(report, Report)
    assert report.ruleset == "funding"
    assert report.locale == "vi"
    assert report.checked == default_registry().ruleset("funding").codes


def test_rules_share_indexes_through_the_context() -> None:
    built: list[int] = []

    def build() -> dict[str, int]:
        built.append(1)
        return {}

    def check(plan: Plan, context: Context) -> Iterator[Finding]:
        context.cached("mine", build)
        return iter(())

    registry = RuleRegistry([rule("ACME001", check), rule("ACME002", check)])
    validate(plan(), registry=registry, ruleset=["ACME001", "ACME002"])
    assert built == [1]


# --- the report ------------------------------------------------------------------------------


def sample_report() -> Report:
    registry = RuleRegistry(
        [
            rule("ACME003", yields("c", x=Decimal("1234.5")), severity="info"),
            rule("ACME001", yields("funding.sources[0].amount", "funding.total", x=1)),
            rule("ACME002", yields("tasks[0]", x=Money(1500, "VND")), severity="warning"),
        ],
        [Ruleset(name="default", codes=["ACME003", "ACME002", "ACME001"])],
    )
    return validate(plan(), registry=registry)


def test_report_views() -> None:
    report = sample_report()
    assert [i.code for i in report] == ["ACME001", "ACME001", "ACME002", "ACME003"]
    assert len(report) == 4
    assert not report.ok
    assert [i.path for i in report.errors] == ["funding.sources[0].amount", "funding.total"]
    assert [i.code for i in report.warnings] == ["ACME002"]
    assert [i.code for i in report.infos] == ["ACME003"]
    assert report.codes() == ("ACME001", "ACME002", "ACME003")
    assert len(report.by_code("ACME001")) == 2
    assert [i.path for i in report.at("funding")] == [
        "funding.sources[0].amount",
        "funding.total",
    ]
    assert [i.path for i in report.at("funding.sources")] == ["funding.sources[0].amount"]
    assert report.at("fund") == ()
    assert len(report.at("")) == 4
    assert report.checked == ("ACME001", "ACME002", "ACME003")


def test_report_to_dict_is_json() -> None:
    data = sample_report().to_dict()
    text = json.dumps(data, ensure_ascii=False)
    back = json.loads(text)
    assert back["ok"] is False
    assert back["counts"] == {"error": 2, "warning": 1, "info": 1}
    assert back["issues"][2]["values"] == {"x": "1500 VND"}
    assert back["issues"][3]["values"] == {"x": "1234.5"}
    assert back["issues"][0]["severity"] == "error"


def test_report_str_is_readable_in_both_locales() -> None:
    text = str(sample_report())
    lines = text.splitlines()
    assert lines[0] == "2 errors, 1 warning, 1 info"
    assert lines[1] == "funding.sources[0].amount: error ACME001: m 1"
    assert lines[4].startswith("c: info ACME003: m 1,234.5")
    assert str(Report(issues=[])) == "no problems found"
    vi = attrs.evolve(sample_report(), locale="vi")
    assert str(vi).splitlines()[0] == "2 lỗi, 1 cảnh báo, 1 ghi chú"
    assert str(Report(issues=[], locale="vi")) == "không phát hiện vấn đề nào"


@pytest.mark.parametrize(
    ("locale", "summary"),
    [("en", "1 error, 0 warnings, 0 info"), ("vi", "1 lỗi, 0 cảnh báo, 0 ghi chú")],
)
def test_report_summary_uses_the_plural_form_of_each_count(locale: str, summary: str) -> None:
    issue = Issue(code="EGP201", severity="error", path="", message="m")
    assert str(Report(issues=[issue], locale=locale)).splitlines()[0] == summary


@pytest.mark.parametrize("count", [1, 2])
def test_severities_are_named_the_same_in_text_and_json(count: int) -> None:
    # One name per severity: the JSON's ("info"), the text's summary and issue lines, and
    # the command line's (once "info" in JSON but "notes" in text).
    from egovplan.cli import _count, _word

    issues = [
        Issue(code=f"X{n}{severity.value}", severity=severity, path="p", message="m")
        for severity in Severity
        for n in range(count)
    ]
    report = Report(issues=issues)
    summary, *lines = str(report).splitlines()
    assert set(report.to_dict()["counts"]) == {severity.value for severity in Severity}
    assert summary.split(", ") == [
        f"{count} {severity.value}" + ("s" if count > 1 and severity.value != "info" else "")
        for severity in Severity
    ]
    for issue, line in zip(report.issues, lines, strict=True):
        assert line.startswith(f"p: {issue.severity.value} {issue.code}:")
        assert issue.to_dict()["severity"] == issue.severity.value
    for severity in Severity:
        assert _word(severity.value, "en") == severity.value
        assert _count(f"{severity.value}s", count, "en").split()[1].startswith(severity.value)


def test_issue_str() -> None:
    issue = Issue(code="EGP201", severity="error", path="", message="m")
    assert str(issue) == "(plan): error EGP201: m"


# --- formatting ------------------------------------------------------------------------------


def test_values_are_formatted_for_the_locale() -> None:
    assert format_value(Decimal("1234567.25"), "vi") == "1.234.567,25"
    assert format_value(Decimal("1234567.25"), "en") == "1,234,567.25"
    assert format_value(Decimal("35.0"), "en") == "35"
    assert format_value(Decimal("0.80"), "vi") == "0,80"
    assert format_value(2025, "vi") == "2025"
    assert format_value(Term("source"), "vi") == "nguồn kinh phí"
    assert format_value(Term("no-such-term"), "vi") == "no-such-term"
    assert format_value(None) == "None"
    assert format_value(Severity.ERROR) == "error"
    assert format_value(Quarter(2021, 4), "vi") == "Quý IV/2021"
    assert format_value(Period.years(2021, 2025), "vi") == "giai đoạn 2021–2025"
    money = format_value(Money("150000000000", "VND"), "vi")
    assert "150.000.000.000" in money


@settings(max_examples=60, deadline=None)
@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9
    )
)
def test_formatted_decimals_read_back(value: Decimal) -> None:
    for locale, group, point in (("en", ",", "."), ("vi", ".", ",")):
        text = format_value(value, locale)
        plain = text.replace(group, "").replace(point, ".")
        assert Decimal(plain) == value


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["error", "warning", "info"]),
            st.lists(st.text(min_size=0, max_size=12), max_size=4),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_report_partitions_issues_by_severity(specs: list[tuple[str, list[str]]]) -> None:
    rules = [
        rule(f"ACME{i:03d}", yields(*paths), severity=severity)
        for i, (severity, paths) in reversed(list(enumerate(specs)))
    ]
    registry = RuleRegistry(rules, [Ruleset(name="default", codes=[r.code for r in rules])])
    report = validate(plan(), registry=registry)
    assert len(report) == sum(len(paths) for _, paths in specs)
    assert len(report.errors) + len(report.warnings) + len(report.infos) == len(report)
    assert report.ok == (not report.errors)
    codes = [issue.code for issue in report]
    assert codes == sorted(codes)
    for i, (_, paths) in enumerate(specs):
        assert [issue.path for issue in report.by_code(f"ACME{i:03d}")] == paths


# --- message data and docs -------------------------------------------------------------------


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_builtin_rule_has_full_texts_in_every_locale() -> None:
    assert message_locales() == ("en", "vi")
    codes = [INTERNAL_ERROR, *default_registry().codes]
    for locale in message_locales():
        data = load_messages(locale)["rules"]
        assert sorted(data) == sorted(codes), locale
    for code in codes:
        en, vi = (load_messages(loc)["rules"][code] for loc in ("en", "vi"))
        for key in ("title", "description", "why", "example", "message"):
            assert en[key].strip(), (code, key)
            assert vi[key].strip(), (code, key)
        assert en["title"] != vi["title"], code
        assert _fields(en["message"]) == _fields(vi["message"]), code
        assert set(en.get("variants", {})) == set(vi.get("variants", {})), code
        for name, template in en.get("variants", {}).items():
            assert _fields(template) == _fields(vi["variants"][name]), (code, name)


def test_builtin_rules_read_each_locales_texts_when_first_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from egovplan import rulebook

    for rule in default_registry().rules:
        assert dict(rule.texts) == rulebook.builtin_texts(rule.code), rule.code
    english = rulebook.builtin_texts("EGP201")["en"]
    read: list[str] = []
    real = rulebook.load_messages

    def spy(locale: str) -> Any:
        read.append(locale)
        return real(locale)

    monkeypatch.setattr(rulebook, "load_messages", spy)
    texts = rulebook.shipped_texts("EGP201")
    assert texts["en"] == english
    assert read == ["en"]  # an English text reads no other locale's messages
    assert "fr" not in texts
    assert sorted(texts) == ["en", "vi"]
    assert len(texts) == 2
    assert read == ["en", "vi"]  # and each locale once
    with pytest.raises(KeyError):
        texts["fr"]
    with pytest.raises(EgovplanError):
        rulebook.shipped_texts(201)  # type: ignore[arg-type]


def test_engine_texts_and_terms_match_across_locales() -> None:
    en, vi = load_messages("en"), load_messages("vi")
    assert set(en["engine"]) == set(vi["engine"])
    assert set(en["terms"]) == set(vi["terms"])
    with pytest.raises(UnknownRuleError, match="no message file"):
        load_messages("xx")
    with pytest.raises(TypeError):
        en["terms"]["agency"] = "office"  # type: ignore[index]
    assert load_messages("en")["terms"]["agency"] == "agency"


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    expected = rules_markdown()
    assert DOCS.read_text(encoding="utf-8") == expected, (
        "docs/rules.md is out of date; regenerate it with: .venv/bin/python -c "
        '"from egovplan.validation import rules_markdown; '
        "open('docs/rules.md', 'w', encoding='utf-8').write(rules_markdown())\""
    )
    for code in default_registry().codes:
        assert f"### {code} — " in expected
    assert "### EGP000 — " in expected


def test_rules_markdown_documents_user_rules() -> None:
    registry = default_registry().with_rules(rule("ACME001", yields()), rulesets=())
    text = rules_markdown(registry)
    assert "### ACME001 — title ACME001" in text
    assert "| `default` | every rule |" not in text
