"""Benchmark: a full render against a re-render after a one-block edit in a session.

Usage::

    python benchmarks/session.py [--runs N] [--warmup N] [--save DIR]

Two cards, both 1080×1080:

- **weather**: the reference weather card of ``render_card.py`` (gradient, title,
  subtitle, six rows on a translucent card);
- **picture**: the same card with a generated (procedural) picture block.

For each, in a warm process (fonts loaded, shaping caches filled):

- *full render*: ``factframe.render(spec).pixels``: plan, build the scene (paint the
  picture), draw every pixel;
- *edit + re-render*: ``session.apply(op)`` then ``session.rendered.pixels``: validate the
  op, bind, refit the edited block in its region, build its layer, re-draw its rectangle.
  Every run uses a new colour or text, so the edited layer is never a cache hit; the
  other layers are (that is the point);
- for the picture card also a full render with PNG encoding next to an edit with PNG
  encoding (what a UI shows), and an edit of the picture's own prompt (the picture is
  painted again, and the stray-text guard reads it when tesseract is installed) next to a
  full render that paints it again too (the backends' own cache cleared: otherwise a
  repeated full render of one spec finds its picture there).

Each row is the median (and 90th percentile) of ``--runs`` runs after ``--warmup``. The
acceptance is re-render ≤ half the full render of the same card.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterator, Sequence
from typing import Any

from _report import Row, arguments, machine_lines, print_table, timed  # beside this script
from render_card import weather_card

import factframe
from factframe import Restyle, Session, SetText
from factframe.generator.backends.generation import clear_cache

ACCEPTANCE = 0.5  # re-render ≤ this share of the full render


def picture_card() -> dict[str, Any]:
    """The weather card with a painted picture between the subtitle and the rows."""
    spec = weather_card()
    spec["blocks"].insert(
        2, {"type": "image", "prompt": "calm sea at dawn", "backend": "procedural", "seed": 7}
    )
    return spec


def colours() -> Iterator[str]:
    """A new colour every time (no cache hit for the edited layer)."""
    for n in itertools.count():
        yield f"#{(n * 2654435761) % 0xFFFFFF:06x}"


def p90(samples: Sequence[float]) -> float:
    return statistics.quantiles(samples, n=10)[-1] if len(samples) > 1 else samples[0]


def main(argv: list[str] | None = None) -> int:
    args = arguments(
        __doc__.split("\n\n")[0],
        argv,
        runs=30,
        warmup=3,
        save="write the edited cards as PNG into DIR",
        runs_help="timed runs per row (default 30)",
        warmup_help="untimed runs first (default 3)",
    )
    runs, warmup = args.runs, args.warmup
    for line in machine_lines():
        print(line)
    print(f"runs     : {runs} per row after {warmup} warm-up runs; GC left on")
    print()

    rows: list[Row] = []
    verdicts: list[bool] = []

    def accept(edit: list[float], full: list[float]) -> str:
        """The edit's share of the full render, and whether it passes."""
        ratio = statistics.median(edit) / statistics.median(full)
        verdicts.append(ratio <= ACCEPTANCE)
        return f"{ratio:.2f} of full: {'PASS' if ratio <= ACCEPTANCE else 'FAIL'} (≤ 0.50)"

    for name, spec in (("weather", weather_card()), ("picture", picture_card())):
        full = timed(lambda spec=spec: factframe.render(spec).pixels, runs, warmup)
        session = Session(spec)
        colour = colours()

        def restyle(session: Session = session, colour: Iterator[str] = colour) -> object:
            return session.apply(Restyle(block="title-0", color=next(colour))).pixels

        edit = timed(restyle, runs, warmup)
        assert session.last.built == ("title-0",), session.last
        rows.append(Row(f"{name}: full render, spec → pixels", full))
        rows.append(Row(f"{name}: restyle title + re-render", edit, verdict=accept(edit, full)))
        counter = itertools.count()

        def retitle(session: Session = session, counter: Iterator[int] = counter) -> object:
            words = ("Lisbon", "Porto", "Faro", "Braga", "Évora", "Sintra", "Coimbra")
            n = next(counter)  # a number in the title: no two runs share a title
            title = f"Weather in {words[n % 7]} #{n}"
            return session.apply(SetText(block="title-0", text=title)).pixels

        misses = session.cache.misses
        text = timed(retitle, runs, warmup)
        # every run built the title's layer anew (a repeated title would be a cache hit)
        assert session.cache.misses - misses >= runs + warmup, session.cache.misses - misses
        rows.append(Row(f"{name}: set title text + re-render", text, verdict=accept(text, full)))
        if name == "picture":
            png_full = timed(lambda spec=spec: factframe.render(spec).to_bytes("png"), runs, 1)

            def restyle_png(session: Session = session, colour: Iterator[str] = colour) -> bytes:
                return session.apply(Restyle(block="title-0", color=next(colour))).to_bytes()

            png_edit = timed(restyle_png, runs, 1)
            ratio = statistics.median(png_edit) / statistics.median(png_full)
            rows.append(Row(f"{name}: full render → PNG", png_full))
            rows.append(
                Row(f"{name}: restyle title → PNG", png_edit, verdict=f"{ratio:.2f} of full")
            )
            seeds = itertools.count(100)

            def repaint(session: Session = session, seeds: Iterator[int] = seeds) -> object:
                prompt = f"calm sea at dawn, variation {next(seeds)}"
                return session.apply(SetText(block="image-2", field="prompt", text=prompt)).pixels

            def cold(spec: dict[str, Any] = spec) -> object:
                clear_cache()  # the backend paints the picture again, as a first render does
                return factframe.render(spec).pixels

            painted = timed(cold, runs, 1)
            paint = timed(repaint, runs, 1)
            ratio = statistics.median(paint) / statistics.median(painted)
            rows.append(Row(f"{name}: full render, picture painted anew", painted))
            verdict = f"{ratio:.2f} of that"
            rows.append(Row(f"{name}: new picture prompt + re-render", paint, verdict=verdict))
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            session.rendered.save(args.save / f"session-{name}.png")

    print_table(rows, last="verdict", rule_extra=30, p90=p90, p90_width=8, n_width=3)
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    raise SystemExit(main())
