"""How egovplan's modules may depend on each other (docs/architecture.md).

- No import cycle, but through the lazy façades of ``Plan`` listed in :data:`FACADES` (a
  method that hands over to a module above ``plan``, importing it in its body). Every
  other import in a function body counts as an arrow like one at the top of a module;
  imports under ``if TYPE_CHECKING:`` do not run and do not count.
- No module imports another module's ``_private`` name.
- Only ``egovplan._data`` opens the package's data files, and it gives them read-only.
"""

from __future__ import annotations

import ast
import types
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovplan import _data

SOURCE = Path(__file__).resolve().parent.parent / "src" / "egovplan"

#: Private names still imported across modules, each with the reason it is allowed.
PRIVATE_IMPORTS_ALLOWED: dict[tuple[str, str], str] = {}


def _modules() -> dict[str, ast.Module]:
    return {
        path.stem: ast.parse(path.read_text(encoding="utf-8"), str(path))
        for path in sorted(SOURCE.glob("*.py"))
    }


#: The lazy façades: a method of ``Plan`` that only hands over to a module above ``plan``,
#: importing it in its body (docs/architecture.md); no other module has one.
#: (module, function, module imported)
FACADES: frozenset[tuple[str, str, str]] = frozenset(
    {
        ("plan", "Plan.validate", "validation"),
        ("plan", "Plan.breakdown", "breakdowns"),
        ("plan", "Plan._repr_html_", "breakdowns"),
        ("plan", "Plan._repr_markdown_", "breakdowns"),
    }
)


def _is_type_checking(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.Module) -> set[tuple[str, str]]:
    """(enclosing function or class, egovplan module) of every import that runs."""
    found: set[tuple[str, str]] = set()

    def walk(node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            if _is_type_checking(child):  # type: ignore[arg-type]
                continue
            inner = where
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                inner = f"{where}.{child.name}" if where else child.name
            if isinstance(child, ast.ImportFrom) and child.module:
                if child.module == "egovplan":
                    found.update((where, alias.name) for alias in child.names)
                elif child.module.startswith("egovplan."):
                    found.add((where, child.module.split(".")[1]))
            walk(child, inner)

    walk(tree, "")
    return found


def test_imports_have_no_cycle_but_through_the_lazy_facades() -> None:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, tree in modules.items():
        for where, imported in _runtime_imports(tree):
            if imported in modules and imported != name and (name, where, imported) not in FACADES:
                graph[name].add(imported)
    graph["__init__"] = set()  # the package's lazy exports: the top of everything
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            cycle = " -> ".join((*path[path.index(name) :], name))
            pytest.fail(f"import cycle: {cycle}")
        if name in done:
            return
        for imported in sorted(graph[name]):
            visit(imported, (*path, name))
        done.add(name)

    for name in sorted(graph):
        visit(name, ())


def test_only_plan_has_lazy_facades() -> None:
    assert FACADES
    for name, where, _ in FACADES:
        assert name == "plan", (name, where)
        assert where.startswith("Plan."), (name, where)


def test_an_import_inside_a_function_is_an_arrow_and_one_under_type_checking_is_not() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "from egovplan.money import Money\n"
        "if TYPE_CHECKING:\n"
        "    from egovplan.plan import Plan\n"
        "class Period:\n"
        "    def between(self):\n"
        "        from egovplan.when import When\n"
        "def _bound():\n"
        "    from egovplan import when\n"
    )
    assert _runtime_imports(tree) == {
        ("", "money"),
        ("Period.between", "when"),
        ("_bound", "when"),
    }


def test_every_facade_is_still_there() -> None:
    modules = _modules()
    for name, where, imported in FACADES:
        assert (where, imported) in _runtime_imports(modules[name]), (name, where, imported)


def test_no_module_imports_another_modules_private_name() -> None:
    found = []
    for name, tree in _modules().items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            if not node.module.startswith("egovplan."):
                continue
            source = node.module.split(".")[1]
            for alias in node.names:
                private = alias.name.startswith("_") and not alias.name.startswith("__")
                if private and source != name:
                    key = (name, f"{source}.{alias.name}")
                    if key not in PRIVATE_IMPORTS_ALLOWED:
                        found.append(f"{name}.py:{node.lineno} imports {source}.{alias.name}")
    assert not found, "\n".join(found)


def test_only_the_data_module_opens_data_files() -> None:
    readers = []
    for path in sorted(SOURCE.glob("*.py")):
        if path.stem == "_data":
            continue
        text = path.read_text(encoding="utf-8")
        if "resources.files(" in text or "importlib.resources" in text:
            readers.append(path.name)
    assert not readers, f"read data files through egovplan._data: {readers}"


def _every_toml() -> list[str]:
    folder = SOURCE / "data"
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.toml"))


@pytest.mark.parametrize("name", _every_toml())
def test_every_data_file_loads_read_only_and_once(name: str) -> None:
    data = _data.load_data(name)
    assert data is _data.load_data(name)
    assert isinstance(data, types.MappingProxyType)
    with pytest.raises(TypeError):
        data["added"] = 1  # type: ignore[index]

    def floats(value: Any) -> bool:
        if isinstance(value, types.MappingProxyType):
            return any(floats(item) for item in value.values())
        if isinstance(value, tuple):
            return any(floats(item) for item in value)
        return isinstance(value, float)

    assert not floats(data)


def test_data_names_lists_a_folder() -> None:
    assert _data.data_names("number_words") == ("en", "vi")
    assert "roles" in _data.data_names("catalogues")


LOCALES = st.sampled_from(["vi", "en", "fr", "vi_VN", "vi-VN", "en_GB", "de-AT", "x"])


@given(
    st.dictionaries(st.sampled_from(["vi", "en", "fr", "vi_VN", "de"]), st.integers()),
    LOCALES,
)
def test_pick_locale_tries_the_locale_then_its_language_then_english(
    words: dict[str, int], locale: str
) -> None:
    table = {**words, "en": -1}
    language = locale.replace("-", "_").split("_")[0]
    expected = table.get(locale, table.get(language, table["en"]))
    assert _data.pick_locale(table, locale) == expected


def test_pick_locale_without_english_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        _data.pick_locale({"vi": Decimal(1)}, "fr")
