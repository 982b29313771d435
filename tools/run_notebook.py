"""Execute ``examples/funding-breakdown.ipynb`` and store it with its outputs.

Run ``python3 dev.py notebook`` after a change that alters what the notebook shows:
``tests/test_notebook.py`` runs the notebook again and fails while the stored outputs
differ from the fresh ones. The kernel is this environment's ``python3`` (ipykernel),
matplotlib draws with Agg, and Jupyter's and IPython's own files go to a temporary
directory, as in the test.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NOTEBOOK = EXAMPLES / "funding-breakdown.ipynb"


@contextlib.contextmanager
def kernel_environment(scratch: Path) -> Iterator[None]:
    """The environment the notebook's kernel runs in (restored afterwards)."""
    settings = {
        "MPLBACKEND": "Agg",
        "JUPYTER_PREFER_ENV_PATH": "1",  # this environment's kernel spec first
        "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"),
        "IPYTHONDIR": str(scratch / "ipython"),
        "MPLCONFIGDIR": str(scratch / "matplotlib"),
        "PYTHONHASHSEED": "0",
    }
    saved = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def execute(notebook: Any, scratch: Path) -> Any:
    """Run every cell of ``notebook`` (in place) in the examples folder; return it."""
    with kernel_environment(scratch):
        client = NotebookClient(
            notebook,
            kernel_name="python3",
            timeout=300,
            resources={"metadata": {"path": str(EXAMPLES)}},
        )
        client.execute()
    return notebook


def main() -> int:
    """Execute the notebook and write it back with its outputs; 1 if a cell failed."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    with tempfile.TemporaryDirectory() as scratch:
        execute(notebook, Path(scratch))
    failed = [
        index
        for index, cell in enumerate(notebook.cells)
        if any(output.get("output_type") == "error" for output in cell.get("outputs", []))
    ]
    if failed:
        print(f"run_notebook: cells {failed} failed; the notebook is not stored", file=sys.stderr)
        return 1
    nbformat.validate(notebook)
    nbformat.write(notebook, NOTEBOOK)
    print(f"stored {NOTEBOOK.relative_to(ROOT)} with its outputs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
