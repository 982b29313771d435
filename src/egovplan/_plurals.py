"""Plural forms: the CLDR category of a count (from babel) and the form a table gives it.

Texts stay data: a message file gives, for each counted noun, one template per CLDR
category it needs (``{one = "{count} error", other = "{count} errors"}``; Vietnamese
needs only ``other``). This module only picks the form.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping


@functools.lru_cache(maxsize=1024)
def plural_category(locale: str, count: int) -> str:
    """The CLDR plural category of ``count`` in ``locale`` (``"one"``, ``"other"``…).

    An unknown locale counts as ``"other"`` (every form table has that one). The
    categories are CLDR's, and move with babel's data: Vietnamese had only ``"other"``
    until babel 2.19 gave it a ``"one"`` for 0 and 1, which :func:`counted` writes with
    the ``"other"`` form of a table that has no ``"one"``.

    >>> plural_category("en", 1), plural_category("en", 2), plural_category("xx", 1)
    ('one', 'other', 'other')
    """
    from babel import Locale, UnknownLocaleError

    try:
        category: str = Locale.parse(locale.replace("-", "_")).plural_form(count)
    except (UnknownLocaleError, ValueError, TypeError):
        return "other"
    return category


def counted(forms: Mapping[str, str], locale: str, count: int) -> str:
    """``count`` written with the form ``forms`` gives its plural category in ``locale``.

    A category the table does not give takes its ``"other"`` form.

    >>> counted({"one": "{count} error", "other": "{count} errors"}, "en", 1)
    '1 error'
    >>> counted({"other": "{count} lỗi"}, "vi", 1)
    '1 lỗi'
    """
    form = forms.get(plural_category(locale, count)) or forms["other"]
    return form.format(count=count)
