"""Text in several languages: an immutable locale → text mapping.

Every name and kind in egovplan carries :class:`Labels`, usually Vietnamese and English.
A :class:`Labels` is a read-only :class:`~collections.abc.Mapping`; it is hashable and
compares equal to any mapping with the same entries.

>>> names = Labels({"vi": "Sở Tài chính", "en": "Department of Finance"})
>>> names["vi"], names.get("en"), str(names)
('Sở Tài chính', 'Department of Finance', 'Sở Tài chính')
>>> names.get("fr")  # falls back: English first, then the first label
'Department of Finance'
>>> names == {"en": "Department of Finance", "vi": "Sở Tài chính"}
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final, TypeVar, overload

from egovplan._data import locale_tag
from egovplan.errors import FieldTypeError, FieldValueError, UnknownReferenceError

__all__ = ["FALLBACK_LOCALE", "Labels", "localized"]

_T = TypeVar("_T")

#: The locale :meth:`Labels.get` tries when the requested one (and its language) is missing.
FALLBACK_LOCALE: Final = "en"


def _language(locale: str) -> str:
    """The language part of a locale tag: ``"vi_VN"`` and ``"vi-VN"`` give ``"vi"``."""
    for separator in ("_", "-"):
        if separator in locale:
            return locale.split(separator, 1)[0]
    return locale


class Labels(Mapping[str, str]):
    """An immutable mapping from locale (``"vi"``, ``"en"``) to text.

    Args:
        labels: a mapping or an iterable of ``(locale, text)`` pairs; the order given is
            kept and the first entry is the one :func:`str` shows.
        **more: further ``locale=text`` entries (``Labels(vi="…", en="…")``).

    Raises:
        FieldTypeError: ``labels`` is not a mapping or pairs, or a locale or a text is not
            a ``str``.
        FieldValueError: a locale is empty or given twice, or a text is empty.

    >>> Labels(vi="chủ trì", en="lead")
    Labels({'vi': 'chủ trì', 'en': 'lead'})
    >>> Labels({"vi": ""})
    Traceback (most recent call last):
    ...
    egovplan.errors.FieldValueError: label for locale 'vi' is empty
    """

    __slots__ = ("_hash", "_items")

    _items: dict[str, str]
    _hash: int | None

    def __init__(
        self, labels: Mapping[str, str] | Iterable[tuple[str, str]] = (), /, **more: str
    ) -> None:
        if isinstance(labels, str | bytes):
            raise FieldTypeError("Labels needs a mapping of locale to text, not a str")
        if isinstance(labels, Mapping):
            pairs: Iterable[Any] = labels.items()
        elif isinstance(labels, Iterable):
            pairs = labels
        else:
            raise FieldTypeError(
                f"Labels needs a mapping of locale to text, not {type(labels).__name__}"
            )
        items: dict[str, str] = {}
        for pair in (*pairs, *more.items()):
            try:
                locale, text = pair
            except (TypeError, ValueError):
                raise FieldTypeError(
                    f"Labels needs (locale, text) pairs, got {type(pair).__name__}"
                ) from None
            if not isinstance(locale, str) or not isinstance(text, str):
                raise FieldTypeError(
                    f"a label needs a str locale and str text, got"
                    f" {type(locale).__name__} and {type(text).__name__}"
                )
            if not locale:
                raise FieldValueError("a label's locale is empty")
            if not text:
                raise FieldValueError(f"label for locale {locale!r} is empty")
            if locale in items:
                raise FieldValueError(f"locale {locale!r} is given twice")
            items[locale] = text
        object.__setattr__(self, "_items", items)
        object.__setattr__(self, "_hash", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Labels are immutable; use .with_label() or .merged()")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Labels are immutable")

    def __getitem__(self, locale: str) -> str:
        try:
            return self._items[locale]
        except (KeyError, TypeError):
            known = ", ".join(self._items) or "none"
            raise UnknownReferenceError(
                f"Labels has no label for locale {locale!r}; it has: {known}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, locale: object) -> bool:
        return isinstance(locale, str) and locale in self._items

    @overload
    def get(self, locale: str, /) -> str | None: ...
    @overload
    def get(self, locale: str, default: str, /) -> str: ...
    @overload
    def get(self, locale: str, default: _T, /) -> str | _T: ...
    def get(self, locale: str, default: object = None, /) -> object:
        """The text for ``locale``, falling back to a related or a known locale.

        Tries ``locale`` itself, then its language (``"vi"`` for ``"vi_VN"``), then
        :data:`FALLBACK_LOCALE`, then the first label. Only when there are no labels at
        all is ``default`` returned. (Indexing, ``labels[locale]``, does not fall back.)

        >>> Labels(vi="Sở Nội vụ", en="Department of Home Affairs").get("vi_VN")
        'Sở Nội vụ'
        >>> Labels(vi="Sở Nội vụ").get("en")
        'Sở Nội vụ'
        >>> Labels().get("en", "?")
        '?'
        """
        locale_tag(locale)
        items = self._items
        if locale in items:
            return items[locale]
        language = _language(locale)
        if language in items:
            return items[language]
        if FALLBACK_LOCALE in items:
            return items[FALLBACK_LOCALE]
        for text in items.values():
            return text
        return default

    def text(self, locale: str) -> str:
        """Like :meth:`get`, but an empty :class:`Labels` gives ``""`` rather than ``None``.

        >>> Labels(en="Plan").text("vi"), Labels().text("vi")
        ('Plan', '')
        """
        return self.get(locale, "")

    @property
    def locales(self) -> tuple[str, ...]:
        """The locales that have a label, in order."""
        return tuple(self._items)

    def with_label(self, locale: str, text: str) -> Labels:
        """A copy with ``locale`` set to ``text`` (replacing any label it had).

        >>> Labels(vi="Kế hoạch").with_label("en", "Plan")
        Labels({'vi': 'Kế hoạch', 'en': 'Plan'})
        """
        return Labels({**self._items, locale: text})

    def merged(self, other: Mapping[str, str]) -> Labels:
        """A copy with every label of ``other`` added, ``other`` winning on conflicts.

        >>> Labels(vi="a", en="b").merged({"en": "c", "fr": "d"})
        Labels({'vi': 'a', 'en': 'c', 'fr': 'd'})
        """
        if not isinstance(other, Mapping):
            raise FieldTypeError(
                f"Labels.merged() needs a mapping of locale to text, not {type(other).__name__}"
            )
        return Labels({**self._items, **other})

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Labels):
            return self._items == other._items
        if isinstance(other, Mapping):
            return self._items == dict(other.items())
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        cached = self._hash
        if cached is None:
            cached = hash(frozenset(self._items.items()))
            object.__setattr__(self, "_hash", cached)
        return cached

    def __repr__(self) -> str:
        return f"Labels({self._items!r})"

    def __str__(self) -> str:
        return next(iter(self._items.values()), "")

    def __reduce__(self) -> tuple[type[Labels], tuple[dict[str, str]]]:
        return (Labels, (dict(self._items),))


def localized(text: str | Labels, locale: str) -> str:
    """The text of a field that holds text in one language or in several, in ``locale``.

    A plain ``str`` is in the document's language and is returned as it is; a
    :class:`Labels` gives :meth:`Labels.text` of ``locale`` (with its fallbacks).

    >>> localized("Chính quyền số", "en")
    'Chính quyền số'
    >>> localized(Labels(vi="Chính quyền số", en="Digital government"), "en")
    'Digital government'
    """
    if isinstance(text, Labels):
        return text.text(locale)
    return text
