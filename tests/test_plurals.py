"""Plural forms: CLDR categories from babel, and the fallback to a table's "other" form."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovplan import _pycache
from egovplan._plurals import cldr_rule, counted, plural_category

LOCALES = ("en", "vi", "vi-VN", "fr", "ru", "ar", "ja", "xx", "")
FORMS = {"one": "{count} one", "few": "{count} few", "other": "{count} other"}


def test_english_has_one_and_other() -> None:
    assert plural_category("en", 1) == "one"
    assert plural_category("en", 0) == "other"
    assert plural_category("en", 2) == "other"


def test_an_unknown_locale_counts_as_other() -> None:
    assert plural_category("xx", 1) == "other"
    assert plural_category("", 1) == "other"


@given(st.sampled_from(LOCALES), st.integers(min_value=0, max_value=10**12))
def test_a_table_with_only_other_serves_every_count(locale: str, count: int) -> None:
    # Vietnamese message tables give only "other", whatever category CLDR gives a count.
    assert counted({"other": "{count} lỗi"}, locale, count) == f"{count} lỗi"


@given(st.sampled_from(LOCALES), st.integers(min_value=0, max_value=10**12))
def test_the_form_of_the_category_is_used_when_the_table_has_it(locale: str, count: int) -> None:
    category = plural_category(locale, count)
    expected = FORMS.get(category, FORMS["other"]).format(count=count)
    assert counted(FORMS, locale, count) == expected
    if category == "one":
        assert expected == f"{count} one"


RULE_LOCALES = ("en", "vi", "fr", "ru", "ar", "cy", "pl", "ga", "sl")
KINDS = ("plural_form", "ordinal_form")


@given(
    st.sampled_from(RULE_LOCALES),
    st.sampled_from(KINDS),
    st.integers(min_value=0, max_value=10**12),
)
def test_the_rule_is_babels_own(locale: str, kind: str, count: int) -> None:
    from babel import Locale

    rule = cldr_rule(locale, kind)
    assert rule is not None
    assert rule(count) == getattr(Locale.parse(locale), kind)(count)


def test_a_rule_kept_by_an_earlier_process_is_babels_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from babel import Locale

    monkeypatch.setattr(_pycache, "cache_folder", lambda: str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    for locale, kind in itertools.product(RULE_LOCALES, KINDS):
        made = cldr_rule.__wrapped__(locale, kind)  # made, and kept
        read = cldr_rule.__wrapped__(locale, kind)  # built from the kept text
        assert made is not None
        assert read is not None
        for count in (*range(120), 1000, 1001, 10**6):
            assert read(count) == made(count) == getattr(Locale.parse(locale), kind)(count)
    assert len(list(tmp_path.iterdir())) == len(RULE_LOCALES) * len(KINDS)
    assert cldr_rule.__wrapped__("xx", "plural_form") is None  # unknown: nothing kept
    assert len(list(tmp_path.iterdir())) == len(RULE_LOCALES) * len(KINDS)
