r"""Ids that look alike: invisible characters, mixed scripts, and the differences between
two ids that a reader cannot see (for rules EGP102, EGP106, EGP107 and EGP108).

The look-alike letters and the scripts written together are data
(``data/lookalike.toml``).

>>> skeleton("stttt") == skeleton("ѕtttt") == skeleton("STT\u200bTT")
True
>>> invisible_at("a\u200bb"), mixed_scripts("sоf"), mixed_scripts("東京-tokyo")
(1, ('LATIN', 'CYRILLIC'), ())
>>> differences("sở-tt", unicodedata.normalize("NFD", "sở-tt"))
('normal_form',)
"""  # noqa: D205

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping
from typing import Any, Final

from egovplan._data import load_data

__all__ = [
    "char_name",
    "differences",
    "first_of",
    "invisible_at",
    "mixed_scripts",
    "skeleton",
]

#: Differences between two ids, in the order messages name them (keys of ``[terms]``
#: in the message files are ``id_<difference>``).
_ORDER: Final = ("invisible", "compatibility", "script", "case", "normal_form")


def _data() -> Mapping[str, Any]:
    return load_data("lookalike.toml")


@functools.cache
def _letters() -> dict[int, str]:
    return {ord(letter): latin for letter, latin in _data()["letters"].items()}


@functools.cache
def _invisible() -> frozenset[str]:
    return frozenset(_data()["invisible"])


@functools.cache
def _together() -> tuple[frozenset[str], ...]:
    return tuple(frozenset(scripts) for scripts in _data()["together"])


def _is_invisible(char: str) -> bool:
    return unicodedata.category(char) in ("Cf", "Cc") or char in _invisible()


def invisible_at(text: str) -> int | None:
    """The position of the first invisible, format or control character of ``text``."""
    if text.isascii():
        return next((i for i, c in enumerate(text) if not c.isprintable()), None)
    return next((i for i, c in enumerate(text) if _is_invisible(c)), None)


def _visible(text: str) -> str:
    return "".join(c for c in text if not _is_invisible(c))


def char_name(char: str) -> str:
    """``U+200B ZERO WIDTH SPACE``: a character as messages name it."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"


def _script(char: str) -> str | None:
    """The script of a letter (the first word of its Unicode name); None for others."""
    if not unicodedata.category(char).startswith("L"):
        return None
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else None


def mixed_scripts(text: str) -> tuple[str, ...]:
    """The scripts of ``text``'s letters, in order of appearance, when they are mixed.

    Empty when the letters are of one script, or of scripts written together
    (Latin with Chinese and Japanese, say).
    """
    if text.isascii():
        return ()
    scripts: dict[str, None] = {}
    for char in unicodedata.normalize("NFKC", text):
        script = _script(char)
        if script is not None:
            scripts.setdefault(script)
    if len(scripts) <= 1 or any(set(scripts) <= together for together in _together()):
        return ()
    return tuple(scripts)


def first_of(text: str, script: str) -> str:
    """The first letter of ``text`` in ``script``."""
    return next(c for c in unicodedata.normalize("NFKC", text) if _script(c) == script)


def skeleton(text: str) -> str:
    """What ``text`` looks like: invisible characters dropped, compatibility forms and
    case folded, look-alike letters of other scripts made Latin, in one normal form.
    """  # noqa: D205
    if text.isascii() and text.isprintable():
        return text.casefold()
    folded = unicodedata.normalize("NFKC", _visible(text)).casefold()
    return unicodedata.normalize("NFC", folded.translate(_letters()))


def differences(first: str, second: str) -> tuple[str, ...]:
    """How two different ids with the same :func:`skeleton` differ, as a reader cannot see.

    Some of ``invisible`` (characters that show nothing), ``compatibility`` (full-width
    letters, ligatures), ``script`` (look-alike letters of another script), ``case``
    (letter case) and ``normal_form`` (the same accented letter precomposed in one id,
    with combining marks in the other), in that order.
    """
    found: set[str] = set()
    a, b = _visible(first), _visible(second)
    if (a, b) != (first, second):
        found.add("invisible")
    ka, kb = unicodedata.normalize("NFKC", a), unicodedata.normalize("NFKC", b)
    if ka != unicodedata.normalize("NFC", a) or kb != unicodedata.normalize("NFC", b):
        found.add("compatibility")
    la, lb = ka.casefold(), kb.casefold()
    if la.translate(_letters()) != la or lb.translate(_letters()) != lb:
        found.add("script")
    if len(ka) == len(kb):
        if any(x.isupper() != y.isupper() for x, y in zip(ka, kb, strict=True)):
            found.add("case")
    elif ka != kb and la == lb:
        found.add("case")
    if (a == unicodedata.normalize("NFC", a)) != (b == unicodedata.normalize("NFC", b)):
        found.add("normal_form")
    if not found and first != second:
        found.add("normal_form")
    return tuple(name for name in _ORDER if name in found)
