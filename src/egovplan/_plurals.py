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

    An unknown locale counts as ``"other"`` (every form table has that one).

    >>> plural_category("en", 1), plural_category("en", 2), plural_category("vi", 1)
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

    >>> counted({"one": "{count} error", "other": "{count} errors"}, "en", 1)
    '1 error'
    """
    form = forms.get(plural_category(locale, count)) or forms["other"]
    return form.format(count=count)
