"""The ``factframe`` command line.

Every expected failure (bad spec, missing file, text that cannot fit, a character without a
font) prints one clear line to stderr and exits with code 2; no traceback from inside skia
or Pillow reaches the user.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from factframe.errors import FactframeError, SpecError
from factframe.pipeline import render as render_spec
from factframe.spec import Spec
from factframe.spec_documents import Document, load_document
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


def _load(spec: Path, size: str | None, locale: str | None, layout: str | None = None) -> Document:
    """The document in a spec file (a card, an annotation or a mockup) with the command
    line's canvas, locale and layout overrides (a card's: the others have no canvas)."""
    doc = load_document(spec)
    if not isinstance(doc, Spec):
        given = [f"--{n}" for n, v in (("size", size), ("locale", locale), ("layout", layout)) if v]
        if given:
            raise SpecError(f"{', '.join(given)}: only for cards, this is kind: {doc.kind}", "kind")
        return doc
    if size:
        doc = doc.with_canvas(size)
    if locale:
        doc = doc.with_locale(locale)
    if layout:
        doc = doc.with_layout(layout)
    return doc


SpecArg = Annotated[Path, typer.Argument(help="spec file (.yaml, .yml or .json)")]
SizeOption = Annotated[
    str | None, typer.Option("--size", help="canvas preset (square, story, a4…) or WxH")
]
LocaleOption = Annotated[str | None, typer.Option("--locale", help="BCP 47 tag, e.g. ja-JP")]
OfflineOption = Annotated[
    bool, typer.Option("--offline", help="use only the fact store and embedded data")
]
LayoutOption = Annotated[
    str | None,
    typer.Option("--layout", help="planner strategy: auto, stack, grid, hero, columns, …"),
]


@app.command()
def render(
    spec: SpecArg,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="output file: .png .jpg .webp .pdf .svg")
    ],
    size: SizeOption = None,
    locale: LocaleOption = None,
    layout: LayoutOption = None,
    offline: OfflineOption = False,
) -> None:
    """Render a spec file to a picture or a PDF/SVG document (and NAME.facts.json when the
    spec has facts)."""
    try:
        doc = _load(spec, size, locale, layout)
        started = time.perf_counter()
        rendered = render_spec(doc, offline=offline)
        path = rendered.save(output)
    except FactframeError as exc:
        raise _fail(exc) from None
    ms = (time.perf_counter() - started) * 1000
    width, height = rendered.size
    out.print(f"wrote {path} ({width}×{height}, {ms:.0f} ms)")


@app.command()
def audit(
    spec: SpecArg,
    size: SizeOption = None,
    locale: LocaleOption = None,
    layout: LayoutOption = None,
    offline: OfflineOption = False,
) -> None:
    """Render a spec and check its layout: overlaps, alignment, safe area, font floor, WCAG
    contrast on the pixels, glyphs, overflow. Exits 1 when a check fails."""
    try:
        report = render_spec(_load(spec, size, locale, layout), offline=offline).audit
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
def schema(
    kind: Annotated[
        str, typer.Option("--kind", help="card (default), annotation or mockup")
    ] = "card",
) -> None:
    """Print the JSON Schema of a spec (for editors and validation)."""
    from factframe.spec_annotation import AnnotationSpec
    from factframe.spec_mockup import MockupSpec

    models: dict[str, type[BaseModel]] = {
        "card": Spec, "annotation": AnnotationSpec, "mockup": MockupSpec,
    }  # fmt: skip
    if kind not in models:
        raise _fail(SpecError(f"unknown kind {kind!r}; use one of {', '.join(models)}", "kind"))
    out.print_json(json.dumps(models[kind].model_json_schema()))


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


# --- templates and batches ---------------------------------------------------------------

templates_app = typer.Typer(
    help="The built-in spec templates for batches (or your own .yaml.j2 files).",
    no_args_is_help=True,
)
app.add_typer(templates_app, name="templates")


@templates_app.command("list")
def templates_list() -> None:
    """List the built-in templates."""
    from factframe.templates.spec_template import builtin_templates

    table = Table("what", "sizes", "locales")
    table.add_column("name", no_wrap=True)
    for t in builtin_templates():
        info = t.info
        table.add_row(info.title, ", ".join(info.sizes), ", ".join(info.locales), t.name)
    out.print(table)
    out.print("factframe templates show NAME: its variables · factframe batch NAME --data FILE")


@templates_app.command("show")
def templates_show(
    name: Annotated[str, typer.Argument(help="a built-in template's name, or a template file")],
    source: Annotated[bool, typer.Option("--source", help="also print the template")] = False,
) -> None:
    """Show a template: what it makes, its variables, an example row."""
    from factframe.templates.spec_template import example_row, load_template

    try:
        template = load_template(name)
    except FactframeError as exc:
        raise _fail(exc) from None
    info = template.info
    out.print(f"[bold]{info.title or template.name}[/] ({template.name})", highlight=False)
    if info.description:
        out.print(info.description, markup=False, highlight=False)
    facts = [
        f"sizes: {', '.join(info.sizes) or 'square'}",
        f"locales: {', '.join(info.locales) or 'en'}",
        f"files named by: {info.key or 'id'}",
        *([f"sample: {info.sample}"] if info.sample else []),
    ]
    out.print(" · ".join(facts), highlight=False)
    table = Table("variable", "type", "needed", "example", "meaning")
    for var in info.variables.values():
        needed = "yes" if var.required else "no"
        if var.default is not None:
            needed = f"no (default {var.default})"
        example = "" if var.example is None else str(var.example)
        table.add_row(var.name, var.type, needed, example, var.description)
    out.print(table)
    out.print("example row (JSON):")
    out.print_json(json.dumps(example_row(template), ensure_ascii=False))
    if source:
        out.print(template.source, markup=False, highlight=False)


def _csv_option(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO date-time", param_hint="--now") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@app.command()
def batch(
    template: Annotated[str, typer.Argument(help="a built-in template's name, or a .yaml.j2 file")],
    data: Annotated[
        Path, typer.Option("--data", help="rows: .csv, .jsonl, .json or .parquet", exists=False)
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="folder")] = Path("out/batch"),
    sizes: Annotated[
        str | None, typer.Option("--sizes", help="canvas presets, e.g. square,story")
    ] = None,
    locales: Annotated[str | None, typer.Option("--locales", help="e.g. en,ja,ar")] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="processes (default: CPUs; 0: this one)")
    ] = None,
    executor: Annotated[str, typer.Option("--executor", help="local or ray")] = "local",
    resume: Annotated[
        bool, typer.Option("--resume", help="skip items the manifest says are done")
    ] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="replace existing files")] = False,
    offline: OfflineOption = False,
    now: Annotated[
        str | None, typer.Option("--now", help="resolve facts at this ISO time (reproducible)")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="png, jpeg, webp, pdf or svg")] = "png",
    key: Annotated[
        str | None, typer.Option("--key", help="the column that names the files")
    ] = None,
) -> None:
    """Render a template for every row of a data file, at every size and in every locale.

    Files go to OUTPUT as NAME-SIZE-LOCALE.png with NAME.facts.json beside them, and
    OUTPUT/manifest.jsonl records each item. Exits 1 when any item failed."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    from factframe.templates.batch import Batch

    class RateColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f} items/s" if speed else "– items/s")

    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        TimeElapsedColumn(),
        console=err,
    )
    task = progress.add_task("planning", total=None)
    try:
        job = Batch(
            template, data, output=output, sizes=_csv_option(sizes), locales=_csv_option(locales),
            workers=workers, executor=executor, resume=resume, overwrite=overwrite,
            offline=offline, now=_moment(now), format=fmt, key=key,
            on_phase=lambda phase: progress.update(task, description=phase),
        )  # fmt: skip
        progress.update(task, total=job.total)
        with progress:
            for result in job:
                progress.advance(task)
                if result.status == "failed":
                    progress.console.print(
                        f"[red]✗[/] {result.id}: {result.error}", highlight=False, soft_wrap=True
                    )
    except FactframeError as exc:
        raise _fail(exc) from None
    except KeyboardInterrupt:
        err.print("interrupted: what finished is in the manifest; --resume goes on from there")
        raise typer.Exit(code=130) from None
    summary = job.summary
    assert summary is not None
    table = Table("status", "items", title=f"{job.template.name} → {output}")
    table.add_row("rendered", str(summary.ok))
    table.add_row("skipped (done before)", str(summary.skipped))
    table.add_row("[red]failed[/]" if summary.failed else "failed", str(summary.failed))
    table.add_row("time", f"{summary.seconds:.1f} s ({summary.ok / summary.seconds:.1f} items/s)"
                  if summary.seconds else "–")  # fmt: skip
    out.print(table)
    if summary.failures:
        failures = Table("item", "row", "field", "error", title="failures")
        for r in summary.failures[:20]:
            failures.add_row(r.id, str(r.row), r.field or "", r.error or "")
        out.print(failures)
        if len(summary.failures) > 20:
            out.print(f"… and {len(summary.failures) - 20} more in {output / 'manifest.jsonl'}")
        raise typer.Exit(code=1)


@app.command()
def mockup(
    design: Annotated[
        Path | None,
        typer.Argument(help="a spec file (.yaml/.json, rendered first) or a picture"),
    ] = None,
    scene: Annotated[
        str,
        typer.Option(
            "--scene", help="billboard, poster, phone, laptop, shop-window, or a photo's path"
        ),
    ] = "billboard",
    quad: Annotated[
        str | None,
        typer.Option(
            "--quad",
            help="the surface's corners x1,y1,…,x4,y4 clockwise from top-left (scene px); "
            "detected in a photo when absent",
        ),
    ] = None,
    fit: Annotated[
        str,
        typer.Option(
            "--fit",
            help="a design of another shape than the surface: auto (re-render a spec at the "
            "surface's shape; crop a picture), cover (crop), contain (letterbox), stretch",
        ),
    ] = "auto",
    gloss: Annotated[bool, typer.Option("--gloss", help="add a soft specular sheen")] = False,
    shading: Annotated[
        float | None, typer.Option("--shading", help="0…1: how much of the scene's light")
    ] = None,
    size: Annotated[
        str | None, typer.Option("--size", help="a built-in scene's size WxH, up to 3840x2160")
    ] = None,
    occlusion: Annotated[
        Path | None,
        typer.Option("--occlusion", help="mask the scene's size: white stays in front"),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="output file (default DESIGN-SCENE.png)")
    ] = None,
    offline: OfflineOption = False,
    list_scenes: Annotated[
        bool, typer.Option("--list", help="list the built-in scenes and exit")
    ] = False,
) -> None:
    """Put a design onto a billboard, poster, phone, laptop or shop window (or a surface
    of your photo), in perspective and lit by the scene."""
    from factframe.errors import SpecError
    from factframe.generator.mockup import SCENES, scene_names
    from factframe.mockups import mockup as make_mockup

    if list_scenes:
        table = Table("scene", "what", "design aspect")
        for name in scene_names():
            table.add_row(name, SCENES[name].description, f"{SCENES[name].aspect:.2f}:1")
        out.print(table)
        return
    if design is None:
        raise _fail(SpecError("give a DESIGN (a spec file or a picture), or --list"))
    try:
        corners = _numbers(quad, "quad") if quad else None
        label = scene if scene in scene_names() else Path(scene).stem
        target = output or Path(f"{design.stem}-{label}.png")
        started = time.perf_counter()
        result = make_mockup(
            design,
            scene,
            corners,
            fit=fit,
            gloss=True if gloss else None,
            shading=shading,
            occlusion=occlusion,
            size=_size(size) if size else None,
            offline=offline,
        )
        path = result.save(target)
    except FactframeError as exc:
        raise _fail(exc) from None
    ms = (time.perf_counter() - started) * 1000
    w, h = result.size
    out.print(f"wrote {path} ({w}×{h}, {ms:.0f} ms)")
    for note in result.layout.notes[1:]:  # how the design was fitted to the surface
        out.print(note, style="dim", markup=False, highlight=False)


@app.command()
def annotate(
    photo: Annotated[Path, typer.Argument(help="the photo (JPEG, PNG…)")],
    pose: Annotated[
        str | None,
        typer.Option(
            "--pose",
            help="lat,lon,alt,heading,pitch,roll,hfov (degrees, metres); read from the "
            "photo's EXIF when absent",
        ),
    ] = None,
    poi: Annotated[
        list[str] | None,
        typer.Option("--poi", help='a point "name,lat,lon[,alt]"; repeat for more'),
    ] = None,
    near: Annotated[
        float | None,
        typer.Option("--near", help="also label Wikipedia places within RADIUS metres"),
    ] = None,
    style: Annotated[str, typer.Option("--style", help="pin, ring, box or glow")] = "pin",
    locale: Annotated[str, typer.Option("--locale", help="BCP 47 tag, e.g. de-CH")] = "en",
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="output file (default PHOTO-annotated.png)"),
    ] = None,
    offline: OfflineOption = False,
) -> None:
    """Label the landmarks a photo shows, where they are, from the camera's pose: your
    points (--poi) and the places around the camera (--near)."""
    from factframe.annotation import annotate as annotate_photo

    try:
        points = [_poi(text, f"--poi[{i}]") for i, text in enumerate(poi or [])]
        started = time.perf_counter()
        result = annotate_photo(
            photo, points, pose, locale=locale, near=near, style=style, offline=offline
        )
        path = result.save(output or photo.with_name(f"{photo.stem}-annotated.png"))
    except FactframeError as exc:
        raise _fail(exc) from None
    ms = (time.perf_counter() - started) * 1000
    w, h = result.size
    out.print(f"wrote {path} ({w}×{h}, {ms:.0f} ms)")
    for notice in result.layout.notices:
        err.print(f"notice: {notice}", markup=False, highlight=False, soft_wrap=True)


def _poi(text: str, where: str) -> dict[str, object]:
    """``name,lat,lon[,alt]`` → a point (the name may not hold commas)."""
    from factframe.errors import SpecError

    parts = [p.strip() for p in text.split(",")]
    if len(parts) not in (3, 4) or not parts[0]:
        raise SpecError(f'a point is "name,lat,lon[,alt]", got {text!r}', where)
    try:
        numbers = [float(v) for v in parts[1:]]
    except ValueError:
        raise SpecError(
            f'a point is "name,lat,lon[,alt]" with numbers, got {text!r}', where
        ) from None
    point: dict[str, object] = {"name": parts[0], "lat": numbers[0], "lon": numbers[1]}
    if len(numbers) == 3:
        point["alt"] = numbers[2]
    return point


def _numbers(text: str, where: str) -> list[float]:
    from factframe.errors import SpecError

    try:
        return [float(v) for v in text.replace(" ", ",").split(",") if v]
    except ValueError:
        raise SpecError(f"expected numbers x1,y1,…,x4,y4, got {text!r}", where) from None


def _size(text: str) -> tuple[int, int]:
    from factframe.errors import SpecError

    parts = text.lower().replace("×", "x").split("x")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise SpecError(f"size must look like 1920x1080, got {text!r}", "size")
    return int(parts[0]), int(parts[1])


def main() -> None:
    """Entry point of the ``factframe`` script."""
    app()


if __name__ == "__main__":
    main()
