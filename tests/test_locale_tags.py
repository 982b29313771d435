"""Every function that takes a locale tag checks it the same way (``_data.locale_tag``)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovplan import dates, rulebook, tables, words
from egovplan._data import language_of
from egovplan.amounts import to_babel_locale
from egovplan.errors import FieldTypeError
from egovplan.money import Money
from egovplan.ranks import ordinal
from egovplan.recurrence import Recurrence

TAKES_A_LOCALE: dict[str, Callable[[Any], object]] = {
    "format_date": lambda locale: dates.format_date(datetime.date(2025, 1, 2), locale),
    "amount_to_words": lambda locale: words.amount_to_words(5, locale),
    "table_word": lambda locale: tables.table_word("total", locale),
    "format_in_unit": lambda locale: tables.format_in_unit(Money("5", "VND"), "one", locale),
    "format_number": lambda locale: tables.format_number(Decimal(5), locale),
    "load_messages": rulebook.load_messages,
    "to_babel_locale": to_babel_locale,
    "ordinal": lambda locale: ordinal(2, locale),
    "Recurrence.format": lambda locale: Recurrence(unit="year").format(locale),
}


@pytest.mark.parametrize("name", sorted(TAKES_A_LOCALE))
@pytest.mark.parametrize("bad", [5, None, b"vi"])
def test_a_locale_that_is_not_a_str_is_refused_alike(name: str, bad: object) -> None:
    call = TAKES_A_LOCALE[name]
    with pytest.raises(FieldTypeError, match=r"^locale must be a str like 'vi' or 'en', not "):
        call(bad)


@pytest.mark.parametrize("name", sorted(TAKES_A_LOCALE))
def test_a_str_locale_is_taken(name: str) -> None:
    assert TAKES_A_LOCALE[name]("vi") is not None


def test_tables_refuse_an_unknown_locale_with_their_own_error() -> None:
    with pytest.raises(tables.TableError, match="unknown locale 'xx-nowhere'"):
        tables.format_number(Decimal(5), "xx-nowhere")


@given(
    st.from_regex(r"[A-Za-z]{2,3}", fullmatch=True),
    st.sampled_from(["", "-VN", "_vn", "-Latn-RS"]),
)
def test_the_language_of_a_tag_is_its_first_part_in_lower_case(language: str, rest: str) -> None:
    assert language_of(language + rest) == language.lower()
