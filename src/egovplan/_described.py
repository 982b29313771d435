"""Values as documents hold them and as problem messages describe them.

:class:`FloatText` is a floating-point number kept as the text a document wrote (the
readers of :mod:`egovplan.files` give floats so, and the converter quotes the writer's
own digits when it refuses one); :func:`describe` and :func:`number_text` say what a
value is in a message. Both :mod:`egovplan.serialization` (which re-exports them) and
:mod:`egovplan.versions` use them, so they live below both.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from decimal import Decimal

__all__ = ["FloatText", "describe", "number_text"]


class FloatText:
    """A floating-point number as a document wrote it (``1.5``), kept as its text.

    The readers of :mod:`egovplan.files` return floats in this form, so that the
    converter can refuse them and quote the writer's own digits in the message. It is
    neither a number nor a ``str``.

    >>> FloatText("84.10")
    FloatText('84.10')
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"FloatText({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FloatText) and other.text == self.text

    def __hash__(self) -> int:
        return hash(("FloatText", self.text))


def number_text(value: object) -> str:
    """A number as messages show it; a long one shortened (``123456789012…7890``)."""
    if isinstance(value, FloatText):
        text = value.text
    elif isinstance(value, int) and abs(value) >= 10**24:
        return _scientific(value)
    elif isinstance(value, float):
        text = repr(value)
    else:
        text = str(value)
    return text if len(text) <= 24 else f"{text[:12]}…{text[-4:]}"


def _scientific(value: int) -> str:
    """A huge integer in 7 significant digits (``2.509881E+24082``).

    In time linear in its length: ``str()`` of it is refused, and a conversion to
    ``Decimal`` takes a time that grows with the square of its length.
    """
    shift = max(abs(value).bit_length() - 64, 0)
    exponent_10 = math.log10(abs(value) >> shift) + shift * math.log10(2)
    exponent = math.floor(exponent_10)
    mantissa = 10 ** (exponent_10 - exponent)
    if f"{mantissa:.6f}" == "10.000000":
        mantissa, exponent = 1.0, exponent + 1
    return f"{'-' if value < 0 else ''}{mantissa:.6f}E+{exponent}"


def describe(value: object) -> str:
    """A value as a problem message names it: ``the text '2025'``, ``the number 1.5``.

    >>> describe("2025"), describe(FloatText("1.5")), describe(None), describe([1])
    ("the text '2025'", 'the number 1.5', 'nothing (null)', 'a list')
    """
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, FloatText | int | float | Decimal):
        return f"the number {number_text(value)}"
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return f"the text {text!r}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return f"a {type(value).__name__}"
