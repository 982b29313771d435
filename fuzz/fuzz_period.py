"""Fuzz :meth:`egovplan.period.Period.parse` and ``Quarter.parse`` (``python fuzz/fuzz_period.py``).

The option byte says whether a year is given for quarters written without one.
"""

from __future__ import annotations

from harness import check, decode, encode, instrumented, run

with instrumented():
    from egovplan.period import Period, Quarter

SEEDS = tuple(
    encode(option, text)
    for option, text in (
        (0, "giai đoạn 2021–2025"),
        (0, "Quý I-II/2018"),
        (0, "Q3 2018 - Q2 2019"),
        (1, "Quý I–Quý IV"),
        (0, "quý II năm 2018"),
        (0, "từ năm 2016 đến năm 2020"),
        (0, "2018Q3"),
        (0, "Quý V/2018"),
    )
)


def test_one_input(data: bytes) -> None:
    """One input: both parsers return their type or raise an egovplan error."""
    option, text = decode(data)
    year = 2018 if option % 2 else None
    check(lambda: Period.parse(text, year=year), Period)
    check(lambda: Quarter.parse(text, year=year), Quarter)


if __name__ == "__main__":
    run(test_one_input, SEEDS)
