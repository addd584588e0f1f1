"""The ``factframe`` command line.

Every expected failure (bad spec, missing file, text that cannot fit, a character without a
font) prints one clear line to stderr and exits with code 2; no traceback from inside skia
or Pillow reaches the user.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from factframe.errors import FactframeError
from factframe.pipeline import render as render_spec
from factframe.spec import Spec, load_spec
from factframe.templates import gallery

app = typer.Typer(
    name="factframe",
    help="Real facts into correct pictures: infographics and data cards with exact text.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)


def _fail(exc: FactframeError) -> typer.Exit:
    err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False, soft_wrap=True)
    return typer.Exit(code=2)


def _load(spec: Path, size: str | None, locale: str | None) -> Spec:
    """The spec file with the command line's canvas and locale overrides."""
    doc = load_spec(spec)
    if size:
        doc = doc.with_canvas(size)
    if locale:
        doc = doc.with_locale(locale)
    return doc


SpecArg = Annotated[Path, typer.Argument(help="spec file (.yaml, .yml or .json)")]
SizeOption = Annotated[
    str | None, typer.Option("--size", help="canvas preset (square, story, a4…) or WxH")
]
LocaleOption = Annotated[str | None, typer.Option("--locale", help="BCP 47 tag, e.g. ja-JP")]
OfflineOption = Annotated[
    bool, typer.Option("--offline", help="use only the fact store and embedded data")
]


@app.command()
def render(
    spec: SpecArg,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="output file: .png .jpg .webp .pdf .svg")
    ],
    size: SizeOption = None,
    locale: LocaleOption = None,
    offline: OfflineOption = False,
) -> None:
    """Render a spec file to a picture or a PDF/SVG document (and NAME.facts.json when the
    spec has facts)."""
    try:
        doc = _load(spec, size, locale)
        started = time.perf_counter()
        path = render_spec(doc, offline=offline).save(output)
    except FactframeError as exc:
        raise _fail(exc) from None
    ms = (time.perf_counter() - started) * 1000
    out.print(f"wrote {path} ({doc.canvas.width}×{doc.canvas.height}, {ms:.0f} ms)")


@app.command()
def audit(
    spec: SpecArg,
    size: SizeOption = None,
    locale: LocaleOption = None,
    offline: OfflineOption = False,
) -> None:
    """Render a spec and check its layout: overlaps, alignment, safe area, font floor, WCAG
    contrast on the pixels, glyphs, overflow. Exits 1 when a check fails."""
    try:
        report = render_spec(_load(spec, size, locale), offline=offline).audit
    except FactframeError as exc:
        raise _fail(exc) from None
    # plain text, never squeezed into "…" cells: a narrow terminal wraps the lines instead
    out.print(str(report), markup=False, highlight=False, soft_wrap=True)
    if not report.ok:
        raise typer.Exit(code=1)


@app.command()
def demo(
    output: Annotated[Path, typer.Option("-o", "--output", help="folder")] = Path("out/demo"),
    online: Annotated[
        bool, typer.Option("--online", help="also render the examples that need live data")
    ] = False,
) -> None:
    """Render the built-in gallery, each example at two sizes: offline, from embedded data
    and the fact store, unless --online (live weather from Open-Meteo)."""
    table = Table("file", "size", "ms")
    skipped = []
    try:
        for item in gallery():
            if item.online and not online:
                skipped.append(item.name)
                continue
            for size in item.sizes:
                started = time.perf_counter()
                rendered = render_spec(item.spec.with_canvas(size), offline=not item.online)
                path = rendered.save(output / f"{item.name}-{size}.png")
                ms = (time.perf_counter() - started) * 1000
                table.add_row(str(path), "×".join(map(str, rendered.size)), f"{ms:.0f}")
    except FactframeError as exc:
        raise _fail(exc) from None
    out.print(table)
    if skipped:
        out.print(
            f"needs the network, not rendered: {', '.join(skipped)} (factframe demo --online)"
        )


@app.command()
def schema() -> None:
    """Print the JSON Schema of a spec (for editors and validation)."""
    out.print_json(json.dumps(Spec.model_json_schema()))


@app.command()
def fonts() -> None:
    """List the font families found in pip packages (system fonts are looked up by name)."""
    from factframe.typography import DEFAULT_CHAIN, default_library

    library = default_library()
    table = Table("family", "source")
    names = [f.format(han="SC") for f in DEFAULT_CHAIN]
    for family in dict.fromkeys([*names, *library.families()]):
        table.add_row(family, library.source(family) or "[red]missing[/]")
    out.print(table)


def main() -> None:
    """Entry point of the ``factframe`` script."""
    app()


if __name__ == "__main__":
    main()
