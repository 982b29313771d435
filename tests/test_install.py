"""What `pip install egovplan` brings: the core dependencies and the extras."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _names(requirements: list[str]) -> set[str]:
    return {
        re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower() for requirement in requirements
    }


def test_yaml_is_a_core_dependency() -> None:
    # Every example and page of the docs writes plans in YAML: `pip install egovplan`
    # then `egovplan validate plan.yaml` must work.
    assert "pyyaml" in _names(_project()["dependencies"])


def test_the_yaml_extra_is_kept_as_an_alias() -> None:
    # `pip install "egovplan[yaml]"` of earlier instructions still installs.
    extras = _project()["optional-dependencies"]
    assert "yaml" in extras
    assert "pyyaml" not in _names(extras["yaml"])  # nothing beyond the core


def test_install_sections_do_not_send_users_to_the_yaml_extra() -> None:
    for page in ("README.md", "docs/getting-started.md", "docs/tutorials/first-plan.md"):
        text = (ROOT / page).read_text(encoding="utf-8")
        assert 'pip install "egovplan[yaml]"     #' not in text, page
        assert "egovplan[yaml]" not in text or "still installs" in text, page
