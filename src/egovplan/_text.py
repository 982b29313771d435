"""Text helpers shared by the parsers: NFC, look-alike letters, quoting text in messages.

Every parser of egovplan (dates, periods, document references, amounts, number words,
ranks) reads text through :func:`normalize` or :func:`nfc`, and quotes what it cannot read
through :func:`shown`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, Final

__all__ = [
    "alternatives",
    "alternatives_in",
    "compiled",
    "has_surrogate",
    "nfc",
    "normalize",
    "shown",
    "strip_accents",
]

_LOOKALIKES: Final = str.maketrans(
    {
        "\u00d0": "\u0110",  # Ð (Icelandic eth) -> Đ
        "\u00f0": "\u0111",  # ð -> đ
        "\u0189": "\u0110",  # Ɖ (African D) -> Đ
        "\u0256": "\u0111",  # ɖ -> đ
        "\u00a0": " ",
        "\u202f": " ",
        "\u2007": " ",
    }
)
_DASHES: Final = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
_SPACES: Final = re.compile(r"\s+")

#: The byte order mark, which starts text decoded as ``"utf-8"`` from a file saved with one.
_BOM: Final = "\ufeff"


def nfc(text: str) -> str:
    r"""``text`` in Unicode NFC, without a leading byte order mark (shared by the parsers).

    >>> nfc("\ufeffQuy\u0301") == "Quý"
    True
    """
    return unicodedata.normalize("NFC", text.removeprefix(_BOM))


#: Text longer than this is shortened when an error message quotes it.
_SHOWN: Final = 100


def shown(text: str) -> str:
    """``repr(text)`` for an error message, shortened when ``text`` is long.

    >>> shown("Quý V/2018")
    "'Quý V/2018'"
    >>> shown("1" * 1000)
    "'111...111'... (1000 characters)"
    """
    if len(text) <= _SHOWN:
        return repr(text)
    return f"{text[: _SHOWN - 20]!r}... ({len(text)} characters)"


def normalize(text: str, *, dashes: bool = True) -> str:
    """``text`` in NFC (:func:`nfc`), look-alike letters and dashes unified, spaces collapsed.

    >>> normalize("  Quy\u0301 II\u2013III  ")
    'Quý II-III'
    """
    text = nfc(text).translate(_LOOKALIKES)
    if dashes:
        text = text.translate(_DASHES)
    return _SPACES.sub(" ", text).strip()


def alternatives(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any whitespace."""
    ordered = sorted({w.casefold() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def alternatives_in(tables: Mapping[str, Mapping[str, Sequence[str]]], key: str) -> str:
    """:func:`alternatives` of the words every locale's table lists under ``key``.

    >>> alternatives_in({"vi": {"to": ["đến"]}, "en": {"to": ["to", "until"]}}, "to")
    'until|đến|to'
    """
    return alternatives([w for table in tables.values() for w in table.get(key, [])])


@functools.cache
def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``pattern`` compiled on first use, then kept (the same object at every call).

    For the regexes that loading or validating a plan rarely or never needs: their
    module keeps the pattern's text, and a fresh process compiles only those a task
    uses (compiling a regex costs a fraction of a millisecond, a few dozen of them a
    noticeable share of start-up).

    >>> year = compiled(r"[0-9]{4}")
    >>> year.fullmatch("2018") is not None, compiled(r"[0-9]{4}") is year
    (True, True)
    """
    return re.compile(pattern, flags)


def strip_accents(word: str) -> str:
    """``word`` without its accents, ``đ`` read as ``d``: how a near-miss is recognised.

    >>> strip_accents("Đồng"), strip_accents("tỷ")
    ('Dong', 'ty')
    """
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def has_surrogate(value: Any) -> bool:
    r"""Whether ``value`` is a ``str`` holding an unpaired surrogate (not Unicode text).

    >>> has_surrogate("\ud800"), has_surrogate("Quý"), has_surrogate(1)
    (True, False, False)
    """
    return isinstance(value, str) and _SURROGATE.search(value) is not None
