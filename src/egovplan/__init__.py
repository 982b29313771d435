"""egovplan: typed models, validation and exact budget arithmetic for e-government plans.

The public API is re-exported here and loaded lazily: ``import egovplan`` is cheap, and a
name's module is imported the first time the name is used.

>>> import egovplan
>>> egovplan.Money("901000000000", "VND").currency
'VND'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from egovplan._version import __version__

if TYPE_CHECKING:
    from egovplan.allocation import AllocationError as AllocationError
    from egovplan.allocation import allocate_units as allocate_units
    from egovplan.allocation import shares as shares
    from egovplan.errors import CurrencyMismatchError as CurrencyMismatchError
    from egovplan.errors import EgovplanError as EgovplanError
    from egovplan.errors import LoadError as LoadError
    from egovplan.errors import ParseError as ParseError
    from egovplan.errors import UnknownReferenceError as UnknownReferenceError
    from egovplan.money import Money as Money
    from egovplan.period import Period as Period
    from egovplan.period import Quarter as Quarter

#: Public name -> the module that defines it. Kept in step with the TYPE_CHECKING block
#: above by tests/test_api.py.
_EXPORTS: dict[str, str] = {
    "AllocationError": "egovplan.allocation",
    "allocate_units": "egovplan.allocation",
    "shares": "egovplan.allocation",
    "CurrencyMismatchError": "egovplan.errors",
    "EgovplanError": "egovplan.errors",
    "LoadError": "egovplan.errors",
    "ParseError": "egovplan.errors",
    "UnknownReferenceError": "egovplan.errors",
    "Money": "egovplan.money",
    "Period": "egovplan.period",
    "Quarter": "egovplan.period",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'egovplan' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
