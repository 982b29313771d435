"""How large a document egovplan agrees to read: :class:`Limits`.

Every reader of :mod:`egovplan.files` checks each limit before the work it protects
(``docs/security.md`` says where), and the converter of :mod:`egovplan.serialization`
checks the digits of numbers and the depth of nesting. ``egovplan.files.Limits`` is the
same class.

>>> Limits().max_depth, Limits.untrusted().max_depth
(64, 32)
"""

from __future__ import annotations

import attrs

from egovplan.errors import FieldTypeError, FieldValueError

__all__ = ["Limits"]


def _positive(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldTypeError(f"Limits.{attribute.name} must be int, not {type(value).__name__}")
    if value < 1:
        raise FieldValueError(f"Limits.{attribute.name} must be at least 1, not {value}")


@attrs.frozen(kw_only=True)
class Limits:
    """How large a document egovplan agrees to read.

    The defaults take plans with a million budget lines; for input from people you do
    not know, use :meth:`Limits.untrusted`; raise them for bigger plans. Each limit is
    checked before the work it protects (``docs/security.md`` says where).

    Attributes:
        max_bytes: the largest file (or text, in UTF-8 bytes) read; a file's size is
            checked before it is read.
        max_depth: the deepest nesting of mappings and lists (the document itself is
            level 1). The YAML reader checks it while reading; the JSON and TOML readers
            of Python refuse nesting beyond Python's recursion limit themselves (for
            JSON, egovplan then says where this limit was passed), and the converter
            refuses objectives nested deeper than this (the only part of a plan that
            nests without bound; any other nesting the format does not have is refused
            as a wrong type, without being walked).
        max_aliases: the most YAML aliases (``*name``) a document may use.
        max_items: the most values (each mapping, list, text, number…, a YAML alias
            counting as everything it stands for) in a document.
        max_digits: the most digits a number or an amount may have when written out in
            full (``1E+3`` has 4); integers of YAML are checked while reading, those of
            JSON and TOML (which Python converts while parsing, up to 4,300 digits)
            before conversion, and decimals and amounts before they are converted.

    >>> Limits(max_bytes=1_000_000).max_bytes
    1000000
    >>> Limits(max_depth=0)
    Traceback (most recent call last):
    ...
    egovplan.errors.FieldValueError: Limits.max_depth must be at least 1, not 0
    """

    max_bytes: int = attrs.field(default=256 * 1024 * 1024, validator=_positive)
    max_depth: int = attrs.field(default=64, validator=_positive)
    max_aliases: int = attrs.field(default=100, validator=_positive)
    max_items: int = attrs.field(default=20_000_000, validator=_positive)
    max_digits: int = attrs.field(default=100, validator=_positive)

    @classmethod
    def untrusted(cls) -> Limits:
        """Tighter limits for files from people you do not know (a web upload, an e-mail).

        16 MiB, 32 levels, 20 aliases, a million values, 40 digits: far more than any
        real plan needs (the largest plan of the examples is 60 KB), far less than what
        would keep a server busy.

        >>> Limits.untrusted().max_bytes
        16777216
        """
        return cls(
            max_bytes=16 * 1024 * 1024,
            max_depth=32,
            max_aliases=20,
            max_items=1_000_000,
            max_digits=40,
        )
