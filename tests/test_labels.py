"""Labels: an immutable, hashable locale -> text mapping with fallback."""

import pickle
from collections.abc import Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovplan.labels import Labels
from egovplan.testing import labels, texts


def test_construction_forms_agree_and_keep_order() -> None:
    a = Labels({"vi": "Sở Tài chính", "en": "Department of Finance"})
    b = Labels([("vi", "Sở Tài chính"), ("en", "Department of Finance")])
    c = Labels(vi="Sở Tài chính", en="Department of Finance")
    assert a == b == c
    assert a.locales == ("vi", "en")
    assert str(a) == "Sở Tài chính"
    assert str(Labels(en="x", vi="y")) == "x"


def test_is_a_read_only_mapping() -> None:
    names = Labels(vi="chủ trì", en="lead")
    assert isinstance(names, Mapping)
    assert dict(names) == {"vi": "chủ trì", "en": "lead"}
    assert len(names) == 2
    assert "vi" in names
    assert "fr" not in names
    assert names["en"] == "lead"
    with pytest.raises(KeyError):
        names["fr"]
    with pytest.raises(AttributeError, match="immutable"):
        names._items = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        names["fr"] = "x"  # type: ignore[index]


def test_get_falls_back_to_language_then_english_then_first() -> None:
    names = Labels(vi="Sở Nội vụ", en="Department of Home Affairs")
    assert names.get("vi") == "Sở Nội vụ"
    assert names.get("vi_VN") == "Sở Nội vụ"
    assert names.get("vi-VN") == "Sở Nội vụ"
    assert names.get("fr") == "Department of Home Affairs"
    assert Labels(vi="only").get("en") == "only"
    assert Labels(fr="a", de="b").get("vi") == "a"
    assert Labels().get("en") is None
    assert Labels().get("en", "fallback") == "fallback"
    assert Labels().text("en") == ""
    assert Labels(vi="x").text("en") == "x"


def test_equality_and_hash_ignore_order() -> None:
    a = Labels(vi="a", en="b")
    b = Labels(en="b", vi="a")
    assert a == b
    assert hash(a) == hash(b)
    assert a == {"en": "b", "vi": "a"}
    assert a != Labels(vi="a")
    assert a != "a"
    assert len({a, b}) == 1


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        ("text", TypeError, "not a str"),
        ({"vi": 1}, TypeError, "str text"),
        ({1: "x"}, TypeError, "str locale"),
        ({"vi": ""}, ValueError, "label for locale 'vi' is empty"),
        ({"": "x"}, ValueError, "locale is empty"),
        ([("vi", "a"), ("vi", "b")], ValueError, "'vi' is given twice"),
        ([("vi",)], TypeError, "pairs"),
    ],
)
def test_bad_input_is_a_clear_error(value: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        Labels(value)  # type: ignore[arg-type]


def test_copies_with_changes() -> None:
    base = Labels(vi="Kế hoạch")
    assert base.with_label("en", "Plan") == Labels(vi="Kế hoạch", en="Plan")
    assert base.merged({"vi": "KH", "fr": "Plan"}) == Labels(vi="KH", fr="Plan")
    assert base == Labels(vi="Kế hoạch")  # unchanged


def test_pickle_and_repr_round_trip() -> None:
    names = Labels(vi="Sở Tài chính", en="Department of Finance")
    assert pickle.loads(pickle.dumps(names)) == names
    assert eval(repr(names)) == names


@given(st.dictionaries(st.sampled_from(["vi", "en", "fr", "de", "zh"]), texts()))
def test_labels_equal_their_dict_in_any_order(content: dict[str, str]) -> None:
    forward = Labels(content)
    backward = Labels(list(reversed(content.items())))
    assert forward == content
    assert forward == backward
    assert hash(forward) == hash(backward)
    for locale in content:
        assert forward.get(locale) == content[locale]


@given(labels(("vi", "en", "fr")))
def test_get_always_answers_when_there_is_a_label(names: Labels) -> None:
    for locale in ("vi", "en", "fr", "ja", "vi_VN"):
        assert names.get(locale) in names.values()
