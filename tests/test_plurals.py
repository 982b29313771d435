"""Plural forms: CLDR categories from babel, and the fallback to a table's "other" form."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from egovplan._plurals import counted, plural_category

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
