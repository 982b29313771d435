"""Fuzz :func:`egovplan.words.words_to_amount` (``python fuzz/fuzz_words_to_amount.py``).

The option byte chooses the language (Vietnamese or English).
"""

from __future__ import annotations

from harness import check, decode, encode, instrumented, run

with instrumented():
    from egovplan.words import words_to_amount

LOCALES = ("vi", "en")

SEEDS = tuple(
    encode(option, text)
    for option, text in (
        (0, "Bằng chữ: chín trăm lẻ một tỷ đồng chẵn"),
        (0, "hai mươi tư nghìn không trăm linh năm"),
        (0, "một trăm năm"),
        (1, "nine hundred and one billion"),
        (1, "twenty-one thousand and five"),
        (0, "Ta\u0300m mươi mô\u0301t tỷ"),
    )
)


def test_one_input(data: bytes) -> None:
    """One input: ``words_to_amount`` returns an int or raises an egovplan error."""
    option, text = decode(data)
    check(lambda: words_to_amount(text, LOCALES[option % len(LOCALES)]), int)


if __name__ == "__main__":
    run(test_one_input, SEEDS)
