"""The exceptions egovplan raises.

Every error egovplan raises on purpose derives from :class:`EgovplanError` *and* from the
builtin exception a caller would expect (``ValueError``, ``TypeError``, ``KeyError``), so
both ``except egovplan.EgovplanError`` and ``except ValueError`` work.

>>> from egovplan.errors import EgovplanError, ParseError
>>> issubclass(ParseError, EgovplanError) and issubclass(ParseError, ValueError)
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

__all__ = [
    "CurrencyMismatchError",
    "EgovplanError",
    "FieldTypeError",
    "FieldValueError",
    "LoadError",
    "MissingDependencyError",
    "ParseError",
    "Problem",
    "UnknownReferenceError",
    "WriteError",
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


class FieldTypeError(EgovplanError, TypeError):
    """A model field (or a function's argument) was given a value of the wrong type.

    The message names the field or the argument.

    >>> from egovplan import Agency
    >>> Agency(id="stttt", names=["Sở TT&TT"])
    Traceback (most recent call last):
    ...
    egovplan.errors.FieldTypeError: Agency.names must be Labels, not list (['Sở TT&TT'])
    """


class FieldValueError(EgovplanError, ValueError):
    """A model field (or a setting) was given an impossible value; the message names it."""


class MissingDependencyError(EgovplanError, ImportError):
    """An optional extra is needed and not installed; the message says which to install."""


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


class WriteError(EgovplanError, OSError):
    """A file could not be written; the target was left as it was.

    Raised by egovplan's writers for what they find wrong themselves (the target is a
    directory); a failure of the operating system (a full disk, no permission) comes as
    the ``OSError`` it raised. Catch ``OSError`` for both.

    >>> import errno
    >>> error = WriteError(errno.EISDIR, "is a directory, not a file", "plans")
    >>> isinstance(error, OSError), error.filename
    (True, 'plans')
    """


class UnknownReferenceError(EgovplanError, KeyError):
    """An id was looked up and nothing has it.

    ``str()`` gives the plain message (``KeyError`` would add quotes).
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class Problem:
    """One problem found while loading a plan: where it is, and what is wrong.

    Attributes:
        path: the place inside the document, as the file's keys and ``[index]`` for list
            items (``funding.sources[1].amount``); ``""`` is the document itself.
        message: what is wrong, without the path.
        line: the 1-based line in the file, when known.
        column: the 1-based column in the file, when known.

    Iterating a problem gives ``(path, message)``, so ``dict(error.problems)`` maps paths
    to messages.

    >>> problem = Problem("funding.total", "write 1.5 as text", line=12, column=10)
    >>> str(problem)
    'funding.total (line 12, column 10): write 1.5 as text'
    >>> path, message = problem
    >>> path
    'funding.total'
    """

    __slots__ = ("column", "line", "message", "path")

    def __init__(
        self, path: str, message: str, *, line: int | None = None, column: int | None = None
    ) -> None:
        set_ = object.__setattr__
        set_(self, "path", path)
        set_(self, "message", message)
        set_(self, "line", line)
        set_(self, "column", column)

    path: str
    message: str
    line: int | None
    column: int | None

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Problem is immutable; cannot set {name!r}")

    def where(self) -> str:
        """The path and the position: ``"funding.total (line 12, column 10)"``.

        ``""`` for a problem with the whole document and no position.
        """
        if self.line is None:
            position = ""
        elif self.column is None:
            position = f"line {self.line}"
        else:
            position = f"line {self.line}, column {self.column}"
        if self.path and position:
            return f"{self.path} ({position})"
        return self.path or position

    def __iter__(self) -> Iterator[str]:
        return iter((self.path, self.message))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return (self.path, self.message, self.line, self.column) == (
            other.path,
            other.message,
            other.line,
            other.column,
        )

    def __hash__(self) -> int:
        return hash((self.path, self.message, self.line, self.column))

    def __repr__(self) -> str:
        return (
            f"Problem({self.path!r}, {self.message!r}, line={self.line!r}, column={self.column!r})"
        )

    def __str__(self) -> str:
        place = self.where()
        return f"{place}: {self.message}" if place else self.message


def _problem(item: Problem | tuple[str, str]) -> Problem:
    if isinstance(item, Problem):
        return item
    path, message = item
    return Problem(path, message)


class LoadError(EgovplanError, ValueError):
    """A plan file (or text) could not be loaded.

    Attributes:
        problems: each :class:`Problem` found (path inside the document, message, and
            line and column when known); loading reports them all at once. ``(path,
            message)`` pairs may be given and are turned into problems.
        source: the file name, or ``"<text>"``.

    >>> error = LoadError("plan.yaml: 1 problem", source="plan.yaml",
    ...                   problems=[("period", "expected text")])
    >>> error.problems
    (Problem('period', 'expected text', line=None, column=None),)
    >>> dict(error.problems)
    {'period': 'expected text'}
    """

    def __init__(
        self,
        message: str,
        *,
        source: str = "<text>",
        problems: Iterable[Problem | tuple[str, str]] = (),
    ) -> None:
        super().__init__(message)
        self.source = source
        self.problems: tuple[Problem, ...] = tuple(_problem(p) for p in problems)

    @classmethod
    def from_problems(cls, source: str, problems: Iterable[Problem | tuple[str, str]]) -> LoadError:
        """The error for ``problems`` found in ``source``, its message naming the first.

        >>> print(LoadError.from_problems("plan.json", [Problem("id", "expected text", line=2),
        ...                                              Problem("period", "expected text")]))
        plan.json: id (line 2): expected text (and 1 more problem)
        """
        found = tuple(_problem(p) for p in problems)
        if not found:
            return cls(f"{source}: cannot be loaded", source=source)
        message = f"{source}: {found[0]}"
        more = len(found) - 1
        if more:
            message += f" (and {more} more problem{'s' if more > 1 else ''})"
        return cls(message, source=source, problems=found)
