"""examples/funding-breakdown.ipynb runs top to bottom in a real Jupyter kernel.

The notebook is stored with its outputs, as a reader sees it on a forge; this test
executes every cell again with nbclient in the ``python3`` kernel of ipykernel, installed
in the environment that runs pytest (its kernel spec is looked up in this environment
first, and jupyter_client starts the spec's ``python`` as this interpreter; a probe cell
confirms it), then checks that no cell failed, that the stored outputs are the fresh ones
(``python3 dev.py notebook`` stores them again), that every chart cell shows an image in
a kernel that never imported pyplot, and that the answers appear: the 901 billion total,
the seven shares, the phasing, the charts and the rank table. The kernel's environment
comes from ``tools/run_notebook.py``; the notebook must leave the examples folder as it
found it.
"""

from __future__ import annotations

import base64
import copy
import importlib.util
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NOTEBOOK = EXAMPLES / "funding-breakdown.ipynb"
PROBE = "import sys\nprint(sys.prefix)"
#: Appended after the last cell: the charts showed although pyplot was never imported.
PYPLOT_PROBE = "print('matplotlib.pyplot' in sys.modules)"
PNG = b"\x89PNG\r\n\x1a\n"


def _runner() -> Any:
    spec = importlib.util.spec_from_file_location(
        "run_notebook", ROOT / "tools" / "run_notebook.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def snapshot(directory: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``directory`` with its size and modification time."""
    return {
        str(path.relative_to(directory)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in directory.rglob("*")
        if path.is_file()
    }


def text_of(cell: Any) -> str:
    """Everything a code cell showed as text: printed output and plain-text results."""
    parts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif output["output_type"] in ("execute_result", "display_data"):
            parts.append(output["data"].get("text/plain", ""))
    return "".join(parts).replace("\xa0", " ")


@pytest.fixture(scope="module")
def stored() -> Any:
    return nbformat.read(NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def executed(stored: Any, tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    """The code cells after running the notebook, the probe cell first, pyplot's last."""
    notebook = copy.deepcopy(stored)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    notebook.cells.insert(0, nbformat.v4.new_code_cell(PROBE, id="probe"))
    notebook.cells.append(nbformat.v4.new_code_cell(PYPLOT_PROBE, id="pyplot-probe"))
    before = snapshot(EXAMPLES)
    _runner().execute(notebook, tmp_path_factory.mktemp("jupyter"))
    assert snapshot(EXAMPLES) == before, "running the notebook changed files in examples/"
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def code_cells(notebook: Any) -> list[Any]:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def images(cell: Any) -> list[bytes]:
    """The PNG images a cell showed."""
    return [
        base64.b64decode(output["data"]["image/png"])
        for output in cell.get("outputs", [])
        if output["output_type"] in ("execute_result", "display_data")
        and "image/png" in output["data"]
    ]


def test_stored_with_its_outputs(stored: Any) -> None:
    code = code_cells(stored)
    assert len(code) >= 10
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    for number, cell in enumerate(code):
        assert cell.outputs, f"stored code cell {number} has no output"
        assert all(o["output_type"] != "error" for o in cell.outputs), number
    charts = [cell for cell in code if "_chart(" in cell.source]
    assert len(charts) == 3
    for cell in charts:
        (png,) = images(cell)
        assert png.startswith(PNG)
    assert stored.metadata.kernelspec.name == "python3"
    nbformat.validate(stored)


def test_stored_outputs_are_the_fresh_ones(stored: Any, executed: list[Any]) -> None:
    fresh = executed[1:-1]
    kept = code_cells(stored)
    assert [cell.source for cell in fresh] == [cell.source for cell in kept]
    for number, (new, old) in enumerate(zip(fresh, kept, strict=True)):
        assert text_of(new) == text_of(old), (
            f"code cell {number} shows something else now: run `python3 dev.py notebook`"
        )
        assert len(images(new)) == len(images(old)), number


def test_the_kernel_is_this_environments_python(executed: list[Any]) -> None:
    assert text_of(executed[0]).strip() == sys.prefix


def test_every_cell_ran_without_error(executed: list[Any]) -> None:
    for number, cell in enumerate(executed):
        assert cell.execution_count is not None, f"code cell {number} did not run"
        errors = [o for o in cell.outputs if o["output_type"] == "error"]
        assert errors == [], f"code cell {number}: {errors}"
        streams = [o["text"] for o in cell.outputs if o.get("name") == "stderr"]
        assert streams == [], f"code cell {number} wrote to stderr: {streams}"


def test_key_answers_appear(executed: list[Any]) -> None:
    shown = "\n".join(text_of(cell) for cell in executed)
    assert "Declared total: 901000000000 VND (chín trăm lẻ một tỷ đồng)" in shown
    assert "1 error, 0 warnings, 0 info" in shown
    rows = [line.split() for line in shown.splitlines()]
    assert ["Tổng", "cộng", "901.000.000.000", "100,00"] in rows  # in đồng, Vietnamese
    assert ["Total", "901", "100.00"] in rows  # in billions, English
    for share in ("22.20", "16.65", "8.99", "35.51", "2.22", "3.33", "11.10"):
        assert f" {share} %" in shown
    assert "Sum of the shares                                100.00 %" in shown
    assert "Sum of the phased lines: 901000000000" in shown
    assert "Funding by source kind and budget category" in shown
    assert "Funding by source and year" in shown


def test_phasing_by_year(executed: list[Any]) -> None:
    shown = "\n".join(text_of(cell) for cell in executed)
    rows = [line.split() for line in shown.splitlines()]
    # 10 %, 20 %, 30 %, 25 %, 15 % of 901 billion đồng
    for year, amount in (
        ("2021", "90.100.000.000"),
        ("2022", "180.200.000.000"),
        ("2023", "270.300.000.000"),
        ("2024", "225.250.000.000"),
        ("2025", "135.150.000.000"),
    ):
        assert any(row[:2] == [year, amount] for row in rows), year


def test_charts_show_as_images_without_pyplot(executed: list[Any]) -> None:
    charts = [cell for cell in executed if "_chart(" in cell.source]
    assert [text_of(cell) for cell in charts] == [
        "<ChartFigure size 900x500 with 1 Axes>",
        "<ChartFigure size 800x450 with 1 Axes>",
        "<ChartFigure size 800x450 with 1 Axes>",
    ]
    for cell in charts:
        (png,) = images(cell)  # the image Jupyter shows, one per chart cell
        assert png.startswith(PNG)
        assert len(png) > 10_000
    # The kernel never imported pyplot: the images came from the figures themselves.
    assert text_of(executed[-1]).strip() == "False"


def test_display_options_and_pandas(executed: list[Any]) -> None:
    shown = "\n".join(text_of(cell) for cell in executed)
    rows = [line.split() for line in shown.splitlines()]
    assert ["2023", "270.3", "30.00"] in rows  # set_display: English, in billions
    assert ["Kinh", "phí", "theo", "loại", "nguồn", "vốn"] in rows  # display_context("vi")
    assert ["count", "7.000000e+00"] in rows  # describe() sees the amounts as numbers
    assert ["1", "ict.infra", "12", "7", "5"] in rows  # rank changes as integers


def test_lao_cai_ranks(executed: list[Any]) -> None:
    shown = "\n".join(text_of(cell) for cell in executed)
    assert "Xếp hạng của lao-cai, năm 2016 và năm 2017" in shown
    assert "tăng 05 bậc, từ thứ 12 lên thứ 7" in shown
    assert "ict.infra.society (lao-cai, 2017): the text states rank 15th" in shown
    assert "the observations give 13th" in shown
