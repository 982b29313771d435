"""Catalogues: data-driven kinds, loaded from TOML, extended without mutation."""

from decimal import Decimal
from pathlib import Path

import pytest

from egovplan.catalog import BUILTIN_CATALOGUES, Catalogue, Catalogues, Kind
from egovplan.errors import LoadError, UnknownReferenceError
from egovplan.labels import Labels


def test_default_is_loaded_once_and_has_every_builtin() -> None:
    cats = Catalogues.default()
    assert Catalogues.default() is cats
    assert set(BUILTIN_CATALOGUES) <= set(cats.names)
    for name in BUILTIN_CATALOGUES:
        assert cats[name].name == name
        assert len(cats[name]) > 0


@pytest.mark.parametrize("name", BUILTIN_CATALOGUES)
def test_every_builtin_kind_has_vietnamese_and_english_labels(name: str) -> None:
    for kind in Catalogues.default()[name]:
        assert "vi" in kind.labels, (name, kind.code)
        assert "en" in kind.labels, (name, kind.code)


def test_builtin_codes_cover_the_domain() -> None:
    cats = Catalogues.default()
    assert set(cats.funding_source_kinds.codes) >= {
        "central_support",
        "provincial_investment",
        "recurrent",
        "local_budget",
        "science_project",
        "grant",
        "socialisation",
        "enterprise",
        "loan",
        "foreign_investment",
        "other",
    }
    assert set(cats.agency_kinds.codes) >= {
        "people_committee",
        "committee_office",
        "department",
        "district_committee",
        "commune_committee",
        "enterprise",
        "press",
        "party_body",
        "steering_committee",
        "central_agency",
        "other",
    }
    assert cats.roles.codes == (
        "lead",
        "coordinate",
        "fund",
        "advise",
        "monitor",
        "implement",
        "lead_or_coordinate",
        "extend",
    )
    # The roles that lead a task (EGP401), and the one a task should have only one of.
    assert [k.code for k in cats.roles if k.get("leads")] == [
        "lead",
        "implement",
        "lead_or_coordinate",
    ]
    assert [k.code for k in cats.roles if k.get("sole")] == ["lead"]
    # Every role maps to an IATI organisation role (1 funding … 4 implementing), and every
    # IATI role has one (3 extending: extend).
    assert {k.code: k.get("iati_role") for k in cats.roles} == {
        "lead": "4",
        "coordinate": "4",
        "fund": "1",
        "advise": "2",
        "monitor": "2",
        "implement": "4",
        "lead_or_coordinate": "4",
        "extend": "3",
    }
    assert cats.agency_kinds.label("office_holder", "en") == "Office holder"
    assert cats.cadences.codes == (
        "monthly",
        "quarterly",
        "six_monthly",
        "yearly",
        "ad_hoc",
        "periodic",
    )
    assert cats.cadences.label("periodic", "vi") == "định kỳ"
    assert cats.roles.label("lead", "vi") == "chủ trì"
    assert cats.roles.label("fund", "vi") == "bảo đảm kinh phí"
    assert cats.roles["monitor"].label("vi") == "theo dõi, đôn đốc, kiểm tra"
    assert cats.roles["fund"].get("iati_role") == "1"
    assert cats.roles["lead"].get("raci") == "A"
    assert cats.cadences["quarterly"].get("months") == 3


def test_level_sets_are_data_not_three_fixed_tiers() -> None:
    cats = Catalogues.default()
    old = cats.level_set("vn-2008")
    new = cats.level_set("vn-2025")
    assert [lvl.id for lvl in old] == ["central", "province", "district", "commune"]
    assert [lvl.id for lvl in new] == ["central", "province", "commune"]
    assert [lvl.order for lvl in new] == [0, 1, 2]
    assert new[1].name("vi") == "cấp tỉnh"
    assert len(cats.level_set("generic")) == 3
    with pytest.raises(UnknownReferenceError, match="vn-1975"):
        cats.level_set("vn-1975")


def test_lookup_and_unknown_codes() -> None:
    roles = Catalogues.default().roles
    assert "lead" in roles
    assert "boss" not in roles
    assert 3 not in roles
    assert roles.get("boss") is None
    with pytest.raises(UnknownReferenceError, match="catalogue 'roles' has no code 'boss'"):
        roles["boss"]
    with pytest.raises(KeyError):
        roles["boss"]
    assert roles.label("boss", "en") == "boss"
    assert roles.find("Phối hợp") is roles["coordinate"]
    assert roles.find("LEAD") is roles["lead"]
    assert roles.find("nobody") is None
    assert Catalogues.default().agency_kinds.find("UBND") is not None


def test_extended_returns_a_new_catalogue_and_merges_known_codes() -> None:
    roles = Catalogues.default().roles
    more = roles.extended(
        {
            "approve": {"vi": "phê duyệt", "en": "approve"},
            "lead": {"fr": "pilote", "raci": "R"},
        }
    )
    assert "approve" in more
    assert "approve" not in roles
    assert more.codes[-1] == "approve"
    assert more["lead"].labels == Labels(vi="chủ trì", en="lead", fr="pilote")
    assert more["lead"].get("raci") == "R"
    assert roles["lead"].get("raci") == "A"
    kind = Kind(code="x", labels=Labels(en="x"))
    assert roles.extended([kind])["x"] == kind
    assert roles.extended(Catalogue(name="other", kinds=(kind,)))["x"] == kind
    with pytest.raises(TypeError):
        roles.extended("lead")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="has code"):
        roles.extended({"y": kind})


def test_duplicate_codes_are_rejected() -> None:
    kind = Kind(code="a", labels=Labels(en="a"))
    with pytest.raises(ValueError, match="'a' appears twice"):
        Catalogue(name="c", kinds=(kind, kind))


def test_kind_from_table_sorts_labels_descriptions_and_extra() -> None:
    kind = Kind.from_table(
        "gt",
        {
            "vi": "trên",
            "en": "more than",
            "zh-Hans": "大于",
            "description_en": "strictly greater",
            "abbreviations": ["GT"],
            "symbol": ">",
            "words_vi": ["trên", "hơn"],
            "weight": Decimal("1.5"),
            "nested": {"a": [1, 2]},
        },
    )
    assert kind.labels == Labels({"vi": "trên", "en": "more than", "zh-Hans": "大于"})
    assert kind.description == Labels(en="strictly greater")
    assert kind.abbreviations == ("GT",)
    assert kind.get("symbol") == ">"
    assert kind.get("words_vi") == ("trên", "hơn")
    assert kind.get("nested") == (("a", (1, 2)),)
    assert kind.get("missing", 0) == 0
    same = Kind.from_table("gt", {"vi": "trên", "en": "more than", "zh-Hans": "大于"})
    assert kind != same
    assert hash(same) == hash(
        Kind.from_table("gt", {"en": "more than", "vi": "trên", "zh-Hans": "大于"})
    )
    with pytest.raises(TypeError, match="must be a table"):
        Kind.from_table("x", "nope")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="abbreviations"):
        Kind.from_table("x", {"abbreviations": "QĐ"})


def test_kind_fields_are_checked() -> None:
    with pytest.raises(TypeError, match=r"Kind\.labels must be Labels"):
        Kind(code="x", labels={"en": "x"})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"Kind\.code"):
        Kind(code="", labels=Labels(en="x"))
    with pytest.raises(TypeError, match=r"Kind\.extra"):
        Kind(code="x", labels=Labels(en="x"), extra=(("k", ["unhashable"]),))


def test_from_toml_reads_a_catalogue_and_floats_as_decimals() -> None:
    text = """
name = "sectors"
vi = "Lĩnh vực"
en = "Sectors"

[kinds.health]
vi = "y tế"
en = "health"
weight = 0.1
"""
    sectors = Catalogue.from_toml(text)
    assert sectors.name == "sectors"
    assert sectors.labels == Labels(vi="Lĩnh vực", en="Sectors")
    assert sectors.label("health", "vi") == "y tế"
    assert sectors["health"].get("weight") == Decimal("0.1")
    assert Catalogue.from_toml(text, name="renamed").name == "renamed"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("name = ", "not valid TOML"),
        ("[kinds.a]\nvi = 'A'\n", "needs a name"),
        ("name = 'x'\nkinds = 3\n", "'kinds' must be a table"),
        ("name = 'x'\n[kinds.a]\nvi = ''\n", r"kinds\.a: label for locale 'vi' is empty"),
        ("name = 'x'\nkinds.a = 3\n", r"kinds\.a: kind 'a' must be a table"),
    ],
)
def test_bad_catalogue_text_is_a_load_error(text: str, match: str) -> None:
    with pytest.raises(LoadError, match=match):
        Catalogue.from_toml(text, source="mine.toml")


def test_from_file_and_with_file(tmp_path: Path) -> None:
    path = tmp_path / "cadences.toml"
    path.write_text('[kinds.weekly]\nvi = "hằng tuần"\nen = "weekly"\n', encoding="utf-8")
    assert Catalogue.from_file(path).name == "cadences"
    base = Catalogues.default()
    mine = base.with_file(path)
    assert "weekly" in mine.cadences
    assert "weekly" not in base.cadences
    assert mine.cadences.codes == (*base.cadences.codes, "weekly")
    named = tmp_path / "x.toml"
    named.write_text('name = "sectors"\n[kinds.ict]\nvi = "CNTT"\nen = "ICT"\n', encoding="utf-8")
    with_sectors = base.with_file(named)
    assert with_sectors["sectors"].label("ict", "vi") == "CNTT"
    assert "sectors" in with_sectors
    assert "sectors" not in base
    with pytest.raises(LoadError, match="cannot read"):
        Catalogue.from_file(tmp_path / "missing.toml")


def test_catalogues_extended_and_unknown_names() -> None:
    base = Catalogues.default()
    mine = base.extended(
        cadences={"weekly": {"vi": "hằng tuần", "en": "weekly"}},
        sectors={"health": {"vi": "y tế", "en": "health"}},
    )
    again = mine.extended(sectors={"ict": {"vi": "CNTT", "en": "ICT"}})
    assert again["sectors"].codes == ("health", "ict")
    assert "weekly" in mine.cadences
    assert "weekly" not in base.cadences
    assert base.others == ()
    with pytest.raises(UnknownReferenceError, match="no catalogue 'nothing'"):
        base["nothing"]
