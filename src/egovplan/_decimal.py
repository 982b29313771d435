"""egovplan's own :mod:`decimal` context, in which all its Decimal work runs.

A caller may set any context for its own work (``decimal.getcontext().prec = 3``, a small
``Emax``, traps on ``Inexact``): egovplan's results must not change with it. Arithmetic
that needs a precision of its own passes a context made by :func:`context` (every field
given, nothing taken from ``decimal.DefaultContext``, which a caller may change too); the
public functions and methods that format, render or compute run under
:data:`CONTEXT` (:func:`in_own_context`, :func:`methods_in_own_context`), so that what
they do without naming a context (``str()`` of a Decimal, babel's number formatting,
``+`` of two Decimals) does not depend on the caller either.

>>> import decimal
>>> from decimal import Decimal
>>> @in_own_context
... def third() -> Decimal:
...     return Decimal(1) / 3
>>> with decimal.localcontext(decimal.Context(prec=3)):
...     third()
Decimal('0.3333333333333333333333333333')
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DecimalException,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    getcontext,
    localcontext,
)
from typing import Any, Final, TypeVar

__all__ = ["CONTEXT", "context", "in_own_context", "methods_in_own_context", "text"]

_F = TypeVar("_F", bound=Callable[..., Any])
_T = TypeVar("_T", bound=type)

#: The signals egovplan's contexts trap unless told otherwise (Python's default ones).
_TRAPS: Final = (InvalidOperation, DivisionByZero, Overflow)


def context(
    prec: int = 28,
    *,
    rounding: str = ROUND_HALF_EVEN,
    traps: Iterable[type[DecimalException]] = _TRAPS,
    wide: bool = False,
) -> Context:
    """A context with every field given: ``prec`` digits, ``rounding``, ``traps``.

    The exponent range is Python's default (``Emax`` 999999), or with ``wide`` the
    largest there is; ``capitals`` is 1 (``1E+3``), ``clamp`` 0 and no flag is set.

    >>> context(100).prec, context().Emax, context(wide=True).Emax == MAX_EMAX
    (100, 999999, True)
    """
    return Context(
        prec=prec,
        rounding=rounding,
        Emin=MIN_EMIN if wide else -999999,
        Emax=MAX_EMAX if wide else 999999,
        capitals=1,
        clamp=0,
        flags=[],
        traps=list(traps),
    )


#: The context egovplan's public functions run in: Python's default context, as it is
#: when nobody has changed it.
CONTEXT: Final = context()


def in_own_context(function: _F) -> _F:
    """``function``, run in :data:`CONTEXT` whatever the caller's context.

    The caller's context is restored afterwards, even when ``function`` raises.
    Not for generator functions: a context set in a generator would reach the caller
    between its items.
    """
    assert not inspect.isgeneratorfunction(function), function.__qualname__

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        with localcontext(CONTEXT):
            return function(*args, **kwargs)

    return run  # type: ignore[return-value]


#: The special methods :func:`methods_in_own_context` wraps: those that write text.
_TEXT_METHODS: Final = frozenset({"__str__", "__format__", "__repr__"})


def methods_in_own_context(cls: _T) -> _T:
    """``cls`` with its public methods and properties (and ``__str__``, ``__format__``,
    ``__repr__``) run in :data:`CONTEXT` (:func:`in_own_context`).

    Generator methods are left as they are; apply this to a class after ``attrs`` has
    made it (above ``@attrs.define`` or ``@attrs.frozen``).
    """  # noqa: D205
    for name, value in list(vars(cls).items()):
        if name.startswith("_") and name not in _TEXT_METHODS:
            continue
        if inspect.isfunction(value) and not inspect.isgeneratorfunction(value):
            setattr(cls, name, in_own_context(value))
        elif isinstance(value, property) and value.fget is not None:
            setattr(cls, name, property(in_own_context(value.fget), value.fset, value.fdel))
        elif isinstance(value, classmethod | staticmethod):
            inner = value.__func__
            if not inspect.isgeneratorfunction(inner):
                setattr(cls, name, type(value)(in_own_context(inner)))
    return cls


def text(value: Decimal) -> str:
    """``str(value)`` as :data:`CONTEXT` writes it: ``1E+30``, even where the caller's
    context has ``capitals=0`` (the one field of a context that ``str()`` reads).

    >>> with localcontext(Context(capitals=0)):
    ...     str(Decimal("1E+30")), text(Decimal("1E+30"))
    ('1e+30', '1E+30')
    """  # noqa: D205
    if getcontext().capitals:
        return str(value)
    with localcontext(CONTEXT):
        return str(value)
