"""The public surface and the package boundaries of DESIGN §2."""

from __future__ import annotations

import ast
from pathlib import Path

import factframe
from tests.imports import loaded_by_import

PACKAGE = Path(factframe.__file__).parent

# Which factframe packages each one may import (besides itself and factframe.errors).
ALLOWED = {
    "errors": set(),
    "registry": set(),
    "spec": set(),
    "typography": {"spec"},
    "knowledge": {"spec"},
    "grounding": {"knowledge", "spec"},
    "layout": {"typography", "spec"},
    "generator": {"layout", "typography", "knowledge", "spec"},
    "templates": {"knowledge", "spec"},
    # the orchestration of an annotated photo, beside pipeline.py: grounds, plans, draws
    "annotation": {"grounding", "knowledge", "layout", "generator", "typography", "spec"},
    # editing sessions and brief planning (issue 7): top-level orchestration beside
    # pipeline.py; the session renders, so it alone of them may use the pipeline
    "llm": set(),
    "edits": {"grounding", "spec"},
    "brief": {"grounding", "llm", "spec"},
    "session": {
        "edits", "generator", "grounding", "knowledge", "layout", "llm", "pipeline", "spec",
        "typography",
    },
}  # fmt: skip


def test_all_is_sorted_and_importable() -> None:
    assert factframe.__all__ == sorted(factframe.__all__)
    for name in factframe.__all__:
        assert getattr(factframe, name) is not None


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {_package(n.split(".")[1]) for n in names if n.startswith("factframe.")}


def _package(name: str) -> str:
    """``spec_charts`` and ``spec_files`` are modules of the spec, split off by concern."""
    return "spec" if name.startswith("spec_") else name


# A batch renders whole specs, as the pipeline does (DESIGN §2: templates/ holds the batch),
# so its modules may also use what a render needs.
BATCH = {
    "templates/batch.py",
    "templates/executors.py",
    "templates/planning.py",
    "templates/worker.py",
}
RENDERING = {"grounding", "layout", "generator", "typography"}


def test_imports_follow_the_pipeline() -> None:
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        owner = _package(rel.parts[0].removesuffix(".py"))
        used = imported_packages(path) - {owner, "errors", "registry"}
        if owner in ("__init__", "pipeline", "cli", "mockups"):
            continue
        assert "cli" not in used, rel
        assert "pipeline" not in used or owner == "session", rel
        allowed = ALLOWED[owner] | (RENDERING if rel.as_posix() in BATCH else set())
        assert used <= allowed, f"{rel} imports {sorted(used - allowed)}"


def test_import_stays_light() -> None:
    heavy = ("torch", "diffusers", "transformers", "langchain_core", "ray", "cv2", "pytesseract")
    assert loaded_by_import(heavy) == []
