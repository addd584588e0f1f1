"""Font discovery and the process-wide font library.

Fonts come from three places, searched in this order for each family name:

1. font files the user adds (``FontLibrary.add_file``, a brand's ``fonts.files``);
2. pip font packages: ``manimgx-fonts`` / ``manimgx-fonts-cjk`` (Noto for 20 scripts and
   CJK), then any ``fontpkg`` family package (entry points ``fontpkg.family``);
3. system fonts through skia's font manager (fontconfig on Linux).

Every face the shaper may use is registered in one ``TypefaceFontProvider`` under an alias
``"<family>#<weight>"``. That provider is the paragraph's only font manager, so there is no
hidden system fallback: the chain a coverage check approves is exactly what gets drawn.
Variable fonts are instanced at the requested ``wght``. Typefaces are loaded once per
process and shared by every render.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import skia

__all__ = ["FontFace", "FontLibrary", "default_library"]

_WGHT = int.from_bytes(b"wght", "big")
_FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


@dataclass(frozen=True)
class FontFace:
    """One face of a font file: a family name, file, collection index and weight range."""

    family: str
    path: str
    index: int
    weight: tuple[int, int]
    source: str

    @property
    def variable(self) -> bool:
        return self.weight[0] != self.weight[1]


def _faces_in_file(path: Path, source: str) -> list[FontFace]:
    faces = []
    for index in range(64):
        tf = skia.Typeface.MakeFromFile(str(path), index)
        if tf is None:
            break
        low = high = tf.fontStyle().weight()
        for axis in tf.getVariationDesignParameters() or ():
            if axis.tag == _WGHT:
                low, high = round(axis.min), round(axis.max)
        faces.append(FontFace(tf.getFamilyName(), str(path), index, (low, high), source))
        if not str(path).lower().endswith((".ttc", ".otc")):
            break
    return faces


def _pip_font_files() -> list[Path]:
    files: list[Path] = []
    # manimgx's Noto faces come first: they vary in weight only. fontpkg's two-axis
    # (wdth, wght) Noto Sans drew some glyphs (E, t, k, S, digits) too heavy at 700 in skia.
    for package in ("manimgx_fonts", "manimgx_fonts_cjk"):
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            files.extend(sorted(p for p in Path(folder).iterdir() if _is_upright_font(p)))
    try:
        import fontpkg
    except ImportError:
        return files
    for family in sorted(fontpkg.families().values(), key=lambda f: f.slug):
        files.extend(Path(f.path) for f in family.files if f.style == "normal")
    return files


def _is_upright_font(path: Path) -> bool:
    return path.suffix.lower() in _FONT_SUFFIXES and "italic" not in path.name.lower()


class FontLibrary:
    """Typefaces by family name and weight, shared by measuring and drawing.

    Args:
        pip: search pip font packages.
        system: search the system's fonts (fontconfig through skia).
    """

    def __init__(self, *, pip: bool = True, system: bool = True) -> None:
        self._lock = threading.RLock()
        self._faces: dict[str, list[FontFace]] = {}
        self._system = skia.FontMgr() if system else None
        self._typefaces: dict[str, skia.Typeface] = {}
        self._system_faces: dict[tuple[str, int], skia.Typeface | None] = {}
        self._coverage: dict[tuple[str, int], bool] = {}
        self._generation: dict[str, int] = {}
        self._user_files: dict[tuple[str, int, int], list[str]] = {}
        #: Counts the font files added: anything cached from the library's answers is
        #: stale once it changes.
        self.revision = 0
        self.provider = skia.textlayout.TypefaceFontProvider()
        self.collection = skia.textlayout.FontCollection()
        self.collection.setDefaultFontManager(self.provider)
        if pip:
            for file in _pip_font_files():
                self._add_faces(_faces_in_file(file, "pip"), override=False)

    def _add_faces(self, faces: list[FontFace], override: bool) -> None:
        # The first folder that provides a family wins; user files override pip and system.
        for face in faces:
            key = face.family.casefold()
            known = self._faces.get(key)
            if known is None or (override and known[0].source != "user"):
                if override and (known or self._system_typeface(face.family, 400)):
                    self._generation[key] = self._generation.get(key, 0) + 1
                self._faces[key] = [face]
            elif face in known:
                continue
            elif Path(known[0].path).parent == Path(face.path).parent:
                known.append(face)

    def add_file(self, path: str | Path) -> list[str]:
        """Adds a font file (TTF/OTF/TTC); its families win over pip and system fonts.

        Returns:
            the family names the file holds.

        Raises:
            FileNotFoundError, ValueError: the file is missing or not a font.
        """
        file = Path(path)
        try:
            stat = file.stat()
        except OSError:
            raise FileNotFoundError(f"font file not found: {file}") from None
        # brand fonts are added on every render: parse each file version only once
        key = (str(file.resolve()), stat.st_mtime_ns, stat.st_size)
        with self._lock:
            known = self._user_files.get(key)
            if known is not None:
                return known
            faces = _faces_in_file(file, "user") if file.is_file() else []
            if not faces:
                raise ValueError(f"not a font file skia can read: {file}")
            self._add_faces(faces, override=True)
            self._user_files[key] = sorted({f.family for f in faces})
            self.revision += 1
            return self._user_files[key]

    def families(self) -> list[str]:
        """Family names found in user files and pip packages (system families are looked up
        by name on demand and not listed)."""
        return sorted(faces[0].family for faces in self._faces.values())

    def source(self, family: str) -> str | None:
        """Where a family comes from: "user", "pip", "system", or None if nowhere."""
        faces = self._faces.get(family.casefold())
        if faces:
            return faces[0].source
        return "system" if self._system_typeface(family, 400) is not None else None

    def alias(self, family: str, weight: int = 400) -> str | None:
        """Registers ``family`` at ``weight`` with the shaper and returns its alias name,
        or None when the family is nowhere to be found."""
        weight = max(1, min(1000, int(weight)))
        generation = self._generation.get(family.casefold(), 0)
        # A family overridden by a user file gets fresh aliases: the provider cannot forget.
        name = f"{family}#{weight}" + (f"~{generation}" if generation else "")
        with self._lock:
            if name in self._typefaces:
                return name
            tf = self._load(family, weight)
            if tf is None:
                return None
            self._typefaces[name] = tf
            self.provider.registerTypeface(tf, name)
            return name

    def typeface(self, alias: str) -> skia.Typeface:
        """The typeface behind an alias returned by :meth:`alias`."""
        return self._typefaces[alias]

    def covers(self, alias: str, codepoint: int) -> bool:
        """Whether the face behind ``alias`` has a glyph for ``codepoint``."""
        key = (alias, codepoint)
        hit = self._coverage.get(key)
        if hit is None:
            hit = self._typefaces[alias].unicharsToGlyphs([codepoint])[0] != 0
            self._coverage[key] = hit
        return hit

    def _load(self, family: str, weight: int) -> skia.Typeface | None:
        faces = self._faces.get(family.casefold())
        if not faces:
            return self._system_typeface(family, weight)
        face = min(faces, key=lambda f: _weight_distance(f.weight, weight))
        tf = skia.Typeface.MakeFromFile(face.path, face.index)
        if tf is None:
            return None
        if face.variable:
            target = max(face.weight[0], min(face.weight[1], weight))
            variation = skia.FontArguments.VariationPosition
            coords = variation.Coordinates([variation.Coordinate(_WGHT, float(target))])
            # FontArguments keeps a raw pointer into ``position``: it must outlive makeClone
            # (a temporary here gave glyphs of random weights).
            position = variation(coords)
            args = skia.FontArguments()
            args.setVariationDesignPosition(position)
            tf = tf.makeClone(args)
            del args, position
        return tf

    def _system_typeface(self, family: str, weight: int) -> skia.Typeface | None:
        if self._system is None:
            return None
        key = (family.casefold(), weight)
        if key not in self._system_faces:  # a fontconfig lookup costs about 1 ms
            self._system_faces[key] = self._match_system(family, weight)
        return self._system_faces[key]

    def _match_system(self, family: str, weight: int) -> skia.Typeface | None:
        assert self._system is not None
        style = skia.FontStyle(weight, skia.FontStyle.kNormal_Width, skia.FontStyle.kUpright_Slant)
        tf = self._system.matchFamilyStyle(family, style)
        # fontconfig may substitute another family; only an exact family name counts.
        if tf is None or tf.getFamilyName().casefold() != family.casefold():
            return None
        return tf


def _weight_distance(available: tuple[int, int], wanted: int) -> int:
    low, high = available
    return 0 if low <= wanted <= high else min(abs(low - wanted), abs(high - wanted))


@lru_cache(maxsize=1)
def default_library() -> FontLibrary:
    """The process-wide library (pip and system fonts), built on first use."""
    return FontLibrary()
