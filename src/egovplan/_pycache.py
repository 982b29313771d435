"""What a fresh process would work out again, kept between processes as Python keeps ``.pyc`` files.

Some things cost a fresh process much more to make than to read back:

- the code egovplan generates to load and write each model (:mod:`egovplan._derive`):
  compiling its source was about a tenth of the first load of a plan like the examples
  (some twenty functions, 50 kB of source);
- the package's TOML data files (catalogues, messages, words): ``tomllib`` is written in
  Python, and parsing the files ``egovplan validate`` reads took about a tenth of its
  first answer;
- the CLDR plural rules of a locale (:mod:`egovplan._plurals`): babel reads them with the
  whole of the locale's data, about as long again for English.

:func:`code_of`, :func:`toml_of` and :func:`kept` keep what they make in the folder
where Python keeps this package's ``.pyc`` files, and a later process reads it back.

- A file's name comes from a checksum of its source (the generated code, the TOML text);
  the file holds the source, a name (the code's file name, the data file's name) and
  the value, and is used only when both are the ones asked for and the value's checksum
  matches. Anything else (another source, a truncated or foreign file) is ignored, and
  the value made as if there were no file.
- The key includes the Python version: each keeps its own files.
- Files are written as Python writes ``.pyc`` files: not when it writes none
  (``PYTHONDONTWRITEBYTECODE``, ``python -B``: ``sys.dont_write_bytecode``), in the
  folder ``sys.pycache_prefix`` names when set, never when that folder cannot be
  written, and atomically (a temporary file renamed over the target). A file whose
  source changed (another version of egovplan) is left there, unused, as an old ``.pyc``
  file is.
- Only what :mod:`marshal` writes is kept (code, and TOML of tables, arrays, text,
  integers and booleans); TOML with a number with a fraction (a ``Decimal``) or a date is
  parsed every time.
"""

from __future__ import annotations

import binascii
import contextlib
import marshal
import os
import sys
import types
from collections.abc import Callable
from typing import Any, Final, TypeVar

__all__ = ["cache_folder", "code_of", "kept", "toml_of"]

#: What the key of a file adds to its source: the bytecode of one Python is not another's.
_VERSION: Final = f"{sys.implementation.cache_tag}\0{sys.version}\0"

#: This package's folder.
_PACKAGE: Final = os.path.dirname(os.path.abspath(__file__))

_T = TypeVar("_T")


def cache_folder() -> str:
    """The folder the values are kept in: this package's ``__pycache__``, as for its modules."""
    prefix = sys.pycache_prefix
    if prefix is not None:
        return os.path.join(prefix, _PACKAGE.lstrip(os.sep))
    return os.path.join(_PACKAGE, "__pycache__")


def code_of(source: str, filename: str) -> types.CodeType:
    """The code of ``source`` compiled (``"exec"``) as ``filename``."""
    code = kept("code", source, filename, lambda: compile(source, filename, "exec"))
    return code if isinstance(code, types.CodeType) else compile(source, filename, "exec")


def toml_of(text: str, name: str) -> dict[str, Any]:
    """The TOML document ``text`` (the data file ``name``), numbers with a fraction as
    ``Decimal``: a new copy at each call, as ``tomllib.loads`` gives.
    """  # noqa: D205

    def parse() -> dict[str, Any]:
        import tomllib
        from decimal import Decimal

        return tomllib.loads(text, parse_float=Decimal)

    document = kept("toml", text, name, parse)
    return document if isinstance(document, dict) else parse()


def kept(kind: str, source: str, name: str, make: Callable[[], _T]) -> _T | Any:
    """``make()``, or what it gave an earlier process for the same ``source`` and ``name``.

    ``kind`` keeps values of different makers apart; ``source`` is what the value is
    made from (or a text naming it, with a version); a value :mod:`marshal` cannot write
    is made every time, as is None.
    """
    key = f"{_VERSION}{kind}\0{name}\0{source}".encode("utf-8", "surrogatepass")
    path = os.path.join(
        cache_folder(), f"egovplan-{kind}-{binascii.crc32(key):08x}-{len(key):x}.bin"
    )
    found = _read(path, source, name)
    if found is not None:
        return found
    value = make()
    if value is not None and not sys.dont_write_bytecode:
        _write(path, source, name, value)
    return value


def _read(path: str, source: str, name: str) -> Any:
    try:
        with open(path, "rb") as file:
            kept_source, kept_name, checksum, payload = marshal.loads(file.read())
        if kept_source != source or kept_name != name:
            return None
        if binascii.crc32(payload) != checksum:
            return None
        return marshal.loads(payload)
    except (OSError, ValueError, EOFError, TypeError):
        return None


def _write(path: str, source: str, name: str, value: Any) -> None:
    try:
        payload = marshal.dumps(value)
    except ValueError:  # (a Decimal, a date: not kept)
        return
    data = marshal.dumps((source, name, binascii.crc32(payload), payload))
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
