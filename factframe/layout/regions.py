"""Arrangements: how a strategy divides the body of the canvas into regions of flows.

An :class:`Arrangement` is one candidate placement of the body's blocks. The planner
measures it at a text scale ``k`` (:meth:`~Arrangement.measure`), asks how full its
fullest region is (:meth:`~Arrangement.tightest`: the height it needs and has, and its
tallest block, named if it overflows), and once the largest ``k`` that fits is found,
places it. Two shapes cover
every strategy:

- :class:`Stack`: one flow in the whole body;
- :class:`Split`: an optional header flow across the top, then two flows side by side,
  the first ``span`` columns of the brand's layout grid wide (gutter: one section gap).
  Placed left to right; the planner mirrors right-to-left layouts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from factframe.layout.context import PlanContext
from factframe.layout.flow import OPTICAL_CENTRE, Flow
from factframe.layout.geomap import MapNode
from factframe.layout.model import Box, LayoutItem
from factframe.layout.nodes import ChartNode, ImageNode

__all__ = ["Arrangement", "Fill", "Split", "Stack"]

_EPSILON = 0.5


@dataclass(frozen=True)
class Fill:
    """How full a region is: the height its content needs and the height it has, and
    its tallest block (the one named when it does not fit)."""

    block: str
    needed: float
    available: float

    @property
    def fits(self) -> bool:
        return self.needed <= self.available + _EPSILON

    @property
    def ratio(self) -> float:
        return self.needed / max(self.available, 1.0)


class Arrangement(Protocol):
    """One way to place the body's blocks."""

    @property
    def label(self) -> str: ...

    def measure(self, body: Box, k: float) -> None: ...

    def sizes(self) -> list[tuple[str, float]]: ...

    def tightest(self, body: Box) -> Fill: ...

    def place(self, body: Box) -> list[LayoutItem]: ...


def _fill(flow: Flow, available: float) -> Fill:
    return Fill(flow.largest_block(), flow.needed, available)


class Stack:
    """One flow filling the body."""

    def __init__(self, flow: Flow, label: str = "") -> None:
        self.flow, self.label = flow, label

    def measure(self, body: Box, k: float) -> None:
        self.flow.measure(body.w, k)

    def sizes(self) -> list[tuple[str, float]]:
        return self.flow.sizes()

    def tightest(self, body: Box) -> Fill:
        return _fill(self.flow, body.h)

    def place(self, body: Box) -> list[LayoutItem]:
        return self.flow.place(body)


class Split:
    """A header across the top (optional), then two flows side by side.

    Args:
        ctx: the plan's context.
        header: the flow across the whole width, or None.
        first, second: the start-side and end-side flows.
        span: grid columns the first flow takes (of ``ctx.grid``).
        label: how the planner's notes name it.

    With a picture or chart in a column, the columns fill the height under the header;
    with text only, header and columns stay together at the optical centre.
    """

    def __init__(
        self,
        ctx: PlanContext,
        header: Flow | None,
        first: Flow,
        second: Flow,
        span: int,
        label: str = "",
    ) -> None:
        self.ctx, self.header, self.first, self.second = ctx, header, first, second
        self.span, self.label = span, label

    def _widths(self, width: float) -> tuple[float, float]:
        first = self.ctx.span(width, self.span)
        return first, width - first - self.ctx.gap

    def _top(self) -> float:
        return self.header.needed + self.ctx.gap if self.header and self.header.nodes else 0.0

    def measure(self, body: Box, k: float) -> None:
        if self.header is not None:
            self.header.measure(body.w, k)
        first, second = self._widths(body.w)
        self.first.measure(first, k)
        self.second.measure(second, k)

    def sizes(self) -> list[tuple[str, float]]:
        flows = [f for f in (self.header, self.first, self.second) if f is not None]
        return [s for f in flows for s in f.sizes()]

    def tightest(self, body: Box) -> Fill:
        available = body.h - self._top()
        if self.header is not None and available < 0:
            return Fill(self.header.largest_block(), self.header.needed, body.h)
        return max((_fill(f, available) for f in (self.first, self.second)), key=lambda f: f.ratio)

    def place(self, body: Box) -> list[LayoutItem]:
        items: list[LayoutItem] = []
        top = self._top()
        y, height = body.y, body.h - top
        if not self._has_visual():
            # text only: header and columns stay together, at the optical centre
            content = max(self.first.needed, self.second.needed)
            y += max(0.0, height - content) * OPTICAL_CENTRE
            height = min(height, content)
        if self.header is not None and self.header.nodes:
            items += self.header.place(Box(body.x, y, body.w, self.header.needed))
        first, second = self._widths(body.w)
        items += self.first.place(Box(body.x, y + top, first, height))
        items += self.second.place(Box(body.x + first + self.ctx.gap, y + top, second, height))
        return items

    def _has_visual(self) -> bool:
        flows = (self.first, self.second)
        return any(isinstance(n, ImageNode | ChartNode | MapNode) for f in flows for n in f.nodes)
