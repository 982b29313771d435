from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.errors import LoadError, UnknownReferenceError
from egovplan.frameworks import (
    BUILTIN_FRAMEWORKS,
    Aggregation,
    Framework,
    FrameworkError,
    Group,
    Reference,
    builtin_frameworks,
    framework,
)
from egovplan.indicator import Indicator
from egovplan.labels import Labels
from egovplan.units import is_known_unit

ICT = "vn-ict-index-2016"


def test_ict_index_structure_3_6_30() -> None:
    ict = framework(ICT)
    groups = ict.subgroups(ict.root)
    assert groups == ("ict.infra", "ict.hr", "ict.app")
    subgroups = [sub for group in groups for sub in ict.subgroups(group)]
    assert len(subgroups) == 6
    assert len(ict.indicators) == 30
    assert [len(ict.indicators_in(sub)) for sub in subgroups] == [8, 4, 4, 5, 5, 4]
    # every indicator sits directly in a sub-group, and sub-groups hold no groups
    assert all(ict.subgroups(sub) == () for sub in subgroups)
    assert {i.group for i in ict.indicators} == set(subgroups)
    assert len(ict.groups) == 1 + 3 + 6


def test_ict_index_names_units_and_ids() -> None:
    ict = framework(ICT)
    ids = [i.id for i in ict.indicators]
    assert len(set(ids)) == 30
    for indicator in ict.indicators:
        assert indicator.framework == ICT
        assert indicator.id.startswith(indicator.group + ".")
        assert set(indicator.names.locales) == {"vi", "en"}
        assert is_known_unit(indicator.unit)
        assert indicator.higher_is_better
    first = ict.indicators_in("ict.infra.society")[0]
    assert first.names["vi"] == "Tỷ lệ điện thoại cố định/100 dân"
    assert first.unit == "per_100_inhabitants"
    assert ict.indicator("ict.infra.state.bandwidth").unit == "mbps_per_civil_servant"
    assert ict.indicator("ict.infra.state.computers").unit == "per_civil_servant"
    assert ict.indicator("ict.hr.society.adult_literacy").unit == "percent"
    assert [i.id for i in ict.indicators_in("ict.app.online")] == [
        f"ict.app.online.level_{n}" for n in range(1, 5)
    ]


def test_ict_index_groups_named_in_both_locales() -> None:
    ict = framework(ICT)
    for group in ict.groups:
        assert set(group.names.locales) == {"vi", "en"}
    assert ict.group("ict.hr").names["vi"] == "Hạ tầng nhân lực CNTT"
    assert ict.group("ict.app.online").names["en"] == "Online public services"


def test_lookups_and_tree() -> None:
    ict = framework(ICT)
    assert ict.parent("ict.hr.state.it_staff") == "ict.hr.state"
    assert ict.parent("ict") is None
    assert ict.depth("ict") == 0
    assert ict.depth("ict.hr.state.it_staff") == 3
    walked = list(ict.walk())
    assert len(walked) == 40
    assert walked[0] == "ict"
    assert walked.index("ict.infra") < walked.index("ict.infra.society.fixed_phones")
    assert "ict.hr" in ict
    assert "nope" not in ict
    with pytest.raises(UnknownReferenceError, match="no group or indicator 'nope'"):
        ict.node("nope")
    with pytest.raises(UnknownReferenceError, match="not a group"):
        ict.group("ict.app.online.level_1")
    with pytest.raises(UnknownReferenceError, match="not an indicator"):
        ict.indicator("ict.app")
    assert ict.weight("ict.hr") == Decimal(1)
    assert ict.reference("ict.hr.state.it_staff") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Hạ tầng kỹ thuật", "ict.infra"),
        ("hạ  tầng KỸ THUẬT của xã hội", "ict.infra.society"),
        ("Nhân lực CNTTcủa CQNN", "ict.hr.state"),
        ("Ứng dụng CNTT trong các CQNN", "ict.app.state"),
        ("Dịch vụ công trực tuyến", "ict.app.online"),
        ("Online public services", "ict.app.online"),
        ("Xếp hạng chung", "ict"),
        ("ict.hr", "ict.hr"),
        ("something else", None),
    ],
)
def test_find_by_name_or_alias(name: str, expected: str | None) -> None:
    assert framework(ICT).find(name) == expected


def test_online_service_levels_and_mapping() -> None:
    levels = framework("vn-online-service-levels")
    old, new = levels.scale("vn-2011"), levels.scale("vn-2022")
    assert old.ids == ("1", "2", "3", "4")
    assert new.ids == ("partial", "full")
    for scale in (old, new):
        for level in scale.levels:
            assert level.description is not None
            assert set(level.description.locales) == {"vi", "en"}
            assert level.indicator is not None
            assert level.indicator in levels
    assert "thanh toán" in (old.level("4").description or Labels()).text("vi")
    mapped = [levels.map_level("vn-2011", level, "vn-2022") for level in old.ids]
    assert mapped == [None, None, "partial", "full"]
    # the mapping keeps order: a higher old level never maps to a lower new level
    positions = [new.position(m) for m in mapped if m is not None]
    assert positions == sorted(positions)
    with pytest.raises(UnknownReferenceError, match="no mapping"):
        levels.map_level("vn-2022", "full", "vn-2011")
    with pytest.raises(UnknownReferenceError, match="no level '5'"):
        levels.map_level("vn-2011", "5", "vn-2022")
    assert levels.group("dvc").aggregation is Aggregation.NONE


def test_egdi_structure() -> None:
    egdi = framework("un-egdi")
    assert egdi.root == "egdi"
    assert egdi.children("egdi") == ("egdi.osi", "egdi.tii", "egdi.hci")
    assert egdi.group("egdi").aggregation is Aggregation.WEIGHTED_MEAN
    assert {egdi.weight(i) for i in egdi.children("egdi")} == {Decimal(1)}
    assert egdi.reference("egdi.tii") == Reference(low=0, high=1)


def test_builtins_and_unknown() -> None:
    assert tuple(f.id for f in builtin_frameworks()) == BUILTIN_FRAMEWORKS
    assert framework(ICT) is framework(ICT)
    with pytest.raises(UnknownReferenceError, match=r"Framework\.load"):
        framework("pci")


def test_with_weights_is_a_new_framework() -> None:
    ict = framework(ICT)
    heavier = ict.with_weights({"ict.app": "2.5"})
    assert heavier.weight("ict.app") == Decimal("2.5")
    assert ict.weight("ict.app") == Decimal(1)
    with pytest.raises(FrameworkError, match="unknown id 'nope'"):
        ict.with_weights({"nope": 1})


def test_round_trip_every_builtin_through_dict_and_toml() -> None:
    for original in builtin_frameworks():
        assert Framework.from_dict(original.to_dict()) == original
        assert Framework.loads(original.dumps()) == original


USER_FILE = """
[framework]
id = "acme-digital"
root = "acme"
names = { en = "ACME digital index", vi = "Chỉ số số ACME" }

[[groups]]
id = "acme"
names = { en = "ACME" }

[[groups]]
id = "acme.services"
parent = "acme"
weight = 2
names = { en = "Services" }

[[indicators]]
id = "acme.services.online"
group = "acme.services"
unit = "percent"
reference = { low = 0, high = 100 }
names = { en = "Services online" }

[[indicators]]
id = "acme.waiting"
group = "acme"
unit = "count"
higher_is_better = false
weight = 0.5
names = { en = "Days waited" }
"""


def test_user_framework_file(tmp_path: Path) -> None:
    path = tmp_path / "acme.toml"
    path.write_text(USER_FILE, encoding="utf-8")
    acme = Framework.load(path)
    assert acme.id == "acme-digital"
    assert acme.children("acme") == ("acme.services", "acme.waiting")
    assert acme.weight("acme.services") == Decimal(2)
    assert acme.weight("acme.waiting") == Decimal("0.5")
    assert isinstance(acme.weight("acme.waiting"), Decimal)
    assert not acme.indicator("acme.waiting").higher_is_better
    assert acme.reference("acme.services.online") == Reference(low=0, high=100)
    assert acme.indicator("acme.waiting").framework == "acme-digital"


@pytest.mark.parametrize(
    ("text", "path", "message"),
    [
        ("[framework]\nid = 'x'\n", "framework", "missing 'names', 'root'"),
        (
            USER_FILE.replace('unit = "percent"', 'unit = "furlongs"'),
            "indicators[0].unit",
            "unknown unit 'furlongs'",
        ),
        (USER_FILE.replace('parent = "acme"', 'parent = "nowhere"'), "", "unknown parent"),
        (USER_FILE.replace("weight = 2", "weight = -2"), "groups[1].weight", "negative"),
        (USER_FILE.replace("weight = 2", "wieght = 2"), "groups[1]", "unknown keys ['wieght']"),
        (
            USER_FILE.replace("high = 100", "high = 0"),
            "indicators[0].reference",
            "must be above low",
        ),
        (
            USER_FILE.replace("aggregation", "x") + "\n[[groups]]\nid = 'g'\nparent = 'acme'\n"
            "aggregation = 'median'\nnames = { en = 'G' }\n",
            "groups[2]",
            "'median' is not one of",
        ),
    ],
)
def test_bad_files_report_where_and_what(text: str, path: str, message: str) -> None:
    with pytest.raises(LoadError) as caught:
        Framework.loads(text, source="bad.toml")
    problems = dict(caught.value.problems)
    assert path in problems, caught.value.problems
    assert message in problems[path]
    assert str(caught.value).startswith("bad.toml: not a valid framework")


def test_not_toml_and_unreadable(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="not valid TOML"):
        Framework.loads("[framework\n")
    with pytest.raises(LoadError, match="cannot read"):
        Framework.load(tmp_path / "missing.toml")


def _group(id: str, parent: str | None) -> Group:
    return Group(id=id, names=Labels(en=id), parent=parent)


def _indicator(id: str, group: str) -> Indicator:
    return Indicator(id=id, names=Labels(en=id), unit="percent", group=group)


@pytest.mark.parametrize(
    ("groups", "indicators", "message"),
    [
        ((_group("r", None), _group("r", "r")), (), "used twice"),
        ((_group("r", None),), (_indicator("r", "r"),), "used twice"),
        ((_group("a", None),), (), "root 'r' is not a group"),
        ((_group("r", None), _group("a", None)), (), "has no parent"),
        ((_group("r", None), _group("a", "b"), _group("b", "a")), (), "cycle"),
        ((_group("r", None),), (_indicator("i", "g"),), "unknown group 'g'"),
    ],
)
def test_inconsistent_frameworks_are_refused(
    groups: tuple[Group, ...], indicators: tuple[Indicator, ...], message: str
) -> None:
    with pytest.raises(FrameworkError, match=message):
        Framework(id="t", names=Labels(en="t"), root="r", groups=groups, indicators=indicators)


@st.composite
def trees(draw: st.DrawFn) -> Framework:
    count = draw(st.integers(min_value=1, max_value=8))
    groups = [_group("g0", None)]
    for index in range(1, count):
        parent = draw(st.integers(min_value=0, max_value=index - 1))
        groups.append(_group(f"g{index}", f"g{parent}"))
    indicators = [
        _indicator(f"i{index}", f"g{draw(st.integers(min_value=0, max_value=count - 1))}")
        for index in range(draw(st.integers(min_value=0, max_value=10)))
    ]
    weights = draw(
        st.dictionaries(
            st.sampled_from([g.id for g in groups] + [i.id for i in indicators]),
            st.decimals(min_value=0, max_value=100, places=2),
        )
    )
    return Framework(
        id="t",
        names=Labels(en="t", vi="t"),
        root="g0",
        groups=tuple(groups),
        indicators=tuple(indicators),
        weights=tuple(weights.items()),
    )


@settings(max_examples=60, deadline=None)
@given(trees())
def test_tree_invariants_and_round_trip(tree: Framework) -> None:
    walked = list(tree.walk())
    assert sorted(walked) == sorted([g.id for g in tree.groups] + [i.id for i in tree.indicators])
    for node in walked:
        path = tree.path(node)
        assert path[0] == "g0"
        assert path[-1] == node
        assert tree.depth(node) == len(path) - 1
    assert len(tree.indicators_in("g0")) == len(tree.indicators)
    assert Framework.from_dict(tree.to_dict()) == tree
    assert Framework.loads(tree.dumps()) == tree
