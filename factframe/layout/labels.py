"""Label placement: boxes for labels joined to their points by straight leader lines.

:func:`place_labels` takes points (anchors), the marks drawn on them, and for each label
one or more sizes (its full card first, then smaller forms) and returns a box per label,
or None for a label that had to be dropped. The rules:

hard (never broken)
    every box lies inside the frame; no two boxes overlap (they keep ``gap`` apart); no
    box covers its own mark, another label's box or a fixed obstacle; no leader runs
    through a box (its own excepted, where it ends) and no box lies over a leader, so
    every label is visibly joined to its point.

soft (minimised; weights in the cost)
    leader crossings (2 each); other points' marks covered by a box (1.5); leaders through
    other marks (0.5); other marks within a label's height of the box (0.1: room the
    others need); leader length (1 for the frame's diagonal); a label below its point
    rather than above (0.04: AR labels float above what they name).

Labels are placed greedily in order of priority, each at the cheapest of 240 candidate
boxes around its point (16 directions × 5 distances × 3 slides) or, when none of those is
free, of a grid over the whole frame. When full cards would fill more than 30 % of the
frame, the labels that matter less start from a shorter form; a shorter form is also
tried when the full one finds no place nearer than ``far`` px. Candidates are scored with
numpy, all at once: what does not move (the frame, the marks, the obstacles) once per
label and form, the other labels' boxes and leaders at every try, and the leader tests
only on the boxes that passed the box tests.

Then a local search untangles what the greedy order left (two rounds): every label with a
crossing leader or over another point is placed again, and the two labels of every pair
of crossing leaders trade places (each takes its cheapest box centred in the other's: of
two crossing leaders, the traded ends are shorter together and mostly do not cross) or
are both placed again, either first; a label whose leader still crosses three or more
takes its best place around its point, a neighbour moving elsewhere for it. A move is
kept only when the cost of the whole placement drops, so the hard rules still hold and
no crossing is traded for two covered points. A label that found no place is tried
again, then once more after moving one of its four nearest neighbours elsewhere, right
after the greedy pass and after each of the first two untanglings (which make room as
they go); a label that still finds none is dropped, so the lowest priorities go first
(they are placed last). Labels placed late get one more round of untangling. Everything
is counted in rounds, not timed, so the same input gives the same boxes on any machine.

The crossings and covered marks that remain are reported (:class:`LabelPlacement`). On
the crowded test photos (1600 × 1000 px, eight random scenes each, pins and rings) about
1–2 crossings remain with 20 cards, 4–6 with 30 and 12–18 with 40, while slightly fewer
labels are dropped (before this search: 2, 7–11 and 18–21).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from factframe.layout.model import Box

__all__ = ["LabelPlacement", "LabelRequest", "place_labels"]

# cost weights (a leader as long as the frame's diagonal costs 1)
_CROSSING = 2.0
_COVERED = 1.5
_BELOW = 0.04
_CROWDING = 0.1  # per other mark within a label's height of the box: room others need
_THROUGH = 0.5  # per other mark a leader runs through
_DIRECTIONS = 16
_CROWDED = 0.3  # share of the frame that full cards may fill before shorter forms are used
_EJECT_TRIES = 4  # placed labels nearest a dropped one that may be moved for it
_RESCUE = 3  # crossings of one leader that make moving a neighbour out of its way worth it
_RETRIES = 2  # rounds of untangling, each followed by trying the dropped labels again
_DISTANCES = (0.0, 0.6, 1.5, 3.0, 5.5)  # × the label's height, beyond the mark
_SLIDES = (0.0, -0.45, 0.45)  # × the box's extent across the direction


@dataclass(frozen=True)
class LabelRequest:
    """One label to place.

    Attributes:
        anchor: the point (px) its leader starts from.
        mark: what is drawn on the point (a pin, a ring, a highlighted box): no box may
            cover its own mark; covering other marks costs.
        sizes: (width, height) of the label's forms, preferred first.
        priority: higher is placed first (and dropped last).
        from_edge: the leader starts on the mark's edge (a highlighted box), not at the
            anchor.
    """

    anchor: tuple[float, float]
    mark: Box
    sizes: tuple[tuple[float, float], ...]
    priority: float = 1.0
    from_edge: bool = False


@dataclass(frozen=True)
class LabelPlacement:
    """Where the labels went, one entry per request, in the requests' order.

    Attributes:
        boxes: each label's box, None where it was dropped.
        forms: the index of the size used (0 = the full form), None where dropped.
        leaders: (start, end) of each label's leader, None where dropped.
        dropped: indices of the dropped labels, lowest priority first.
        crossings: pairs of leaders that cross.
        covered: (label, point) pairs where a label's box covers another point's mark.
    """

    boxes: tuple[Box | None, ...]
    forms: tuple[int | None, ...]
    leaders: tuple[tuple[tuple[float, float], tuple[float, float]] | None, ...]
    dropped: tuple[int, ...] = ()
    crossings: tuple[tuple[int, int], ...] = ()
    covered: tuple[tuple[int, int], ...] = ()


def _boxes_array(boxes: Sequence[Box]) -> np.ndarray:
    if not boxes:
        return np.zeros((0, 4))
    return np.array([[b.x, b.y, b.right, b.bottom] for b in boxes], dtype=np.float64)


def _clamp_points(points: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """The nearest point of each box to each point (row by row), shape (m, 2)."""
    return np.stack(
        [
            np.clip(points[:, 0], boxes[:, 0], boxes[:, 2]),
            np.clip(points[:, 1], boxes[:, 1], boxes[:, 3]),
        ],
        axis=1,
    )


def _segments_hit_boxes(p0: np.ndarray, p1: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Whether each segment (m) passes through each box's interior (k): (m, k) bools
    (the slab method: the segment's parameter interval inside both slabs is not empty)."""
    if len(p0) == 0 or len(boxes) == 0:
        return np.zeros((len(p0), len(boxes)), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        enter, leave = np.zeros((len(p0), len(boxes))), np.ones((len(p0), len(boxes)))
        for axis in (0, 1):
            origin = p0[:, axis : axis + 1]
            inverse = 1.0 / (p1[:, axis : axis + 1] - origin)  # ±inf along the other axis
            t_low = (boxes[None, :, axis] - origin) * inverse
            t_high = (boxes[None, :, axis + 2] - origin) * inverse
            # nan (0 · inf: the segment runs along a box edge) counts as outside the slab
            near = np.where(np.isnan(t_low), np.inf, np.fmin(t_low, t_high))
            far = np.where(np.isnan(t_high), -np.inf, np.fmax(t_low, t_high))
            enter = np.maximum(enter, near)
            leave = np.minimum(leave, far)
    hit: np.ndarray = enter < leave - 1e-9
    return hit


def _segments_cross(a0: np.ndarray, a1: np.ndarray, b0: np.ndarray, b1: np.ndarray) -> np.ndarray:
    """Whether segments a (m) and b (k) properly cross: (m, k) bools."""
    if len(a0) == 0 or len(b0) == 0:
        return np.zeros((len(a0), len(b0)), dtype=bool)

    def orient(p: np.ndarray, q: np.ndarray, r: np.ndarray) -> np.ndarray:
        turn: np.ndarray = (q[..., 0] - p[..., 0]) * (r[..., 1] - p[..., 1]) - (
            q[..., 1] - p[..., 1]
        ) * (r[..., 0] - p[..., 0])
        return turn

    A0, A1 = a0[:, None, :], a1[:, None, :]
    B0, B1 = b0[None, :, :], b1[None, :, :]
    d1, d2 = orient(A0, A1, B0), orient(A0, A1, B1)
    d3, d4 = orient(B0, B1, A0), orient(B0, B1, A1)
    crossing: np.ndarray = (d1 * d2 < 0) & (d3 * d4 < 0)
    return crossing


@dataclass(frozen=True)
class _Candidates:
    """Candidate boxes of one label and form that pass the static tests: their static
    cost and their leaders."""

    boxes: np.ndarray
    cost: np.ndarray
    starts: np.ndarray
    ends: np.ndarray


class _Placer:
    def __init__(
        self,
        requests: Sequence[LabelRequest],
        frame: Box,
        gap: float,
        obstacles: Sequence[Box],
        far: float,
        direction: Literal["ltr", "rtl"],
    ) -> None:
        self.requests = requests
        self.frame = frame
        self.gap = gap
        self.far = far
        self.direction = direction
        self.diagonal = math.hypot(frame.w, frame.h)
        self.obstacles = _boxes_array(obstacles)
        self.anchors = np.array([r.anchor for r in requests], dtype=np.float64).reshape(-1, 2)
        self.marks = _boxes_array([r.mark for r in requests])
        n = len(requests)
        self.boxes = np.full((n, 4), np.nan)
        self.forms: list[int | None] = [None] * n
        self.first_form = [0] * n
        self.starts = np.full((n, 2), np.nan)
        self.ends = np.full((n, 2), np.nan)
        self.cache: dict[tuple[int, int, bool], _Candidates] = {}

    # --- candidates ------------------------------------------------------------------------

    def _local(self, i: int, w: float, h: float) -> np.ndarray:
        ax, ay = self.requests[i].anchor
        mark = self.marks[i]
        reach = max(mark[2] - ax, ax - mark[0], mark[3] - ay, ay - mark[1]) + self.gap
        angles = np.linspace(-math.pi / 2, 3 * math.pi / 2, _DIRECTIONS, endpoint=False)
        if self.direction == "rtl":  # mirror the tie-breaking order, not the geometry
            angles = math.pi - angles
        cos, sin = np.cos(angles)[:, None, None], np.sin(angles)[:, None, None]
        support = np.abs(w / 2 * cos) + np.abs(h / 2 * sin)
        d = reach + np.array(_DISTANCES)[None, :, None] * h
        slide = np.array(_SLIDES)[None, None, :]
        across = np.abs(w * sin) + np.abs(h * cos)
        cx = ax + (d + support) * cos - slide * across * sin
        cy = ay + (d + support) * sin + slide * across * cos
        cx, cy = np.broadcast_arrays(cx, cy)
        return self._boxes_at(cx.reshape(-1), cy.reshape(-1), w, h)

    def _grid(self, w: float, h: float) -> np.ndarray:
        f = self.frame
        xs = np.arange(f.x + w / 2, f.right - w / 2 + 1e-6, max(w / 3, 1.0))
        ys = np.arange(f.y + h / 2, f.bottom - h / 2 + 1e-6, max(h / 2, 1.0))
        if len(xs) == 0 or len(ys) == 0:
            return np.zeros((0, 4))
        cx, cy = np.meshgrid(xs, ys)
        return self._boxes_at(cx.reshape(-1), cy.reshape(-1), w, h)

    def _boxes_at(self, cx: np.ndarray, cy: np.ndarray, w: float, h: float) -> np.ndarray:
        f = self.frame
        x0 = np.clip(cx - w / 2, f.x, f.right - w)
        y0 = np.clip(cy - h / 2, f.y, f.bottom - h)
        return np.stack([x0, y0, x0 + w, y0 + h], axis=1)

    # --- scoring ---------------------------------------------------------------------------

    def _leaders(self, i: int, cands: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        request = self.requests[i]
        anchor = np.broadcast_to(self.anchors[i], (len(cands), 2))
        end = _clamp_points(anchor, cands)
        if not request.from_edge:
            return anchor, end
        start = _clamp_points(end, np.broadcast_to(self.marks[i], (len(cands), 4)))
        return start, end

    def _static(self, i: int, cands: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(cost, valid) of candidate boxes for label i from what does not move: the frame,
        its own mark, the obstacles, the other points' marks."""
        g = self.gap
        f = self.frame
        valid = (cands[:, 0] >= f.x - 0.5) & (cands[:, 2] <= f.right + 0.5)
        valid &= (cands[:, 1] >= f.y - 0.5) & (cands[:, 3] <= f.bottom + 0.5)
        own = self.marks[i] + np.array([-g / 2, -g / 2, g / 2, g / 2])
        valid &= ~_overlap(cands, own[None, :])[:, 0]
        if len(self.obstacles):
            valid &= ~_overlap(cands, self.obstacles).any(axis=1)
        cost = np.full(len(cands), np.inf)
        keep = np.flatnonzero(valid)
        if len(keep) == 0:
            return cost, valid
        boxes = cands[keep]
        start, end = self._leaders(i, boxes)
        if len(self.obstacles):
            valid[keep] = ~_segments_hit_boxes(start, end, self.obstacles).any(axis=1)
        marks = np.delete(self.marks, i, axis=0)
        covered = _overlap(boxes, marks).sum(axis=1)
        h = (boxes[:, 3] - boxes[:, 1])[:, None]
        halo = boxes + np.concatenate([-h, -h, h, h], axis=1)
        crowding = _overlap(halo, marks).sum(axis=1) - covered
        through = _segments_hit_boxes(start, end, marks).sum(axis=1)
        below = boxes[:, 1] > self.anchors[i, 1]
        length = np.hypot(*(end - start).T)
        cost[keep] = (
            length / self.diagonal
            + _COVERED * covered
            + _CROWDING * crowding
            + _THROUGH * through
            + _BELOW * below
        )
        return cost, valid

    def _candidates(self, i: int, form: int, grid: bool) -> _Candidates:
        """Label i's candidate boxes of one form (around its point, or a grid over the
        frame), with their static cost; only the valid ones, computed once."""
        key = (i, form, grid)
        if key not in self.cache:
            w, h = self.requests[i].sizes[form]
            cands = self._grid(w, h) if grid else self._local(i, w, h)
            cost, valid = self._static(i, cands)
            cands, cost = cands[valid], cost[valid]
            start, end = self._leaders(i, cands)
            self.cache[key] = _Candidates(cands, cost, start, end)
        return self.cache[key]

    def _score(self, i: int, cands: _Candidates | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(cost, valid) of candidate boxes for label i against the labels placed now; the
        box tests run first, the leader tests only on the boxes still valid."""
        if isinstance(cands, np.ndarray):
            static, ok = self._static(i, cands)
            boxes_all = cands
            start_all, end_all = self._leaders(i, cands)
        else:
            static, ok = cands.cost, np.ones(len(cands.boxes), dtype=bool)
            boxes_all, start_all, end_all = cands.boxes, cands.starts, cands.ends
        g = self.gap
        placed = np.flatnonzero(~np.isnan(self.boxes[:, 0]))
        placed = placed[placed != i]
        others = self.boxes[placed]
        valid = ok.copy()
        if len(placed):
            valid &= ~_overlap(boxes_all, others + np.array([-g, -g, g, g])).any(axis=1)
        cost = np.full(len(boxes_all), np.inf)
        keep = np.flatnonzero(valid)
        if len(keep) == 0:
            return cost, valid
        boxes, start, end = boxes_all[keep], start_all[keep], end_all[keep]
        good = np.ones(len(keep), dtype=bool)
        n_cross = np.zeros(len(keep))
        if len(placed):
            margin = np.array([-g / 4, -g / 4, g / 4, g / 4])
            good &= ~_segments_hit_boxes(start, end, others + margin).any(axis=1)
            # the placed labels' leaders must not run under the new box
            hit = _segments_hit_boxes(self.starts[placed], self.ends[placed], boxes + margin)
            good &= ~hit.any(axis=0)
            crossings = _segments_cross(start, end, self.starts[placed], self.ends[placed])
            n_cross = crossings.sum(axis=1)
        cost[keep] = static[keep] + _CROSSING * n_cross
        valid[keep] = good
        return cost, valid

    def _best(self, i: int, form: int, grid: bool) -> tuple[float, np.ndarray] | None:
        cands = self._candidates(i, form, grid)
        if len(cands.boxes) == 0:
            return None
        cost, valid = self._score(i, cands)
        if not valid.any():
            return None
        k = int(np.argmin(np.where(valid, cost, np.inf)))
        return float(cost[k]), cands.boxes[k]

    def _set(self, i: int, form: int | None, box: np.ndarray | None) -> None:
        self.forms[i] = form
        if box is None:
            self.boxes[i] = np.nan
            self.starts[i] = self.ends[i] = np.nan
            return
        self.boxes[i] = box
        start, end = self._leaders(i, box[None, :])
        self.starts[i], self.ends[i] = start[0], end[0]

    def place(self, i: int) -> bool:
        fallback: tuple[float, int, np.ndarray] | None = None
        for form in range(self.first_form[i], len(self.requests[i].sizes)):
            found = self._best(i, form, grid=False) or self._best(i, form, grid=True)
            if found is None:
                continue
            cost, box = found
            start, end = self._leaders(i, box[None, :])
            if math.hypot(*(end[0] - start[0])) <= self.far:
                self._set(i, form, box)
                return True
            if fallback is None or cost < fallback[0]:
                fallback = (cost, form, box)
        if fallback is None:
            return False
        self._set(i, fallback[1], fallback[2])
        return True

    def improve(self, i: int) -> None:
        """Places label i again (same form) if that lowers its cost against the others."""
        form = self.forms[i]
        if form is None:
            return
        current = self.boxes[i].copy()
        cost_now, valid_now = self._score(i, current[None, :])
        for grid in (False, True):
            found = self._best(i, form, grid=grid)
            if found is not None and (not valid_now[0] or found[0] < cost_now[0] - 1e-9):
                self._set(i, form, found[1])
                cost_now, valid_now = np.array([found[0]]), np.array([True])

    def _nearest(self, i: int) -> np.ndarray:
        """The placed labels but i whose boxes lie nearest its point, nearest first (the
        :data:`_EJECT_TRIES` that may move out of its way)."""
        ax, ay = self.anchors[i]
        placed = np.flatnonzero(~np.isnan(self.boxes[:, 0]))
        placed = placed[placed != i]
        centres = (self.boxes[placed, :2] + self.boxes[placed, 2:]) / 2
        near: np.ndarray = placed[np.argsort(np.hypot(centres[:, 0] - ax, centres[:, 1] - ay))]
        return near[:_EJECT_TRIES]

    def eject(self, i: int) -> bool:
        """Places a dropped label i by moving one placed label out of its way: i takes its
        best place free of all labels but j, then j is placed again anywhere; undone
        unless both fit."""
        for j in self._nearest(i):
            saved = (self.forms[j], self.boxes[j].copy())
            self._set(int(j), None, None)
            if self.place(i) and self.place(int(j)):
                return True
            self._set(i, None, None)
            self._set(int(j), saved[0], saved[1])
        return False

    def total(self) -> float:
        """The cost of the whole placement: every crossing once, each label's own terms."""
        placed = np.flatnonzero(~np.isnan(self.boxes[:, 0]))
        if len(placed) == 0:
            return 0.0
        boxes, start, end = self.boxes[placed], self.starts[placed], self.ends[placed]
        crossings = np.triu(_segments_cross(start, end, start, end), 1).sum()
        over = _overlap(boxes, self.marks)
        over[np.arange(len(placed)), placed] = False
        h = (boxes[:, 3] - boxes[:, 1])[:, None]
        halo = _overlap(boxes + np.concatenate([-h, -h, h, h], axis=1), self.marks)
        halo[np.arange(len(placed)), placed] = False
        through = _segments_hit_boxes(start, end, self.marks)
        through[np.arange(len(placed)), placed] = False
        covered = over.sum()
        cost = (
            np.hypot(*(end - start).T).sum() / self.diagonal
            + _CROSSING * crossings
            + _COVERED * covered
            + _CROWDING * (halo.sum() - covered)
            + _THROUGH * through.sum()
            + _BELOW * (boxes[:, 1] > self.anchors[placed, 1]).sum()
        )
        return float(cost)

    def _state(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int | None]]:
        return self.boxes.copy(), self.starts.copy(), self.ends.copy(), list(self.forms)

    def _restore(self, state: tuple[np.ndarray, np.ndarray, np.ndarray, list[int | None]]) -> None:
        self.boxes, self.starts, self.ends = (a.copy() for a in state[:3])
        self.forms = list(state[3])

    def _replace(self, i: int, form: int) -> bool:
        """Places label i (form fixed) at its cheapest valid box around its point."""
        self._set(i, None, None)
        found = self._best(i, form, grid=False)
        if found is None:
            return False
        self._set(i, form, found[1])
        return True

    def _near(self, k: int, form: int, place: np.ndarray) -> np.ndarray:
        """Label k's candidate boxes (around its point and on the grid) whose centre lies
        in ``place`` (another label's box)."""
        parts = []
        for grid in (False, True):
            c = self._candidates(k, form, grid).boxes
            cx, cy = (c[:, 0] + c[:, 2]) / 2, (c[:, 1] + c[:, 3]) / 2
            inside = (cx >= place[0]) & (cx <= place[2]) & (cy >= place[1]) & (cy <= place[3])
            parts.append(c[inside])
        w, h = self.requests[k].sizes[form]
        x0, y0, x1, y1 = place
        cx = np.array([(x0 + x1) / 2, x0 + w / 2, x1 - w / 2])
        cy = np.array([(y0 + y1) / 2, y0 + h / 2, y1 - h / 2])
        gx, gy = np.meshgrid(cx, cy)
        exact = self._boxes_at(gx.reshape(-1), gy.reshape(-1), w, h)
        return np.concatenate([exact, *parts])

    def _trade(self, first: int, second: int) -> bool:
        """The two labels trade places: each takes its cheapest box centred inside the
        other's (first chooses first); False when either finds none (state unchanged)."""
        saved = self._state()
        places = {first: self.boxes[first].copy(), second: self.boxes[second].copy()}
        forms = {first: self.forms[first], second: self.forms[second]}
        self._set(first, None, None)
        self._set(second, None, None)
        for k, other in ((first, second), (second, first)):
            form = forms[k]
            assert form is not None
            cands = self._near(k, form, places[other])
            if len(cands):
                cost, valid = self._score(k, cands)
                if valid.any():
                    self._set(k, form, cands[int(np.argmin(np.where(valid, cost, np.inf)))])
                    continue
            self._restore(saved)
            return False
        return True

    def _move_pair(self, first: int, second: int, trade: bool) -> bool:
        """Moves two labels: they trade places, or both are placed again (``first`` first);
        False when one finds no place (the caller restores the state)."""
        if trade:
            return self._trade(first, second)
        forms = (self.forms[first], self.forms[second])
        assert forms[0] is not None and forms[1] is not None
        self._set(first, None, None)
        self._set(second, None, None)
        return self._replace(first, forms[0]) and self._replace(second, forms[1])

    def _rescue(self, i: int, cost: float) -> float:
        """Label i, whose leader crosses several, takes its best place around its point
        free of all labels but one of its nearest neighbours j, which is then placed again
        (as :meth:`eject` does for a dropped label); kept when the whole cost drops."""
        form = self.forms[i]
        assert form is not None
        saved = self._state()
        for j in self._nearest(i):
            fj = self.forms[int(j)]
            assert fj is not None
            self._set(int(j), None, None)
            if self._replace(i, form) and self._replace(int(j), fj):
                new = self.total()
                if new < cost - 1e-9:
                    return new
            self._restore(saved)
        return cost

    def untangle(self, rounds: int) -> None:
        """Local search on the labels in conflict, a move kept when the whole placement's
        cost drops: each label with a crossing leader or over another point is placed
        again; then the two labels of each crossing trade places, or are both placed
        again (either first); then a label whose leader still crosses several moves next
        to its point, moving one of its neighbours elsewhere."""
        for _ in range(rounds):
            crossings, covered = self.conflicts()
            involved = sorted({i for pair in crossings for i in pair} | {i for i, _ in covered})
            if not involved:
                return
            for i in sorted(involved, key=lambda i: (-self.requests[i].priority, i)):
                self.improve(i)
            cost = self.total()
            improved = False
            for i, j in self.conflicts()[0]:
                if self.forms[i] is None or self.forms[j] is None:
                    continue
                saved = self._state()
                for move in ((i, j, True), (j, i, True), (i, j, False), (j, i, False)):
                    self._restore(saved)
                    if self._move_pair(*move) and (new := self.total()) < cost - 1e-9:
                        cost, improved = new, True
                        break
                else:
                    self._restore(saved)
            pairs = np.array(self.conflicts()[0], dtype=int).reshape(-1)
            many = np.bincount(pairs, minlength=len(self.requests)) >= _RESCUE
            for label in np.flatnonzero(many):
                after = self._rescue(int(label), cost)
                improved |= after < cost
                cost = after
            if not improved:
                return

    def conflicts(self) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        placed = np.flatnonzero(~np.isnan(self.boxes[:, 0]))
        starts, ends = self.starts[placed], self.ends[placed]
        cross = np.triu(_segments_cross(starts, ends, starts, ends), 1)
        crossings = [(int(placed[a]), int(placed[b])) for a, b in np.argwhere(cross)]
        over = _overlap(self.boxes[placed], self.marks)
        covered = [(int(placed[a]), int(b)) for a, b in np.argwhere(over) if placed[a] != b]
        return crossings, covered


def _overlap(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether boxes a (m) and b (k) overlap (interiors): (m, k) bools."""
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)), dtype=bool)
    result: np.ndarray = (
        (a[:, None, 0] < b[None, :, 2])
        & (a[:, None, 2] > b[None, :, 0])
        & (a[:, None, 1] < b[None, :, 3])
        & (a[:, None, 3] > b[None, :, 1])
    )
    return result


def place_labels(
    requests: Sequence[LabelRequest],
    frame: Box,
    *,
    gap: float = 8.0,
    obstacles: Sequence[Box] = (),
    far: float | None = None,
    direction: Literal["ltr", "rtl"] = "ltr",
    rounds: int = 2,
) -> LabelPlacement:
    """Places a box for every label it can (see the module docs for the rules).

    Args:
        requests: the labels, with their anchors, marks, sizes and priorities.
        frame: every box lies inside it (a photo's safe area).
        gap: px kept between boxes, and between a box and its own mark.
        obstacles: boxes no label or leader may touch (a sources line).
        far: a leader longer than this (px) makes a smaller form worth trying; default a
            quarter of the frame's diagonal.
        direction: ``rtl`` mirrors the order in which equally good places are preferred.
        rounds: rounds of the local search that untangles crossing leaders (one more
            after labels placed late); 0 leaves the greedy placement as it is.

    Returns:
        a :class:`LabelPlacement`; ``dropped`` lists labels with no free place at all.

    Example:
        >>> req = LabelRequest((500, 400), Box(490, 390, 20, 20), ((200, 60),))
        >>> place_labels([req], Box(0, 0, 1000, 800)).boxes[0] is not None
        True
    """
    reach = far if far is not None else math.hypot(frame.w, frame.h) / 4
    by_priority = sorted(range(len(requests)), key=lambda i: (-requests[i].priority, i))
    # a crowded photo: the labels that matter most keep their full cards within a share
    # of the frame; the others start from a shorter form
    first_form = [0] * len(requests)
    budget = _CROWDED * frame.w * frame.h
    for i in by_priority:
        areas = [(w + gap) * (h + gap) for w, h in requests[i].sizes]
        first_form[i] = next((k for k, a in enumerate(areas) if a <= budget), len(areas) - 1)
        budget -= areas[first_form[i]]

    def run(order: list[int]) -> tuple[_Placer, list[int]]:
        placer = _Placer(requests, frame, gap, obstacles, reach, direction)
        placer.first_form = list(first_form)
        dropped = [i for i in order if not placer.place(i)]

        def retry() -> bool:
            """Dropped labels again: room may have been made; else one neighbour moves."""
            nonlocal dropped
            late = [i for i in dropped if placer.place(i) or placer.eject(i)]
            dropped = [i for i in dropped if i not in late]
            return bool(late)

        retry()
        for k in range(_RETRIES):
            placer.untangle(rounds if k == 0 else min(rounds, 1))
            if not retry():
                break
        else:  # the last labels placed late are untangled too
            placer.untangle(min(rounds, 1))
        return placer, [i for i in by_priority if i in set(dropped)]

    placer, dropped = run(by_priority)
    crossings, covered = placer.conflicts()
    boxes = tuple(
        None
        if np.isnan(b[0])
        else Box(float(b[0]), float(b[1]), float(b[2] - b[0]), float(b[3] - b[1]))
        for b in placer.boxes
    )
    leaders = tuple(
        None
        if np.isnan(placer.starts[i, 0])
        else (
            (float(placer.starts[i, 0]), float(placer.starts[i, 1])),
            (float(placer.ends[i, 0]), float(placer.ends[i, 1])),
        )
        for i in range(len(requests))
    )
    return LabelPlacement(
        boxes,
        tuple(placer.forms),
        leaders,
        tuple(reversed(dropped)),
        tuple(crossings),
        tuple(covered),
    )
