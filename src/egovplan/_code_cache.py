"""Generated code kept between processes, as Python keeps the bytecode of modules.

egovplan generates the functions that load and write each model (:mod:`egovplan._derive`).
Compiling their source is a large share of a fresh process's first load: for a plan like
the examples, some twenty functions and 50 kB of source, about a tenth of the time to the
first answer. :func:`code_of` keeps the code of each in the folder where Python keeps
this package's ``.pyc`` files, and a later process reads it back instead of compiling.

- A file's name comes from a checksum of the source; the file holds the source, the file
  name the code reports and the code, and is used only when both are the ones asked
  for and the code's checksum matches. Anything else (another source, a truncated or
  foreign file) is ignored and the source compiled as if there were no file.
- The key includes the Python version: each keeps its own files.
- Files are written as Python writes ``.pyc`` files: not when it writes none
  (``PYTHONDONTWRITEBYTECODE``, ``python -B``: ``sys.dont_write_bytecode``), in the
  folder ``sys.pycache_prefix`` names when set, never when that folder cannot be
  written, and atomically (a temporary file renamed over the target).
"""

from __future__ import annotations

import binascii
import contextlib
import marshal
import os
import sys
import types
from typing import Final

__all__ = ["code_of"]

#: What the key of a file adds to its source: the bytecode of one Python is not another's.
_VERSION: Final = f"{sys.implementation.cache_tag}\0{sys.version}\0"


def cache_folder() -> str:
    """The folder the code is kept in: this package's ``__pycache__``, as for its modules."""
    package = os.path.dirname(os.path.abspath(__file__))
    prefix = sys.pycache_prefix
    if prefix is not None:
        return os.path.join(prefix, package.lstrip(os.sep))
    return os.path.join(package, "__pycache__")


def code_of(source: str, filename: str) -> types.CodeType:
    """The code of ``source`` compiled (``"exec"``) as ``filename``: as an earlier process
    compiled it when its file is there and intact, else compiled now (and kept).
    """  # noqa: D205
    key = f"{_VERSION}{filename}\0{source}".encode("utf-8", "surrogatepass")
    name = f"egovplan-generated-{binascii.crc32(key):08x}-{len(key):x}.bin"
    path = os.path.join(cache_folder(), name)
    code = _read(path, source, filename)
    if code is None:
        code = compile(source, filename, "exec")
        if not sys.dont_write_bytecode:
            _write(path, source, filename, code)
    return code


def _read(path: str, source: str, filename: str) -> types.CodeType | None:
    try:
        with open(path, "rb") as file:
            kept = marshal.loads(file.read())
        kept_source, kept_filename, checksum, payload = kept
        if kept_source != source or kept_filename != filename:
            return None
        if binascii.crc32(payload) != checksum:
            return None
        code = marshal.loads(payload)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return code if isinstance(code, types.CodeType) else None


def _write(path: str, source: str, filename: str, code: types.CodeType) -> None:
    payload = marshal.dumps(code)
    data = marshal.dumps((source, filename, binascii.crc32(payload), payload))
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
