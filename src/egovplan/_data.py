"""egovplan's data files (``src/egovplan/data/``): one reader, one cache, one locale rule.

Vocabularies, catalogues, frameworks, messages and frozen schemas are data files, not
code. Every module reads them here: :func:`data_text` gives a file's text,
:func:`load_data` its parsed content (TOML, read once and cached, read-only), and
:func:`data_names` the files of a folder. Words in several languages are looked up
with one fallback rule, :func:`pick_locale`: the locale itself, then its language, then
English.

>>> load_data("breakdown.toml")["words"]["en"]["planned"]
'Planned'
>>> pick_locale({"vi": "Tổng cộng", "en": "Total"}, "vi_VN")
'Tổng cộng'
>>> pick_locale({"vi": "Tổng cộng", "en": "Total"}, "fr")
'Total'
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, TypeVar

from egovplan._pycache import toml_of
from egovplan.errors import FieldTypeError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = [
    "FALLBACK_LOCALE",
    "data_file",
    "data_names",
    "data_text",
    "language_of",
    "load_data",
    "pick_locale",
]

#: The locale words fall back to when neither a locale nor its language has them.
FALLBACK_LOCALE: Final = "en"

_T = TypeVar("_T")


def data_file(name: str) -> Traversable:
    """The data file ``name``: a path under ``data/`` with ``/`` between folders."""
    return _data_folder().joinpath(*name.split("/"))


@functools.cache
def _data_folder() -> Traversable:
    """``data/``: the folder on disk when the package is a folder, else a resource.

    An installed package is a folder; one imported from a zip file is read through
    :mod:`importlib.resources`. The folder on disk spares the first read that module and
    what it imports (``zipfile``, ``tempfile``...): about 13 ms of a fresh process.
    """
    folder = Path(__file__).parent / "data"
    if folder.is_dir():
        return folder
    from importlib import resources

    return resources.files("egovplan").joinpath("data")


def data_text(name: str) -> str:
    """The text of the data file ``name`` (UTF-8), read anew at each call.

    >>> data_text("units.txt").startswith("#")
    True
    """
    return data_file(name).read_text(encoding="utf-8")


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({key: _frozen(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    return value


@functools.cache
def load_data(name: str) -> Mapping[str, Any]:
    """The TOML data file ``name``, parsed once and then cached.

    Tables are read-only mappings, arrays tuples, and numbers with a fraction
    ``Decimal`` (never ``float``), so what one caller reads no other can change. The
    parsed document is kept for later processes (:func:`egovplan._pycache.toml_of`).
    """
    return _frozen(toml_of(data_text(name), name))  # type: ignore[no-any-return]


@functools.cache
def data_names(folder: str, suffix: str = ".toml") -> tuple[str, ...]:
    """The names (without ``suffix``) of the data files in ``folder``, sorted.

    >>> data_names("messages")
    ('en', 'vi')
    """
    return tuple(
        sorted(
            entry.name.removesuffix(suffix)
            for entry in data_file(folder).iterdir()
            if entry.name.endswith(suffix)
        )
    )


def locale_tag(locale: object) -> str:
    """``locale`` if it is a str; every function taking a locale tag checks it here.

    Raises:
        FieldTypeError: ``locale`` is not a str.
    """
    if not isinstance(locale, str):
        raise FieldTypeError(f"locale must be a str like 'vi' or 'en', not {type(locale).__name__}")
    return locale


def language_of(locale: str) -> str:
    """The language of a locale tag, in lower case: ``"vi"`` for ``"vi_VN"`` or ``"VI-vn"``.

    >>> language_of("vi-VN"), language_of("en"), language_of("VI_vn")
    ('vi', 'en', 'vi')
    """
    return locale.replace("-", "_").split("_", 1)[0].lower()


def pick_locale(table: Mapping[str, _T], locale: str) -> _T:
    """``table``'s entry for ``locale``, else for its language, else for English.

    The one fallback rule of egovplan's words. Raises ``KeyError`` when the table has
    none of the three (every data file has English).
    """
    if locale in table:
        return table[locale]
    language = language_of(locale)
    if language in table:
        return table[language]
    return table[FALLBACK_LOCALE]
