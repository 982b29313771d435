"""Look-alike ids (issue #24): ids a reader cannot tell apart load, and validation reports
them (EGP102, EGP106, EGP107, EGP108) with a message naming the real difference.
"""

from __future__ import annotations

import unicodedata

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan._lookalike import _letters, differences, skeleton
from egovplan.agency import Agency
from egovplan.document import PlanMetadata
from egovplan.labels import Labels
from egovplan.period import Period
from egovplan.plan import Plan

INVISIBLE = [
    "\u200b",  # zero width space
    "\u200c",  # zero width non-joiner
    "\u200d",  # zero width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\xad",  # soft hyphen
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u061c",  # Arabic letter mark
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\x1b",  # escape
    "\u034f",  # combining grapheme joiner
    "\u3164",  # Hangul filler
]


def _plan(*ids: str) -> Plan:
    return Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="T"),
        period=Period.year(2025),
        agencies=tuple(Agency(id=i, names=Labels(vi="cơ quan")) for i in ids),
    )


def _issues(plan: Plan, locale: str = "en") -> list[tuple[str, str, str]]:
    return [(i.code, i.path, i.message) for i in plan.validate(locale=locale).issues]


def test_a_normal_form_pair_is_named_as_such_not_as_letter_case() -> None:
    composed = "sở-tài-chính"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    issues = _issues(_plan(composed, decomposed))
    assert [(code, path) for code, path, _ in issues] == [("EGP102", "agencies[1].id")]
    message = issues[0][2]
    assert "Unicode normal form" in message
    assert "letter case" not in message
    vi = _issues(_plan(composed, decomposed), "vi")[0][2]
    assert "dạng chuẩn Unicode" in vi
    assert "chữ hoa" not in vi


def test_a_case_pair_is_named_as_letter_case() -> None:
    issues = _issues(_plan("stc", "STC"))
    assert [(c, p) for c, p, _ in issues] == [("EGP102", "agencies[1].id")]
    assert issues[0][2].endswith("only in letter case")


@pytest.mark.parametrize("char", INVISIBLE)
def test_an_invisible_character_in_an_id_is_reported(char: str) -> None:
    issues = _issues(_plan("stc", f"st{char}c"))
    codes = {(code, path) for code, path, _ in issues}
    assert ("EGP107", "agencies[1].id") in codes
    assert ("EGP106", "agencies[1].id") in codes  # and it looks like "stc"
    look = next(m for c, _, m in issues if c == "EGP106")
    assert "invisible characters" in look
    seen = next(m for c, _, m in issues if c == "EGP107")
    assert f"U+{ord(char):04X}" in seen
    assert "at position 2" in seen


def test_a_cyrillic_letter_in_a_latin_id_is_reported() -> None:
    issues = _issues(_plan("sotttt", "s\u043etttt"))
    codes = [(code, path) for code, path, _ in issues]
    assert codes == [("EGP106", "agencies[1].id"), ("EGP108", "agencies[1].id")]
    assert "look-alike letters of another script" in issues[0][2]
    assert "Latin, Cyrillic" in issues[1][2]
    assert "U+043E CYRILLIC SMALL LETTER O" in issues[1][2]


def test_full_width_letters_look_like_ascii_ones() -> None:
    issues = _issues(_plan("stc", "ｓｔｃ"))
    assert [(c, p) for c, p, _ in issues] == [("EGP106", "agencies[1].id")]
    assert "compatibility forms" in issues[0][2]


@pytest.mark.parametrize(
    "ids",
    [
        ("stc", "stc-2"),
        ("sở-tài-chính", "so-tai-chinh"),  # accents are letters, not look-alikes
        ("東京-office", "大阪-office"),
        ("москва", "moskva"),  # a word and its transliteration do not look alike
        ("αθήνα",),
    ],
)
def test_ids_that_merely_resemble_each_other_pass(ids: tuple[str, ...]) -> None:
    assert _issues(_plan(*ids)) == []


_SLUG = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=2, max_size=12)


@settings(max_examples=200, deadline=None)
@given(_SLUG, st.data())
def test_every_look_alike_of_an_id_is_reported(slug: str, data: st.DataObject) -> None:
    """Whatever is done to an id that a reader cannot see, validation says so."""
    position = data.draw(st.integers(0, len(slug)))
    latin = {latin: chr(code) for code, latin in _letters().items() if len(latin) == 1}
    swappable = [i for i, c in enumerate(slug) if c in latin]
    changes = ["invisible", "case", "width"] + (["script"] if swappable else [])
    change = data.draw(st.sampled_from(changes))
    if change == "invisible":
        other = slug[:position] + data.draw(st.sampled_from(INVISIBLE)) + slug[position:]
    elif change == "case":
        if slug.upper() == slug:
            return
        other = slug.upper()
    elif change == "width":
        other = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in slug)
    else:
        i = data.draw(st.sampled_from(swappable))
        other = slug[:i] + latin[slug[i]] + slug[i + 1 :]
    assert skeleton(other) == skeleton(slug)
    assert differences(slug, other)
    codes = {code for code, path, _ in _issues(_plan(slug, other)) if path == "agencies[1].id"}
    assert codes & {"EGP102", "EGP106"}, (slug, other, codes)


@settings(max_examples=100, deadline=None)
@given(st.lists(_SLUG, min_size=1, max_size=6, unique=True))
def test_distinct_plain_ids_are_never_reported(ids: list[str]) -> None:
    plan = _plan(*ids)
    assert not [i for i in plan.validate().issues if i.code in {"EGP106", "EGP107", "EGP108"}]


def test_the_rules_are_in_the_structure_ruleset() -> None:
    plan = _plan("stc", "ѕтс", "n\u200bew", "nеw")
    assert attrs.evolve(plan).validate(ruleset="structure").codes() == (
        "EGP106",
        "EGP107",
        "EGP108",
    )
