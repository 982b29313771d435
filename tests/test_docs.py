"""The documentation site builds with MkDocs in strict mode, and covers the public API.

The build runs in a subprocess into a temporary directory (nothing is written into the
repository) and needs no network. The code examples of the pages are doctests that
pytest collects itself (``--doctest-glob=*.md``).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PACKAGE = ROOT / "src" / "egovplan"

#: Pages the site must have (source path under docs/, without ".md").
KEY_PAGES = (
    "index",
    "getting-started",
    "tutorials/first-plan",
    "tutorials/funding-breakdown",
    "tutorials/track-targets",
    "how-to/add-a-rule",
    "how-to/add-a-framework",
    "how-to/embed-models",
    "how-to/extend-a-catalogue",
    "how-to/plans-outside-vietnam",
    "how-to/planned-vs-actual",
    "architecture",
    "rules",
    "glossary",
    "reference/plan",
    "reference/money",
)

#: Modules that are not (yet) documented on a page of their own, with the reason.
UNDOCUMENTED: dict[str, str] = {}


def _mkdocs_config() -> str:
    return (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def _public_modules() -> list[str]:
    return sorted(
        path.stem
        for path in PACKAGE.glob("*.py")
        if not path.stem.startswith("_") and path.stem not in UNDOCUMENTED
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "WARNING" not in log, log
    return out


def test_site_builds_with_key_pages(site: Path) -> None:
    for page in KEY_PAGES:
        html = site / ("index.html" if page == "index" else f"{page}/index.html")
        assert html.is_file(), page
    assert (site / "search" / "search_index.json").is_file()


def test_api_reference_is_rendered_from_docstrings(site: Path) -> None:
    money = (site / "reference/money/index.html").read_text(encoding="utf-8")
    # The class, its docstring and the signature attrs generates (static analysis).
    assert 'id="egovplan.money.Money"' in money
    assert "An exact amount in one currency." in money
    plan = (site / "reference/plan/index.html").read_text(encoding="utf-8")
    assert 'id="egovplan.plan.Plan.validate"' in plan
    # Doctest examples in a docstring's body are code, not Markdown quotes or links.
    assert "&gt;&gt;&gt;" in plan
    assert "<blockquote>" not in plan
    # Methods a result inherits from the base in _rendering are listed on each class.
    for module, cls in (
        ("breakdowns", "Breakdown"),
        ("breakdowns", "Pivot"),
        ("reconciliation", "Reconciliation"),
        ("executions", "Execution"),
    ):
        page = (site / f"reference/{module}/index.html").read_text(encoding="utf-8")
        for method in (
            "to_text", "to_pandas", "to_csv", "to_html", "to_markdown", "to_json", "to_records"
        ):  # fmt: skip
            assert f'id="egovplan.{module}.{cls}.{method}"' in page, (cls, method)


def test_every_public_module_has_a_reference_page_in_the_nav() -> None:
    config = _mkdocs_config()
    for module in _public_modules():
        page = DOCS / "reference" / f"{module}.md"
        assert page.is_file(), f"no reference page for egovplan.{module}"
        assert f"::: egovplan.{module}\n" in page.read_text(encoding="utf-8")
        assert f"reference/{module}.md" in config, f"reference/{module}.md not in the nav"


def test_every_page_is_in_the_nav() -> None:
    config = _mkdocs_config()
    for page in DOCS.rglob("*.md"):
        assert page.relative_to(DOCS).as_posix() in config, page


def test_examples_end_with_a_blank_line_before_the_fence() -> None:
    # Doctest reads expected output up to a blank line: a fence right after the output
    # would become part of what is expected.
    fence = re.compile(r"^```\s*$")
    for page in DOCS.rglob("*.md"):
        lines = page.read_text(encoding="utf-8").splitlines()
        in_example = False
        for number, line in enumerate(lines, 1):
            if line.startswith(">>>"):
                in_example = True
            elif not line.strip():
                in_example = False
            elif in_example and fence.match(line):
                pytest.fail(f"{page.relative_to(ROOT)}:{number}: blank line needed before ```")


def test_glossary_names_real_codes_and_fields() -> None:
    import attrs

    import egovplan.indicator
    import egovplan.ranks
    import egovplan.serialization
    from egovplan.catalog import Catalogues

    text = (DOCS / "glossary.md").read_text(encoding="utf-8")
    catalogues = Catalogues.default()
    codes = re.findall(r"`([a-z_]+):([a-z0-9_-]+)`", text)
    assert len(codes) > 40
    for catalogue, code in codes:
        assert code in catalogues[catalogue], f"{catalogue}:{code}"
    classes = {cls.__name__: cls for cls in egovplan.serialization.MODEL_CLASSES}
    classes["RankChange"] = egovplan.ranks.RankChange
    classes["StatedRank"] = egovplan.indicator.StatedRank
    fields = re.findall(r"`([A-Z][A-Za-z]+)\.([a-z_]+)`", text)
    assert len(fields) > 20
    for name, field in fields:
        cls = classes[name]
        names = {a.name for a in attrs.fields(cls)} if attrs.has(cls) else set()
        assert field in names or hasattr(cls, field), f"{name}.{field}"


def _hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "tools" / "docs_hooks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hooks_fence_bare_doctests_only() -> None:
    hooks = _hooks()
    text = "Text.\n\n>>> 1 + 1\n2\n\n```python\n>>> 3\n3\n\n```\n\n    >>> 4\n    4\n"
    assert hooks.fence_doctests(text) == (
        "Text.\n\n```pycon\n>>> 1 + 1\n2\n```\n\n```python\n>>> 3\n3\n\n```\n\n    >>> 4\n    4\n"
    )
    assert hooks.fence_doctests(">>> x") == "```pycon\n>>> x\n```"


def test_hooks_turn_roles_into_optional_links() -> None:
    hooks = _hooks()
    assert hooks.replace_roles(None, ":meth:`Money.rounded <egovplan.money.Money.rounded>`") == (
        '<autoref identifier="egovplan.money.Money.rounded" optional>'
        "<code>Money.rounded</code></autoref>"
    )
    assert hooks.replace_roles(None, ":class:`~a.B`") == (
        '<autoref identifier="a.B" optional><code>B</code></autoref>'
    )
    untouched = "```\n:class:`X`\n```\n>>> :class:`Y`"
    assert hooks.replace_roles(None, untouched) == untouched
