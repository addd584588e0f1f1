r"""Reading a spec file (bytes → UTF-8 → JSON or YAML → data with its paths made absolute),
and turning validation errors into :class:`SpecError`\ s that name the field.

:func:`factframe.spec.load_spec` validates what :func:`read_spec_file` returns. Relative
paths in a spec file mean "next to this file", so every path field is resolved against the
file's folder before validation: image ``src`` of blocks and the canvas background, the
brand's ``logo`` and font ``files``, and a chart's ``data`` when it names a ``.csv`` file
(other ``data`` values are table names handed to ``render``). ``data:`` URIs and absolute
paths are kept as they are.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from factframe.errors import SpecError

__all__ = ["format_loc", "read_spec_file", "resolve_paths", "spec_error"]


def read_spec_file(path: str | Path) -> Any:
    """The parsed content of a ``.json``, ``.yaml`` or ``.yml`` spec file, paths resolved.

    Raises:
        SpecError: the file is missing, not UTF-8, or not valid JSON/YAML.
    """
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise SpecError(f"cannot read spec file {str(file)!r}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError(
            f"spec file {str(file)!r} is not UTF-8 (bad byte at offset {exc.start}); "
            "save it as UTF-8"
        ) from None
    try:
        data = json.loads(text) if file.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise SpecError(f"spec file {str(file)!r} is not valid JSON/YAML: {exc}") from None
    if isinstance(data, dict):
        data = resolve_paths(data, file.parent)
    return data


def resolve_paths(data: dict[str, Any], base: Path) -> dict[str, Any]:
    """``data`` with every relative path field joined to ``base`` (a copy where changed)."""

    def fix(src: Any) -> Any:
        if (
            isinstance(src, str)
            and src
            and not src.startswith("data:")
            and not Path(src).is_absolute()
        ):
            return str(base / src)
        return src

    def fix_block(block: Any) -> Any:
        if not isinstance(block, dict):
            return block
        if "src" in block:
            return {**block, "src": fix(block["src"])}
        table = block.get("data")
        if isinstance(table, str) and table.lower().endswith(".csv"):
            return {**block, "data": fix(table)}
        return block

    blocks = data.get("blocks")
    if isinstance(blocks, list):
        data["blocks"] = [fix_block(b) for b in blocks]
    canvas = data.get("canvas")
    if isinstance(canvas, dict) and isinstance(canvas.get("background"), dict):
        bg = canvas["background"]
        if "src" in bg:
            data["canvas"] = {**canvas, "background": {**bg, "src": fix(bg["src"])}}
    brand = data.get("brand")
    if isinstance(brand, dict):
        if "logo" in brand:
            brand = {**brand, "logo": fix(brand["logo"])}
        fonts = brand.get("fonts")
        if isinstance(fonts, dict) and isinstance(fonts.get("files"), list):
            brand = {**brand, "fonts": {**fonts, "files": [fix(f) for f in fonts["files"]]}}
        data["brand"] = brand
    return data


def format_loc(loc: tuple[int | str, ...], block_types: tuple[str, ...]) -> str:
    """A pydantic error location as a spec path (``blocks[3].value``)."""
    out = ""
    skip_tag = False
    for k, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
            # a block's type tag follows its index (not a field named like a block type,
            # such as a process step's "icon")
            skip_tag = k == 0 or loc[k - 1] == "blocks"
            continue
        if skip_tag and part in block_types:
            skip_tag = False
            continue
        skip_tag = False
        if (
            "[" in part
            or part.startswith(("function-", "str", "bytes", "none"))
            or part
            in (
                "float",
                "LinearGradient",
                "RadialGradient",
                "ImageBackground",
            )
        ):
            continue
        out += f".{part}" if out else part
    return out


def spec_error(
    exc: ValidationError,
    block_types: tuple[str, ...],
    prefix: str = "",
    loc: tuple[int | str, ...] = (),
) -> SpecError:
    """A validation error as a :class:`SpecError` naming the first bad field's path."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    path = format_loc((*loc, *first["loc"]), block_types)
    ctx = first.get("ctx")
    if isinstance(ctx, dict) and ctx.get("field"):  # a check across fields names its field
        path = f"{path}.{ctx['field']}" if path else str(ctx["field"])
    if prefix:
        path = (prefix + ("" if path.startswith("[") else ".") + path) if path else prefix
    msg = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        msg = "unknown field"
    elif first["type"] == "union_tag_invalid":
        msg = f"unknown block type {first['input'].get('type')!r}; use one of {block_types}"
    if len(errors) > 1:
        others = sorted({format_loc(tuple(e["loc"]), block_types) or "(spec)" for e in errors[1:]})
        msg += f" (also {len(errors) - 1} more: {', '.join(others[:5])})"
    return SpecError(msg, path)
