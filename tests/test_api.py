"""The public API: every exported name resolves, and importing egovplan stays cheap."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import egovplan

INIT = Path(egovplan.__file__)


def _type_checking_names() -> set[str]:
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom)
                names.update(alias.asname or alias.name for alias in stmt.names)
    return names


def test_type_checking_imports_match_lazy_exports() -> None:
    assert _type_checking_names() == set(egovplan._EXPORTS)


def test_every_public_name_resolves_and_has_a_docstring() -> None:
    for name in egovplan.__all__:
        value = getattr(egovplan, name)
        if name != "__version__" and callable(value):
            assert value.__doc__, f"{name} has no docstring"


def test_lazy_exports_live_in_the_named_module() -> None:
    for name, module in egovplan._EXPORTS.items():
        assert getattr(egovplan, name).__module__ == module, name


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        egovplan.no_such_thing  # type: ignore[attr-defined]  # noqa: B018


def test_import_does_not_load_heavy_modules() -> None:
    code = (
        "import sys, egovplan\n"
        "heavy = [m for m in ('pint', 'pandas', 'matplotlib', 'yaml', 'jsonschema') "
        "if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_python_m_egovplan_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "egovplan", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"egovplan {egovplan.__version__}"


def test_breakdown_is_the_function_even_after_its_module_is_imported() -> None:
    # The module is egovplan.breakdowns, so importing it never shadows the function.
    code = (
        "import egovplan, egovplan.breakdowns\n"
        "from egovplan import breakdown\n"
        "assert breakdown is egovplan.breakdown is egovplan.breakdowns.breakdown\n"
        "print(callable(breakdown), breakdown.__module__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True egovplan.breakdowns"
