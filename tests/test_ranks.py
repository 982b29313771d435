from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.errors import ParseError
from egovplan.frameworks import framework
from egovplan.indicator import Observation, StatedRank
from egovplan.period import Period
from egovplan.ranks import (
    RANK_RULE_CODES,
    Direction,
    RankChange,
    check_stated_ranks,
    describe_change,
    ordinal,
    parse_stated_rank,
    rank_changes,
    rank_rules,
    rank_table,
)

DATA = tomllib.loads((Path(__file__).parent / "data" / "laocai_ranks.toml").read_text("utf-8"))
Y2016, Y2017 = Period.year(2016), Period.year(2017)
ICT = framework("vn-ict-index-2016")


def laocai_observations() -> list[Observation]:
    observations = []
    for row in DATA["ranks"]:
        for year in (2016, 2017):
            observations.append(
                Observation(
                    indicator=row["indicator"],
                    subject=DATA["subject"],
                    period=Period.year(year),
                    rank=row[f"y{year}"],
                    ranked=63,
                )
            )
    for row in DATA["scores"]:
        observations.append(
            Observation(
                indicator=row["indicator"],
                subject=DATA["subject"],
                period=Period.year(row["year"]),
                score=Decimal(row["score"]),
            )
        )
    return observations


def laocai_stated() -> list[tuple[dict[str, Any], StatedRank]]:
    out = []
    for entry in DATA["stated"]:
        period = Period.year(entry["period"]) if "period" in entry else None
        out.append(
            (
                entry,
                parse_stated_rank(
                    entry["text"], indicator=entry["indicator"], subject="lao-cai", period=period
                ),
            )
        )
    return out


def test_laocai_table_covers_every_group_of_the_framework() -> None:
    ids = [row["indicator"] for row in DATA["ranks"]]
    assert sorted(ids) == sorted(g.id for g in ICT.groups)


def test_laocai_labels_resolve_to_the_right_groups() -> None:
    for entry in DATA["stated"]:
        assert ICT.find(entry["label"]) == entry["indicator"], entry["label"]


def test_laocai_rank_changes() -> None:
    changes = {c.indicator: c for c in rank_changes(laocai_observations(), Y2016, Y2017)}
    expected = {
        "ict": 0,
        "ict.infra": 5,
        "ict.infra.society": 2,
        "ict.infra.state": 6,
        "ict.hr": -2,
        "ict.hr.society": -14,
        "ict.hr.state": 9,
        "ict.app": 4,
        "ict.app.state": -7,
        "ict.app.online": 16,
    }
    assert {key: c.places for key, c in changes.items()} == expected
    assert changes["ict.infra"].describe("en") == "up 5 places, from 12th to 7th"
    assert changes["ict.infra"].describe("vi") == "tăng 05 bậc, từ thứ 12 lên thứ 7"
    assert changes["ict.hr.society"].describe("vi") == "giảm 14 bậc, từ thứ 13 xuống thứ 27"
    assert changes["ict"].describe("en") == "unchanged at 7th"
    assert changes["ict"].describe("vi") == "giữ nguyên thứ 7"
    assert changes["ict.hr"].signed() == "-2"
    assert changes["ict.app"].signed() == "+4"
    assert changes["ict"].ranked_after == 63


def test_laocai_groups_summary() -> None:
    """'có 2/3 nhóm tăng, 01 nhóm giảm so với năm 2016'."""
    changes = {c.indicator: c for c in rank_changes(laocai_observations(), Y2016, Y2017)}
    directions = [changes[g].direction for g in ICT.subgroups("ict")]
    summary = DATA["groups_summary"]
    assert directions.count(Direction.UP) == summary["up"]
    assert directions.count(Direction.DOWN) == summary["down"]
    assert directions.count(Direction.SAME) == summary["same"]


def test_laocai_stated_changes_parsed() -> None:
    parsed = {(e["indicator"], e["text"]): s for e, s in laocai_stated()}
    infra = parsed[("ict.infra", DATA["stated"][0]["text"])]
    assert (infra.rank, infra.previous, infra.change) == (7, 12, 5)
    assert infra.period == Y2017
    assert infra.compared_to == Y2016
    deep = parsed[("ict.hr.society", DATA["stated"][3]["text"])]
    assert (deep.rank, deep.previous, deep.change) == (27, 13, -14)
    society = parsed[("ict.infra.society", DATA["stated"][4]["text"])]
    assert (society.rank, society.previous, society.change) == (15, None, 2)
    assert society.compared_to == Y2016
    for entry, stated in laocai_stated():
        assert stated.rank is not None or stated.change is not None, entry


def test_laocai_every_stated_change_checked_against_the_table() -> None:
    stated = laocai_stated()
    mismatches = check_stated_ranks([s for _, s in stated], laocai_observations())
    expected = [
        (entry["indicator"], entry["mismatch"]) for entry, _ in stated if not entry["agrees"]
    ]
    found = [
        (
            m.stated.indicator,
            {"field": m.field, "stated": m.stated_value, "computed": m.computed_value},
        )
        for m in mismatches
    ]
    assert found == expected
    # the one real inconsistency of the document: rank 15 stated for 2017, table says 13
    (mismatch,) = mismatches
    assert mismatch.compared_to == Y2016
    assert mismatch.describe("en") == (
        "ict.infra.society (lao-cai, 2017): the text states rank 15th"
        " but the observations give 13th"
    )
    assert mismatch.describe("vi") == (
        "ict.infra.society (lao-cai, 2017): văn bản nêu thứ hạng thứ 15 nhưng số liệu cho thứ 13"
    )


def test_laocai_rank_table_in_both_locales_and_all_formats() -> None:
    table = rank_table(laocai_observations(), Y2016, Y2017, framework=ICT)
    assert [c.indicator for c in table.changes] == [
        "ict",
        "ict.infra",
        "ict.infra.society",
        "ict.infra.state",
        "ict.hr",
        "ict.hr.society",
        "ict.hr.state",
        "ict.app",
        "ict.app.state",
        "ict.app.online",
    ]
    text_vi = table.to_text(locale="vi")
    assert "Xếp hạng của lao-cai, năm 2016 và năm 2017" in text_vi
    assert "tăng 16 bậc, từ thứ 20 lên thứ 4" in text_vi
    assert "Dịch vụ công trực tuyến" in text_vi
    text_en = table.to_text(locale="en")
    assert "up 16 places, from 20th to 4th" in text_en
    assert "Online public services" in text_en
    markdown = table.to_markdown(locale="en")
    assert "| Indicator | 2016 | 2017 | Change | Description |" in markdown
    assert "down 7 places, from 3rd to 10th" in markdown
    html = table.to_html(locale="vi")
    assert "<table" in html
    assert "giảm 14 bậc, từ thứ 13 xuống thứ 27" in html
    data = json.loads(table.to_json(locale="vi"))
    assert data["rows"][1] == {
        "indicator": "ict.infra",
        "name": "Hạ tầng kỹ thuật",
        "subject": "lao-cai",
        "before": 12,
        "after": 7,
        "ranked_before": 63,
        "ranked_after": 63,
        "places": 5,
        "direction": "up",
        "description": "tăng 05 bậc, từ thứ 12 lên thứ 7",
    }
    assert table.render("csv", locale="en").splitlines()[0].startswith("Indicator,2016,2017")
    assert (
        json.loads(table.render("json", locale="en"))["rows"][0]["description"]
        == "unchanged at 7th"
    )


def test_rank_table_without_framework_uses_ids_and_first_seen_order() -> None:
    obs = [
        Observation(indicator="b", subject="x", period=Y2016, rank=3),
        Observation(indicator="a", subject="x", period=Y2017, rank=1),
        Observation(indicator="b", subject="x", period=Y2017, rank=5),
        Observation(indicator="b", subject="y", period=Y2017, rank=2, score=Decimal(1)),
    ]
    table = rank_table(obs, Y2016, Y2017)
    assert [(c.indicator, c.subject) for c in table.changes] == [("b", "x"), ("a", "x"), ("b", "y")]
    assert table.changes[1].describe("en") == "1st"
    assert table.changes[1].places is None
    assert table.changes[1].direction is None
    assert "subject" in table.to_text(locale="en")  # several subjects: a subject column
    assert rank_table(obs, Y2016, Y2017, subject="y").subjects == ("y",)


@pytest.mark.parametrize(
    ("text", "rank", "previous", "change", "year", "compared"),
    [
        ("tăng 05 bậc", None, None, 5, None, None),
        ("giảm 14 bậc", None, None, -14, None, None),
        ("Xếp thứ 15 (tăng 02 bậc so với năm 2016)", 15, None, 2, None, 2016),
        ("giữ nguyên thứ hạng so với năm 2016, xếp thứ 7", 7, None, 0, None, 2016),
        ("up 2 places", None, None, 2, None, None),
        ("fell by 3 places compared with 2019", None, None, -3, None, 2019),
        ("up 5 places, from 12th (2016) to 7th (2017)", 7, 12, 5, 2017, 2016),
        ("moved from 3rd in 2020 to 10th in 2021", 10, 3, None, 2021, 2020),
        ("ranked 22nd, unchanged since 2018", 22, None, 0, None, 2018),
    ],
)
def test_parse_stated_rank_forms(
    text: str,
    rank: int | None,
    previous: int | None,
    change: int | None,
    year: int | None,
    compared: int | None,
) -> None:
    period = None if year is not None else Period.year(2030)
    stated = parse_stated_rank(text, indicator="i", subject="s", period=period)
    assert (stated.rank, stated.previous, stated.change) == (rank, previous, change)
    if year is not None:
        assert stated.period == Period.year(year)
    assert stated.compared_to == (None if compared is None else Period.year(compared))
    assert stated.text == text


def test_parse_stated_rank_errors() -> None:
    with pytest.raises(ParseError, match="no rank, change of rank or move found"):
        parse_stated_rank("đạt kết quả tốt", indicator="i", subject="s", period=Y2017)
    with pytest.raises(ParseError, match=r"period .* is not stated"):
        parse_stated_rank("tăng 2 bậc", indicator="i", subject="s")
    with pytest.raises(ParseError, match="at most"):
        parse_stated_rank("tăng 2 bậc " * 2000, indicator="i", subject="s", period=Y2017)


def test_check_statement_that_contradicts_itself() -> None:
    stated = StatedRank(indicator="i", subject="s", period=Y2017, rank=7, previous=12, change=4)
    (mismatch,) = check_stated_ranks([stated], [])
    assert (mismatch.field, mismatch.stated_value, mismatch.computed_value) == ("statement", 4, 5)
    assert "up 4 places" in mismatch.describe("en")
    assert "up 5 places" in mismatch.describe("en")
    assert "tăng 04 bậc" in mismatch.describe("vi")


def test_check_uses_latest_earlier_period_when_not_stated() -> None:
    obs = [
        Observation(indicator="i", subject="s", period=Period.year(y), rank=r)
        for y, r in ((2014, 30), (2016, 20), (2017, 10))
    ]
    good = StatedRank(indicator="i", subject="s", period=Y2017, change=10, previous=20)
    assert check_stated_ranks([good], obs) == ()
    wrong = StatedRank(indicator="i", subject="s", period=Y2017, change=20)
    (mismatch,) = check_stated_ranks([wrong], obs)
    assert (mismatch.field, mismatch.computed_value, mismatch.compared_to) == ("change", 10, Y2016)
    explicit = StatedRank(
        indicator="i", subject="s", period=Y2017, change=20, compared_to=Period.year(2014)
    )
    assert check_stated_ranks([explicit], obs) == ()
    unknown = StatedRank(indicator="other", subject="s", period=Y2017, rank=1, change=3)
    assert check_stated_ranks([unknown], obs) == ()


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 63)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "63rd",
    ]
    assert ordinal(63, "vi") == "thứ 63"
    assert ordinal(2, "fr") == "2nd"  # unknown locales fall back to English words


def test_rank_rules_are_valid_rules() -> None:
    rules = rank_rules()
    assert tuple(rule.code for rule in rules) == RANK_RULE_CODES
    for rule in rules:
        assert rule.text("vi").title != rule.text("en").title
        assert "{indicator}" in rule.text("vi").message


ranks = st.integers(min_value=1, max_value=200)


@settings(max_examples=200)
@given(ranks, ranks)
def test_change_is_antisymmetric_and_directed(before: int, after: int) -> None:
    forward = RankChange(
        indicator="i", subject="s", earlier=Y2016, later=Y2017, before=before, after=after
    )
    backward = RankChange(
        indicator="i", subject="s", earlier=Y2016, later=Y2017, before=after, after=before
    )
    assert forward.places == -(backward.places or 0)
    assert forward.places == before - after
    expected = (
        Direction.UP if after < before else Direction.DOWN if after > before else Direction.SAME
    )
    assert forward.direction is expected


@settings(max_examples=200, deadline=None)
@given(ranks, ranks, st.sampled_from(["vi", "en"]))
def test_describe_then_parse_round_trip(before: int, after: int, locale: str) -> None:
    change = RankChange(
        indicator="i", subject="s", earlier=Y2016, later=Y2017, before=before, after=after
    )
    text = change.describe(locale)
    stated = parse_stated_rank(text, indicator="i", subject="s", period=Y2017, locale=locale)
    assert stated.rank == after
    if before != after:
        assert stated.previous == before
        assert stated.change == change.places
    else:
        assert stated.change == 0
    observations = [
        Observation(indicator="i", subject="s", period=Y2016, rank=before),
        Observation(indicator="i", subject="s", period=Y2017, rank=after),
    ]
    assert check_stated_ranks([stated], observations) == ()


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=-200, max_value=200), st.sampled_from(["vi", "en"]))
def test_describe_change_alone_round_trips(places: int, locale: str) -> None:
    text = describe_change(places, locale)
    stated = parse_stated_rank(text, indicator="i", subject="s", period=Y2017, locale=locale)
    assert stated.change == places
