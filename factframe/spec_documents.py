"""The kinds of document a spec file holds, told apart by ``kind``.

``card`` (the default when ``kind`` is absent) is a :class:`~factframe.spec.Spec`: canvas,
brand and blocks. ``annotation`` labels a photo (:class:`~factframe.spec_annotation.
AnnotationSpec`) and ``mockup`` puts a design into a scene (:class:`~factframe.spec_mockup.
MockupSpec`). :func:`factframe.render` takes any of them::

    >>> parse_document({"kind": "mockup", "design": "card.png", "scene": "phone"}).kind
    'mockup'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from factframe.errors import SpecError
from factframe.spec import Spec, parse_spec
from factframe.spec_annotation import AnnotationSpec, load_annotation, parse_annotation
from factframe.spec_files import read_spec_file
from factframe.spec_mockup import MockupSpec, load_mockup, parse_mockup

__all__ = ["KINDS", "Document", "document_kind", "load_document", "parse_document"]

#: The document kinds a spec may name with ``kind``.
KINDS = ("card", "annotation", "mockup")

Document = Spec | AnnotationSpec | MockupSpec


def document_kind(data: Any) -> str:
    """The kind a document (a mapping or a validated model) asks for; ``card`` by default.

    Raises:
        SpecError: an unknown ``kind`` (names the field and the kinds there are).
    """
    if isinstance(data, AnnotationSpec | MockupSpec):
        return data.kind
    kind = data.get("kind", "card") if isinstance(data, dict) else "card"
    if kind not in KINDS:
        raise SpecError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}", "kind")
    return str(kind)


def parse_document(data: Any) -> Document:
    """Validates a card, annotation or mockup document by its ``kind``.

    Raises:
        SpecError: naming the first bad field.
    """
    kind = document_kind(data)
    if kind == "annotation":
        return parse_annotation(data)
    if kind == "mockup":
        return parse_mockup(data)
    return parse_spec(data)


def load_document(path: str | Path) -> Document:
    """Loads a card, annotation or mockup document from a ``.json``/``.yaml`` file; relative
    paths in it mean "next to the file".

    Raises:
        SpecError: the file is missing or unreadable, or not a valid document.
    """
    data = read_spec_file(path)
    kind = document_kind(data)
    if kind == "annotation":
        return load_annotation(path)
    if kind == "mockup":
        return load_mockup(path)
    return parse_spec(data)
