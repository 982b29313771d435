"""Build helpers for egovplan's documentation site (used by ``mkdocs.yml``, not by the library).

This file is both a griffe extension (``EgovplanDocs``, for the API reference) and an MkDocs
hook module (``on_page_markdown``, for the pages).

egovplan's docstrings are written for ``help()``, doctest and ruff's google convention; three
things in them need help to render well as Markdown through mkdocstrings:

- ``attrs`` classes get their ``__init__`` from attrs at run time, so static analysis sees no
  signature: the extension builds one from the fields (keyword-only when the decorator says
  ``kw_only=True``, defaults from ``attrs.field(default=...)`` / ``factory=...``), which lets
  the ``Args:`` section of a model's docstring match a real signature.
- doctest examples written in the body of a docstring (outside an ``Examples:`` section)
  would be read as Markdown block quotes (``>>>``) and their ``[a][b]`` as links; they are
  wrapped in ``pycon`` fences.
- reStructuredText roles (``:class:`~egovplan.money.Money```) become optional cross-references
  (a link when the target is documented, plain code otherwise).
"""

from __future__ import annotations

import html
import re
from typing import Any

from griffe import (
    Alias,
    Class,
    Expr,
    ExprCall,
    Extension,
    Function,
    Module,
    Object,
    Parameter,
    ParameterKind,
    Parameters,
)

__all__ = ["EgovplanDocs", "fence_doctests", "on_page_markdown", "replace_roles"]

_ATTRS_DECORATORS = frozenset(
    f"{module}.{name}"
    for module in ("attrs", "attr")
    for name in ("frozen", "define", "mutable", "s", "attrs", "dataclass")
)
_FIELD_CALLS = frozenset({"attrs.field", "attr.field", "attr.ib", "attr.attrib"})
_ROLE = re.compile(
    r":(?:py:)?(?:class|func|meth|attr|data|exc|mod|obj|const|type):`(?P<tilde>~?)(?P<target>[^`]+)`"
)
_TITLED = re.compile(r"(?P<title>.*?)\s*<(?P<target>[^<>]+)>", re.DOTALL)


def _call_arguments(expr: object) -> dict[str, Any]:
    """Keyword arguments of a call expression, by name (values as griffe expressions)."""
    if not isinstance(expr, ExprCall):
        return {}
    found: dict[str, Any] = {}
    for argument in expr.arguments:
        name = getattr(argument, "name", None)
        if name:
            found[name] = argument.value
    return found


def _attrs_decorator(cls: Class) -> dict[str, Any] | None:
    """The keyword arguments of the class's attrs decorator, or None if it has none."""
    for decorator in cls.decorators:
        if decorator.callable_path in _ATTRS_DECORATORS:
            return _call_arguments(decorator.value)
    return None


def _fields(cls: Class, kw_only: bool) -> list[Parameter]:
    """The ``__init__`` parameters of one attrs class's own fields, in source order."""
    parameters = []
    for member in cls.members.values():
        if member.is_alias or not member.is_attribute:
            continue
        if member.annotation is None or "instance-attribute" not in member.labels:
            continue
        value = member.value
        field = _call_arguments(value) if _is_field_call(value) else None
        if field is not None and str(field.get("init")) == "False":
            continue
        default: str | Expr | None
        if field is None:
            default = value
        elif "default" in field:
            default = field["default"]
        elif "factory" in field:
            default = f"{field['factory']}()"
        else:
            default = None
        if field is not None and str(field.get("kw_only")) == "True":
            kind = ParameterKind.keyword_only
        else:
            kind = ParameterKind.keyword_only if kw_only else ParameterKind.positional_or_keyword
        name = str(field.get("alias")).strip("'\"") if field and "alias" in field else None
        parameters.append(
            Parameter(
                name or member.name.lstrip("_"),
                annotation=member.annotation,
                kind=kind,
                default=default,
                docstring=member.docstring,
            )
        )
    return parameters


def _is_field_call(value: object) -> bool:
    return isinstance(value, ExprCall) and value.function.canonical_path in _FIELD_CALLS


def _add_attrs_init(cls: Class) -> None:
    """Give an attrs class without an explicit ``__init__`` the one attrs generates."""
    options = _attrs_decorator(cls)
    if options is None or "__init__" in cls.members or str(options.get("init")) == "False":
        return
    kw_only = str(options.get("kw_only")) == "True"
    try:
        lineage = [base for base in reversed(cls.mro()) if _attrs_decorator(base) is not None]
    except ValueError:  # pragma: no cover - unresolvable bases
        lineage = []
    by_name: dict[str, Parameter] = {}
    for owner in [*lineage, cls]:
        for parameter in _fields(owner, kw_only):
            by_name[parameter.name] = parameter
    ordered = sorted(by_name.values(), key=lambda p: p.kind is ParameterKind.keyword_only)
    self_parameter = Parameter("self", kind=ParameterKind.positional_or_keyword)
    init = Function(
        "__init__",
        lineno=cls.lineno,
        endlineno=cls.lineno,
        parent=cls,
        parameters=Parameters(self_parameter, *ordered),
        returns="None",
    )
    cls.set_member("__init__", init)


def fence_doctests(text: str) -> str:
    """Wrap doctest examples that start at the left margin in ``pycon`` fences.

    An example runs from a ``>>>`` line at the left margin to the next blank line (as
    doctest reads it). Examples already inside a fence, and indented ones (in a section
    such as ``Examples:``, which griffe renders itself), are left alone.
    """
    out: list[str] = []
    in_fence = False
    in_example = False
    for line in text.split("\n"):
        if in_example and not line.strip():
            out.append("```")
            in_example = False
        elif not in_example and not in_fence and line.startswith(">>>"):
            out.append("```pycon")
            in_example = True
        elif not in_example and line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        out.append(line)
    if in_example:
        out.append("```")
    return "\n".join(out)


def _resolve(obj: Object, target: str) -> str:
    """The documented path of ``target`` as written in ``obj``'s docstring, or ``target``."""
    target = target.removesuffix("()")
    scopes: list[Object | Alias] = []
    scope: Object | Alias | None = obj
    while scope is not None:
        scopes.append(scope)
        scope = scope.parent
    for candidate in scopes:
        try:
            found = candidate[target]
        except Exception:  # not there, or behind an unresolvable alias
            continue
        try:
            return str(found.final_target.path if found.is_alias else found.path)
        except Exception:  # an unresolvable alias: keep its own path
            return str(found.path)
    return target


def replace_roles(obj: Object | None, text: str) -> str:
    """Turn reStructuredText roles into optional mkdocs-autorefs cross-references.

    >>> replace_roles(None, "see :class:`~egovplan.money.Money` and :func:`len`")
    'see <autoref identifier="egovplan.money.Money" optional><code>Money</code></autoref> \
and <autoref identifier="len" optional><code>len</code></autoref>'
    """

    def link(match: re.Match[str]) -> str:
        written = " ".join(match["target"].split())
        titled = _TITLED.fullmatch(written)
        if titled:
            shown, written = titled["title"], titled["target"]
        else:
            shown = written.rsplit(".", 1)[-1] if match["tilde"] else written
        identifier = _resolve(obj, written) if obj is not None else written.removesuffix("()")
        return (
            f'<autoref identifier="{html.escape(identifier)}" optional>'
            f"<code>{html.escape(shown)}</code></autoref>"
        )

    out: list[str] = []
    prose: list[str] = []
    in_code = False
    for line in text.split("\n"):
        stripped = line.lstrip()
        code = in_code or stripped.startswith(("```", "~~~", ">>>", "..."))
        if stripped.startswith(("```", "~~~")):
            in_code = not in_code
        if code:
            if prose:  # a role may span lines: substitute in whole runs of prose
                out.extend(_ROLE.sub(link, "\n".join(prose)).split("\n"))
                prose = []
            out.append(line)
        else:
            prose.append(line)
    if prose:
        out.extend(_ROLE.sub(link, "\n".join(prose)).split("\n"))
    return "\n".join(out)


class EgovplanDocs(Extension):
    """attrs signatures, fenced doctests and cross-referenced roles for egovplan's docs."""

    def on_package(self, *, pkg: Module, **kwargs: Any) -> None:
        """Rewrite every object of the loaded package once its tree is complete."""
        self._visit(pkg, set())

    def _visit(self, obj: Object, seen: set[str]) -> None:
        if obj.path in seen:
            return
        seen.add(obj.path)
        if isinstance(obj, Class):
            _add_attrs_init(obj)
        if obj.docstring is not None:
            obj.docstring.value = replace_roles(obj, fence_doctests(obj.docstring.value))
        for member in list(obj.members.values()):
            if not member.is_alias:
                self._visit(member, seen)  # type: ignore[arg-type]


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    """MkDocs hook: fence doctest examples written bare in a page, as in docstrings."""
    return fence_doctests(markdown)
