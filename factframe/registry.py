"""A small registry of pluggable parts by name: providers, image backends, executors.

Built-ins register themselves; third parties add entry points in the registry's group
(e.g. ``[project.entry-points."factframe.providers"] mine = "pkg.module:MyProvider"``),
loaded on first lookup.

>>> colours = Registry[str]("colour", group="example.colours")
>>> colours.register("red", "#f00")
'#f00'
>>> colours.get("red"), colours.names()
('#f00', ['red'])
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import entry_points
from typing import Generic, TypeVar

from factframe.errors import FactframeError

__all__ = ["Registry", "UnknownNameError"]

T = TypeVar("T")


class UnknownNameError(FactframeError, KeyError):
    """No part of that name is registered; the message lists the known names."""

    def __str__(self) -> str:
        return str(self.args[0])


class Registry(Generic[T]):
    """Named parts of one kind.

    Args:
        kind: what the parts are, for messages (``"provider"``).
        group: the entry-point group third parties register under.
    """

    def __init__(self, kind: str, group: str) -> None:
        self.kind = kind
        self.group = group
        self._items: dict[str, T] = {}
        self._loaded_entry_points = False

    def register(self, name: str, item: T, *, replace: bool = False) -> T:
        """Adds ``item`` under ``name``; returns it (usable as a decorator's body).

        Raises:
            ValueError: the name is taken and ``replace`` is False.
        """
        if name in self._items and not replace:
            raise ValueError(f"a {self.kind} named {name!r} is already registered")
        self._items[name] = item
        return item

    def get(self, name: str) -> T:
        """The part registered as ``name``.

        Raises:
            UnknownNameError: naming the known parts.
        """
        if name not in self._items:
            self._load_entry_points()
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(self.names()) or "none"
            raise UnknownNameError(f"unknown {self.kind} {name!r}; known: {known}") from None

    def names(self) -> list[str]:
        self._load_entry_points()
        return sorted(self._items)

    @contextmanager
    def enabled(self, name: str, item: T) -> Iterator[T]:
        """Registers ``item`` for the duration of a ``with`` block (tests, notebooks)."""
        before = self._items.get(name)
        self._items[name] = item
        try:
            yield item
        finally:
            if before is None:
                self._items.pop(name, None)
            else:
                self._items[name] = before

    def _load_entry_points(self) -> None:
        if self._loaded_entry_points:
            return
        self._loaded_entry_points = True
        for ep in entry_points(group=self.group):
            if ep.name not in self._items:
                self._items[ep.name] = ep.load()
