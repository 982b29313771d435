"""Every rendering method takes ``locale`` the same way: keyword-only, default None.

The methods are found, not listed: each public class of every egovplan module, each of
its rendering methods (inherited ones too) that takes a locale.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import egovplan

RENDERING = (
    "to_text",
    "to_markdown",
    "to_html",
    "to_csv",
    "to_json",
    "to_dict",
    "to_records",
    "to_pandas",
    "to_table",
    "render",
)


def _rendering_methods() -> list[tuple[str, inspect.Signature]]:
    found = []
    for info in pkgutil.iter_modules(egovplan.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"egovplan.{info.name}")
        for name, cls in sorted(vars(module).items()):
            if name.startswith("_") or not isinstance(cls, type):
                continue
            if cls.__module__ != module.__name__:
                continue
            for method in RENDERING:
                function = getattr(cls, method, None)
                if callable(function):
                    signature = inspect.signature(function)
                    if "locale" in signature.parameters:
                        found.append((f"{name}.{method}", signature))
    return found


def test_locale_is_keyword_only_with_the_same_default_everywhere() -> None:
    methods = _rendering_methods()
    names = {name for name, _ in methods}
    assert {"Breakdown.to_text", "Pivot.render", "RankTable.to_text", "RankTable.render"} <= names
    wrong = {
        name: str(signature)
        for name, signature in methods
        if signature.parameters["locale"].kind is not inspect.Parameter.KEYWORD_ONLY
        or signature.parameters["locale"].default is not None
    }
    assert wrong == {}


def test_plan_and_funding_breakdown_take_the_options_of_breakdown() -> None:
    # Typed, not **options: a misspelt option is an error a type checker sees.
    from egovplan.breakdowns import breakdown
    from egovplan.funding import Funding
    from egovplan.plan import Plan

    expected = list(inspect.signature(breakdown).parameters.values())[1:]
    for method in (Plan.breakdown, Funding.breakdown):
        parameters = list(inspect.signature(method).parameters.values())[1:]
        assert all(p.kind is not inspect.Parameter.VAR_KEYWORD for p in parameters)
        assert [(p.name, p.kind, p.default) for p in parameters] == [
            (p.name, p.kind, p.default) for p in expected
        ]
