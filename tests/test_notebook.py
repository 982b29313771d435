"""examples/funding-breakdown.ipynb runs top to bottom in a real Jupyter kernel.

The notebook is stored without outputs; this test executes every cell with nbclient in the
``python3`` kernel of ipykernel, installed in the environment that runs pytest (its kernel
spec is looked up in this environment first, and jupyter_client starts the spec's ``python``
as this interpreter; a probe cell confirms it), then checks that no cell failed and that
the answers appear: the 901 billion total, the seven shares, the phasing, the charts and the
rank table. Matplotlib draws with Agg, Jupyter's and IPython's own files go to a temporary
directory, and the notebook must leave the examples folder as it found it.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NOTEBOOK = EXAMPLES / "funding-breakdown.ipynb"
PROBE = "import sys\nprint(sys.prefix)"


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
    """The code cells after running the notebook, the probe cell first."""
    notebook = copy.deepcopy(stored)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(PROBE, id="probe"))
    scratch = tmp_path_factory.mktemp("jupyter")
    before = snapshot(EXAMPLES)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MPLBACKEND", "Agg")
        patch.setenv("JUPYTER_PREFER_ENV_PATH", "1")  # this environment's kernel spec first
        patch.setenv("JUPYTER_RUNTIME_DIR", str(scratch / "runtime"))
        patch.setenv("IPYTHONDIR", str(scratch / "ipython"))
        patch.setenv("MPLCONFIGDIR", str(scratch / "matplotlib"))
        client = NotebookClient(
            notebook,
            kernel_name="python3",
            timeout=300,
            resources={"metadata": {"path": str(EXAMPLES)}},
        )
        client.execute()
    assert snapshot(EXAMPLES) == before, "running the notebook changed files in examples/"
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def test_stored_without_outputs(stored: Any) -> None:
    code = [cell for cell in stored.cells if cell.cell_type == "code"]
    assert len(code) >= 10
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert stored.metadata.kernelspec.name == "python3"
    nbformat.validate(stored)


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
    assert "3 errors, 1 warning, 0 info" in shown
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


def test_charts_are_drawn(executed: list[Any]) -> None:
    charts = [text_of(cell) for cell in executed if "_chart(" in cell.source]
    # With Agg the kernel shows a figure as its text form; Jupyter shows the image.
    assert charts == [
        "<Figure size 900x500 with 1 Axes>",
        "<Figure size 800x450 with 1 Axes>",
    ]


def test_lao_cai_ranks(executed: list[Any]) -> None:
    shown = "\n".join(text_of(cell) for cell in executed)
    assert "Xếp hạng của lao-cai, năm 2016 và năm 2017" in shown
    assert "tăng 05 bậc, từ thứ 12 lên thứ 7" in shown
    assert "ict.infra.society (lao-cai, 2017): the text states rank 15th" in shown
    assert "the observations give 13th" in shown
