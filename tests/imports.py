"""What ``import factframe`` loads, seen from a fresh interpreter."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Sequence


def loaded_by_import(modules: Sequence[str]) -> list[str]:
    """Which of ``modules`` a fresh interpreter has loaded after ``import factframe``
    (sorted; empty when none)."""
    code = (
        f"import sys, factframe; print(sorted(m for m in {tuple(modules)!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded: list[str] = ast.literal_eval(out.stdout.strip())
    return loaded
