"""The baseline the grader is compared with: the same checks, run by plain pytest, no isolation.

The student's module is imported into the pytest process itself and probes are called on it
directly. This is what a course would do without a sandbox; it is here only to be timed.
    SUBMISSION=solutions/05_linear_loop/train_linear.py python -m pytest -p benchmarks.plain_pytest_plugin \
        -o python_functions='check_*' grader/suites/ex05_linear_loop/checks.py
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from grader.api import load_reference
from grader.catalog import by_number
from grader.judge.handles import Reference, derive_seed
from grader.probe import seed_all


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class InProcess(Reference):
    """A submission called directly in this process (what the sandbox exists to avoid)."""

    def __init__(self, module, device, seed, source):
        super().__init__(module, device, seed)
        self.source = source
        self.import_error = None


@pytest.fixture
def device() -> str:
    return "cpu"


@pytest.fixture
def submission(request, device):
    path = Path(os.environ["SUBMISSION"])
    return InProcess(_load(path), device, derive_seed(0, request.node.name), {path.name: path.read_text()})


@pytest.fixture
def reference(request, device):
    exercise = by_number(os.environ.get("EXERCISE", Path(os.environ["SUBMISSION"]).parent.name[:2]))
    return Reference(load_reference(exercise), device, derive_seed(0, request.node.name))


@pytest.fixture(autouse=True)
def _seed(request):
    seed_all(derive_seed(0, request.node.name))
