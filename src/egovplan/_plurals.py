"""Plural forms: the CLDR category of a count (from babel's rules) and the form a table gives it.

Texts stay data: a message file gives, for each counted noun, one template per CLDR
category it needs (``{one = "{count} error", other = "{count} errors"}``; Vietnamese
needs only ``other``). This module only picks the form.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING

from egovplan._pycache import kept

if TYPE_CHECKING:
    from babel.plural import PluralRule


@functools.cache
def cldr_rule(locale: str, kind: str = "plural_form") -> PluralRule | None:
    """The CLDR plural (``"plural_form"``) or ordinal (``"ordinal_form"``) rule of ``locale``.

    The rule is babel's; None when babel does not know the locale. babel reads a rule with
    the whole of the locale's data (a tenth of a fresh ``egovplan validate`` in English,
    to write "1 error, 4 warnings"): the rule's text is kept between processes
    (:func:`egovplan._pycache.kept`, keyed by babel's version), and a later process
    builds the rule from it.

    >>> cldr_rule("en")(1), cldr_rule("en", "ordinal_form")(22), cldr_rule("xx") is None
    ('one', 'two', True)
    """
    import babel
    from babel.plural import PluralRule

    def read() -> dict[str, str] | None:
        try:
            return dict(getattr(babel.Locale.parse(locale), kind).rules)
        except (babel.UnknownLocaleError, ValueError, TypeError):
            return None

    rules = kept("cldr-rule", f"babel {babel.__version__} {kind}", locale, read)
    return None if rules is None else PluralRule(rules)


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
    rule = cldr_rule(locale.replace("-", "_"))
    if rule is None:
        return "other"
    return rule(count)


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
