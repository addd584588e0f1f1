"""The factframe exception tree.

Every error a user can meet is a subclass of :class:`FactframeError` whose message says
what was wrong, where (a spec path, a block id, a file) and how to fix it::

    FactframeError
     ├─ SpecError             (.path like "blocks[3].value")
     │   ├─ ImageError        (.source)
     │   ├─ DraftError        (.numbers: a model's draft refused)
     │   └─ UnknownIconError  (.name, .suggestions; also a KeyError)
     ├─ GroundingError        (.unresolved: [(fact name, reason)])
     │   └─ ProviderError     (.provider, .url)
     │       ├─ ProviderTimeout
     │       └─ RateLimited   (.retry_after)
     ├─ UnsafeURLError        (.url)
     ├─ TemplateError         (.path)
     ├─ LayoutError           (.block)
     │   └─ TextOverflowError (.block, .needed, .available)
     ├─ MissingGlyphError     (.chars, .block, .fonts_tried)
     ├─ RenderError
     │   └─ BackendError      (.backend)
     │       ├─ EditNotSupportedError
     │       ├─ MissingCredentialsError (.env_vars)
     │       ├─ BackendAuthError        (.status)
     │       ├─ BackendRateLimited      (.retry_after)
     │       └─ SafetyRefusal           (.reason)
     ├─ EditError             (.op, .field: an edit operation refused)
     └─ MissingDependencyError
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "BackendAuthError",
    "BackendError",
    "BackendRateLimited",
    "DraftError",
    "EditError",
    "EditNotSupportedError",
    "FactframeError",
    "GroundingError",
    "ImageError",
    "LayoutError",
    "MissingCredentialsError",
    "MissingDependencyError",
    "MissingGlyphError",
    "ProviderError",
    "ProviderTimeout",
    "RateLimited",
    "RenderError",
    "SafetyRefusal",
    "SpecError",
    "TemplateError",
    "TextOverflowError",
    "UnknownIconError",
    "UnsafeURLError",
]


class FactframeError(Exception):
    """Root of every error factframe raises on purpose."""


class SpecError(FactframeError):
    """The spec (or a file it names) is not valid.

    Attributes:
        path: where in the spec the problem is, e.g. ``"blocks[3].value"`` ("" for the whole).
        reason: the message without the path.
    """

    def __init__(self, message: str, path: str = "") -> None:
        self.path = path
        self.reason = message
        super().__init__(f"{path}: {message}" if path else message)


class ImageError(SpecError):
    """An image could not be used: missing, unreadable, not an image, or too large."""

    def __init__(self, message: str, source: str, path: str = "") -> None:
        self.source = source
        super().__init__(f"{message} ({source})", path)


class UnknownIconError(SpecError, KeyError):
    """An icon name is not in the icon set; the message suggests close names.

    Attributes:
        name: the name asked for.
        suggestions: the closest names in the set, best first (may be empty).
    """

    def __init__(self, name: str, suggestions: Sequence[str] = (), path: str = "") -> None:
        self.name = name
        self.suggestions = list(suggestions)
        hint = (
            f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?"
            if self.suggestions
            else "; see factframe.generator.icons.icon_names() for the names"
        )
        super().__init__(f"unknown icon {name!r}{hint}", path)

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class GroundingError(FactframeError):
    """Facts could not be resolved; never replaced by a made-up value.

    Attributes:
        unresolved: ``(fact name, reason)`` for every fact that could not be resolved.
    """

    def __init__(self, message: str, unresolved: Sequence[tuple[str, str]] = ()) -> None:
        self.unresolved = list(unresolved)
        if self.unresolved:
            lines = "".join(f"\n  - {name}: {reason}" for name, reason in self.unresolved)
            message = f"{message}{lines}"
        super().__init__(message)


class ProviderError(GroundingError):
    """A provider's request failed after its retries.

    Attributes:
        provider: the provider's name (``"weather"``).
        url: the URL asked for, without credentials.
        status: the HTTP status of the answer, when there was one (``404``).
    """

    def __init__(
        self, message: str, provider: str, url: str = "", *, status: int | None = None
    ) -> None:
        self.provider = provider
        self.url = url
        self.status = status
        self.reason = message
        where = f" ({url})" if url else ""
        super().__init__(f"{provider}: {message}{where}")


class ProviderTimeout(ProviderError):
    """The provider did not answer in time, after every retry."""


class RateLimited(ProviderError):
    """The provider kept answering 429 Too Many Requests.

    Attributes:
        retry_after: seconds the provider last asked to wait, if it said.
    """

    def __init__(
        self, message: str, provider: str, url: str = "", retry_after: float | None = None
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, provider, url, status=429)


class UnsafeURLError(FactframeError):
    """A URL was refused by the URL guard (scheme, private address, redirect, size).

    Attributes:
        url: the refused URL.
    """

    def __init__(self, message: str, url: str) -> None:
        self.url = url
        super().__init__(f"refused {url!r}: {message}")


class TemplateError(FactframeError):
    """A text template could not be rendered: bad syntax, an unknown fact, a sandbox
    violation, or it ran too long.

    Attributes:
        path: where the template is (``blocks[2].text``).
    """

    def __init__(self, message: str, path: str = "") -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class LayoutError(FactframeError):
    """The blocks cannot be placed on the canvas."""

    def __init__(self, message: str, block: str | None = None) -> None:
        self.block = block
        super().__init__(message)


class TextOverflowError(LayoutError):
    """Text does not fit its region even at the legibility floor.

    Attributes:
        block: id of the block that did not fit.
        needed: height in px the text needs at the smallest allowed size.
        available: height in px the region offers.
    """

    def __init__(self, block: str, needed: float, available: float, hint: str = "") -> None:
        self.needed = needed
        self.available = available
        msg = (
            f"block {block!r}: text needs {needed:.0f} px but only {available:.0f} px are "
            f"available at the smallest legible size"
        )
        super().__init__(msg + (f"; {hint}" if hint else ""), block)


class MissingGlyphError(FactframeError):
    """A character is covered by no font in the block's chain; nothing is drawn.

    Attributes:
        chars: the characters no font covers.
        block: id of the block holding them.
        fonts_tried: the families that were searched.
    """

    def __init__(self, chars: Sequence[str], block: str, fonts_tried: Sequence[str]) -> None:
        self.chars = list(chars)
        self.block = block
        self.fonts_tried = list(fonts_tried)
        shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in self.chars[:10])
        more = f" and {len(self.chars) - 10} more" if len(self.chars) > 10 else ""
        super().__init__(
            f"block {block!r}: no font covers {shown}{more}; tried {', '.join(self.fonts_tried)}. "
            "Install a font for this script (e.g. Debian's fonts-noto-core) or add a font file "
            "to the brand's fonts."
        )


class RenderError(FactframeError):
    """Drawing or exporting failed (unknown output format, unwritable path, …)."""


class BackendError(RenderError):
    """An image backend could not paint a picture.

    Attributes:
        backend: the backend's name (``"diffusers"``).
    """

    def __init__(self, message: str, backend: str) -> None:
        self.backend = backend
        super().__init__(f"image backend {backend!r}: {message}")


class EditNotSupportedError(BackendError, NotImplementedError):
    """The backend can only paint new pictures, not edit (inpaint) an existing one."""

    def __init__(self, backend: str) -> None:
        super().__init__(
            "cannot edit pictures; use a backend that can inpaint, such as 'diffusers'", backend
        )


class MissingCredentialsError(BackendError):
    """A remote backend has no API key; the message names the environment variable to set.

    Attributes:
        env_vars: the variables the backend reads its key from, first preferred.
    """

    def __init__(self, backend: str, env_vars: Sequence[str]) -> None:
        self.env_vars = tuple(env_vars)
        names = " or ".join(self.env_vars)
        super().__init__(f"no API key; set the environment variable {names}", backend)


class BackendAuthError(BackendError):
    """A remote backend refused the API key (HTTP 401/403, or an invalid key).

    Attributes:
        status: the HTTP status of the answer.
    """

    def __init__(self, message: str, backend: str, status: int | None = None) -> None:
        self.status = status
        super().__init__(message, backend)


class BackendRateLimited(BackendError):
    """A remote backend kept answering 429 Too Many Requests (or asked for a longer wait
    than the backend may wait).

    Attributes:
        retry_after: seconds the service last asked to wait, if it said.
    """

    def __init__(self, message: str, backend: str, retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message, backend)


class SafetyRefusal(BackendError):
    """A remote model refused to paint the prompt (a safety or content-policy block).

    Attributes:
        reason: the service's own reason code (``IMAGE_SAFETY``, ``moderation_blocked``).
    """

    def __init__(self, message: str, backend: str, reason: str) -> None:
        self.reason = reason
        super().__init__(f"refused for safety ({reason}): {message}", backend)


class DraftError(SpecError):
    """A spec a language model proposed was refused: bad structure, an unknown provider or
    parameter, or a number the model wrote itself instead of taking it from a fact.

    Attributes:
        numbers: the numbers found outside ``{{ }}`` that the brief does not contain.
    """

    def __init__(self, message: str, path: str = "", numbers: Sequence[str] = ()) -> None:
        self.numbers = list(numbers)
        super().__init__(message, path)


class EditError(FactframeError):
    """An edit operation cannot be applied to the session's spec; nothing was changed.

    Attributes:
        op: the operation's name and place, e.g. ``"set_text"`` or ``"ops[1] (restyle)"``.
        field: the field that was wrong (``"block"``, ``"text"``, ``"blocks[2].value"``).
        reason: the message without the operation and field.
    """

    def __init__(self, message: str, op: str = "", field: str = "") -> None:
        self.op = op
        self.field = field
        self.reason = message
        where = op + (f" field {field!r}" if field else "")
        super().__init__(f"{where.strip()}: {message}" if where else message)


class MissingDependencyError(FactframeError, ImportError):
    """An optional dependency is not installed; the message gives the pip command."""
