"""The exceptions egovplan raises.

Every error egovplan raises on purpose derives from :class:`EgovplanError` *and* from the
builtin exception a caller would expect (``ValueError``, ``TypeError``, ``KeyError``), so
both ``except egovplan.EgovplanError`` and ``except ValueError`` work.

>>> from egovplan.errors import EgovplanError, ParseError
>>> issubclass(ParseError, EgovplanError) and issubclass(ParseError, ValueError)
True
"""

from __future__ import annotations

__all__ = [
    "CurrencyMismatchError",
    "EgovplanError",
    "LoadError",
    "ParseError",
    "UnknownReferenceError",
]


class EgovplanError(Exception):
    """Base class of every error egovplan raises on purpose."""


class CurrencyMismatchError(EgovplanError, ValueError):
    """Two amounts in different currencies were combined or compared.

    >>> from egovplan import Money
    >>> Money("1", "VND") + Money("1", "USD")
    Traceback (most recent call last):
    ...
    egovplan.errors.CurrencyMismatchError: cannot add VND and USD amounts; convert one first
    """


class ParseError(EgovplanError, ValueError):
    """Text could not be read as what it was supposed to be.

    Attributes:
        text: the text that was being read.
        position: index in ``text`` where reading failed, when known.
        suggestions: readings the caller may have meant, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        text: str = "",
        position: int | None = None,
        suggestions: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.text = text
        self.position = position
        self.suggestions = suggestions


class UnknownReferenceError(EgovplanError, KeyError):
    """An id was looked up and nothing has it.

    ``str()`` gives the plain message (``KeyError`` would add quotes).
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class LoadError(EgovplanError, ValueError):
    """A plan file (or text) could not be loaded.

    Attributes:
        problems: each problem found, as ``(path, message)`` with the path inside the
            document (``funding.sources[1].amount``); loading reports them all at once.
        source: the file name, or ``"<text>"``.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str = "<text>",
        problems: tuple[tuple[str, str], ...] = (),
    ) -> None:
        super().__init__(message)
        self.source = source
        self.problems = problems
