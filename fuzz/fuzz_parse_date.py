"""Fuzz :func:`egovplan.dates.parse_date` (``python fuzz/fuzz_parse_date.py``).

The option byte is not used.
"""

from __future__ import annotations

import datetime as dt

from harness import check, decode, encode, instrumented, run

with instrumented():
    from egovplan.dates import parse_date

SEEDS = tuple(
    encode(0, text)
    for text in (
        "ngày 29 tháng 6 năm 2006",
        "01/06/2009",
        "29.10.2010",
        "2011-07-21",
        "21 July 2011",
        "July 21, 2011",
        "31/02/2011",
    )
)


def test_one_input(data: bytes) -> None:
    """One input: ``parse_date`` returns a date or raises an egovplan error."""
    _, text = decode(data)
    check(lambda: parse_date(text), dt.date)


if __name__ == "__main__":
    run(test_one_input, SEEDS)
