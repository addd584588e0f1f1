"""What the remote image backends (``gemini``, ``openai``) share: keys, HTTP, retries, errors,
and the backend contract around one request (:class:`RemoteBackend`).

A remote backend sends one HTTPS request per picture through :class:`RemoteHTTP`, a thin
synchronous wrapper over an ``httpx.Client`` (one per backend; pass ``http=`` to inject one,
e.g. with ``httpx.MockTransport`` in tests). It

- retries 429 and 503 answers, waiting what the service asks (``Retry-After`` in seconds or
  as an HTTP date, ``retry-after-ms``, or Google's ``RetryInfo.retryDelay`` in the error
  body), else 1, 2, 4… s; a wait longer than ``max_wait`` is not waited: the call fails at
  once with :class:`~factframe.errors.BackendRateLimited` carrying ``retry_after``;
- retries timeouts and dropped connections the same number of times;
- maps the rest to typed errors: 401/403 → :class:`~factframe.errors.BackendAuthError`,
  429 → :class:`~factframe.errors.BackendRateLimited`, anything else →
  :class:`~factframe.errors.BackendError` with the service's own message.

API keys come from the environment (:func:`api_key`) or the backend's constructor; they
travel in a request header only, never in a URL, and :func:`redact` removes them from any
text an error could carry (a service may echo a key back in its message).

A remote backend subclasses :class:`RemoteBackend`, which cover-fits the model's picture into
the region (``generate``) and composites an edited picture through the mask so that only the
masked pixels change (``edit``); the subclass builds the requests and parses the answers.

httpx is imported on first use, so ``import factframe`` does not load it.
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import io
import json
import os
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypedDict

from PIL import Image, UnidentifiedImageError

from factframe.errors import (
    BackendAuthError,
    BackendError,
    BackendRateLimited,
    MissingCredentialsError,
    SafetyRefusal,
)
from factframe.generator.backends.base import Options, check_size, cover_fit, edit_inputs

if TYPE_CHECKING:
    import httpx

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_MAX_WAIT",
    "DEFAULT_TIMEOUT",
    "RemoteBackend",
    "RemoteHTTP",
    "RemoteSettings",
    "api_key",
    "decode_image",
    "encode_png",
    "error_detail",
    "redact",
    "retry_after",
]

#: Seconds one request may take (image models answer in 5–70 s).
DEFAULT_TIMEOUT = 120.0
#: Retries of a 429, a 503, a timeout or a dropped connection, after the first try.
DEFAULT_MAX_RETRIES = 3
#: The longest wait between tries, in seconds; a service asking for more fails the call.
DEFAULT_MAX_WAIT = 60.0
_RETRY_STATUSES = frozenset({429, 503})
_MAX_MESSAGE = 300


def api_key(backend: str, env_vars: Sequence[str], given: str | None = None) -> str:
    """The key given, else the first of ``env_vars`` that is set and not blank.

    Raises:
        MissingCredentialsError: no key anywhere (naming the variables to set).
    """
    if given:
        return given
    for name in env_vars:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    raise MissingCredentialsError(backend, env_vars)


def redact(text: str, secret: str | None) -> str:
    """``text`` without ``secret`` (replaced by ``***``), cut to a readable length."""
    if secret:
        text = text.replace(secret, "***")
    text = " ".join(text.split())
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


def error_detail(response: httpx.Response) -> tuple[str, str]:
    """(message, code) of an error answer: Google's ``{"error": {"message", "status"}}``
    or OpenAI's ``{"error": {"message", "code", "type"}}``; the reason phrase otherwise."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.reason_phrase or f"HTTP {response.status_code}", ""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return response.reason_phrase or f"HTTP {response.status_code}", ""
    message = str(error.get("message") or response.reason_phrase or "")
    code = error.get("code")
    # Google puts the HTTP status number in "code" and the name in "status"
    if not isinstance(code, str):
        code = error.get("status") or error.get("type") or ""
    details = error.get("details")
    reasons = [
        d["reason"]
        for d in (details if isinstance(details, list) else [])
        if isinstance(d, dict) and isinstance(d.get("reason"), str)
    ]
    return message, str(reasons[0] if reasons else code)


def retry_after(response: httpx.Response, now: datetime | None = None) -> float | None:
    """The seconds a 429/503 answer asks to wait: ``retry-after-ms``, ``Retry-After``
    (seconds or an HTTP date), or a Google ``RetryInfo`` ``retryDelay`` ("34s") in the
    body; None when it does not say."""
    millis = response.headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    header = response.headers.get("retry-after")
    if header:
        try:
            return max(0.0, float(header))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(header)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                if when.tzinfo is None:
                    when = when.replace(tzinfo=UTC)
                return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    error = body.get("error") if isinstance(body, dict) else None
    details = error.get("details") if isinstance(error, dict) else None
    for detail in details if isinstance(details, list) else []:
        delay = detail.get("retryDelay") if isinstance(detail, dict) else None
        if isinstance(delay, str) and delay.endswith("s"):
            try:
                return max(0.0, float(delay[:-1]))
            except ValueError:
                return None
    return None


class RemoteHTTP:
    """One backend's HTTP client with retries and typed errors.

    Args:
        backend: the backend's name, for error messages.
        http: the client to send through (a new ``httpx.Client`` on first use otherwise;
            a client passed in is never closed here).
        timeout: seconds a request may take.
        max_retries: retries of 429/503 answers, timeouts and dropped connections.
        max_wait: the longest wait between tries; a longer ``Retry-After`` fails at once.
        sleep: how to wait (tests pass a recorder).
    """

    def __init__(
        self,
        backend: str,
        *,
        http: httpx.Client | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_wait: float = DEFAULT_MAX_WAIT,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.backend = backend
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_wait = max_wait
        self.sleep = sleep
        self._http = http
        self._owned = http is None

    @property
    def client(self) -> httpx.Client:
        """The client requests go through (created on first use)."""
        if self._http is None:
            import httpx

            self._http = httpx.Client(timeout=httpx.Timeout(self.timeout, connect=15.0))
        return self._http

    def close(self) -> None:
        """Closes the client this object created (an injected one is the caller's)."""
        if self._owned and self._http is not None:
            self._http.close()
            self._http = None

    def post(
        self,
        url: str,
        *,
        secret: str,
        headers: Mapping[str, str],
        json_body: Any = None,
        data: Mapping[str, str] | None = None,
        files: Sequence[tuple[str, tuple[str, bytes, str]]] | None = None,
        refusals: Collection[str] = (),
    ) -> Any:
        """POSTs and returns the decoded JSON body of a 2xx answer.

        Args:
            secret: the API key in ``headers``, redacted from every error.
            refusals: error codes of a 4xx answer that mean the service refused the
                content (OpenAI's ``moderation_blocked``).

        Raises:
            BackendAuthError: 401 or 403 (or Google's ``API_KEY_INVALID``).
            SafetyRefusal: a 4xx answer whose code is one of ``refusals``.
            BackendRateLimited: 429 after every retry, or a wait above ``max_wait``.
            BackendError: any other failure (naming the status and the service's message),
                or a 2xx answer that is not JSON.
        """
        import httpx

        last_wait: float | None = None
        for attempt in range(self.max_retries + 1):
            try:
                response = self.client.post(
                    url,
                    headers=dict(headers),
                    json=json_body,
                    data=dict(data) if data is not None else None,
                    files=list(files) if files is not None else None,
                    timeout=self.timeout,
                )
            except httpx.TimeoutException:
                if attempt < self.max_retries:
                    self.sleep(self._backoff(attempt))
                    continue
                raise BackendError(
                    f"no answer within {self.timeout:g} s after {attempt + 1} tries", self.backend
                ) from None
            except httpx.TransportError as exc:
                if attempt < self.max_retries:
                    self.sleep(self._backoff(attempt))
                    continue
                reason = redact(f"{type(exc).__name__}: {exc}", secret)
                raise BackendError(f"cannot reach the service ({reason})", self.backend) from None
            status = response.status_code
            if status in _RETRY_STATUSES:
                last_wait = retry_after(response)
                _, code = error_detail(response)
                permanent = code == "insufficient_quota"  # OpenAI: billing, not a burst
                wait = self._backoff(attempt) if last_wait is None else last_wait
                if attempt < self.max_retries and not permanent and wait <= self.max_wait:
                    self.sleep(wait)
                    continue
                self._fail(response, secret, last_wait, attempt + 1)
            if status >= 400:
                self._fail(response, secret, None, attempt + 1, refusals)
            try:
                return response.json()
            except (json.JSONDecodeError, UnicodeDecodeError):
                kind = response.headers.get("content-type", "no content type")
                raise BackendError(
                    f"the service answered {status} with a body that is not JSON ({kind})",
                    self.backend,
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        return float(min(self.max_wait, 2**attempt))

    def _fail(
        self,
        response: httpx.Response,
        secret: str,
        wait: float | None,
        tries: int,
        refusals: Collection[str] = (),
    ) -> None:
        status = response.status_code
        message, code = error_detail(response)
        said = redact(message, secret) + (f" [{code}]" if code else "")
        if 400 <= status < 500 and code and code in refusals:
            raise SafetyRefusal(redact(message, secret), self.backend, code)
        if status in (401, 403) or code == "API_KEY_INVALID":
            raise BackendAuthError(
                f"the API key was refused (HTTP {status}: {said}); check the key and its access "
                "to this model",
                self.backend,
                status,
            )
        if status == 429:
            asked = f"; the service asks to wait {wait:g} s" if wait is not None else ""
            raise BackendRateLimited(
                f"rate limited (HTTP 429) after {tries} tries: {said}{asked}",
                self.backend,
                wait,
            )
        where = f" after {tries} tries" if status in _RETRY_STATUSES else ""
        raise BackendError(f"HTTP {status}{where}: {said}", self.backend)


def decode_image(data: Any, backend: str) -> Image.Image:
    """A picture from base64 text, fully decoded (a truncated file fails here, not later).

    Raises:
        BackendError: the text is not base64 or not a picture.
    """
    if not isinstance(data, str) or not data:
        raise BackendError("the answer holds no image data", backend)
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise BackendError("the image data is not valid base64", backend) from None
    try:
        with Image.open(io.BytesIO(raw)) as opened:
            opened.load()
            picture = opened.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise BackendError(f"the image data is not a picture ({exc})", backend) from None
    return picture


def encode_png(image: Image.Image) -> bytes:
    """``image`` as PNG bytes."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


class RemoteSettings(TypedDict, total=False):
    """The keywords every remote backend takes besides its own (see :class:`RemoteBackend`)."""

    api_key: str | None
    http: httpx.Client | None
    timeout: float
    max_retries: int
    max_wait: float
    sleep: Callable[[float], None] | None


class RemoteBackend:
    """What a backend painting through a remote model shares: its key, its HTTP client, and
    the backend contract around the model's answer.

    :meth:`generate` cover-fits the model's picture into the region's exact size;
    :meth:`edit` scales the model's answer to the picture and composites it through the
    mask, so every pixel outside the mask is kept exactly. A subclass sets :attr:`name`,
    :attr:`env_vars` (and :attr:`refusals`), and writes :meth:`_paint`, :meth:`_repaint`,
    :meth:`auth_headers` and :meth:`parse`.

    Args:
        model: the default model (a block's ``generate.model`` overrides it).
        api_key: the key; read from :attr:`env_vars` at call time otherwise. Never logged,
            never part of a message or a repr.
        http, timeout, max_retries, max_wait, sleep: see :class:`RemoteHTTP`.
    """

    name: str = "remote"
    uses_model = True
    #: Where the key is read from, first preferred.
    env_vars: tuple[str, ...] = ()
    #: Error codes of a 4xx answer that mean the service refused the content.
    refusals: frozenset[str] = frozenset()

    def __init__(
        self,
        model: str,
        *,
        api_key: str | None = None,
        http: httpx.Client | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_wait: float = DEFAULT_MAX_WAIT,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.model = model
        self._key = api_key
        extra = {"sleep": sleep} if sleep is not None else {}
        self._http = RemoteHTTP(
            self.name,
            http=http,
            timeout=timeout,
            max_retries=max_retries,
            max_wait=max_wait,
            **extra,
        )

    def close(self) -> None:
        """Closes the HTTP client the backend opened (an injected one is left open)."""
        self._http.close()

    # --- the backend contract ------------------------------------------------------------

    def generate(
        self,
        prompt: str,
        size: tuple[int, int],
        refs: Sequence[Image.Image] = (),
        seed: int = 0,
        *,
        options: Options | None = None,
    ) -> Image.Image:
        """A picture of exactly ``size`` painted by the model.

        Raises:
            MissingCredentialsError: no key given or in the environment.
            BackendAuthError, BackendRateLimited, SafetyRefusal, BackendError: see the
                backend's module.
            SpecError: a bad option (``path`` is its name).
        """
        size = check_size(size)
        return cover_fit(self._paint(prompt, size, refs, seed, options or {}), size)

    def edit(
        self,
        image: Image.Image,
        mask: Image.Image,
        prompt: str,
        seed: int = 0,
        *,
        options: Options | None = None,
    ) -> Image.Image:
        """``image`` repainted where ``mask`` is white; every other pixel is kept exactly
        (the model's answer is scaled to the picture and composited through the mask).

        Raises:
            SpecError: ``mask`` is not the size of ``image``; a bad option.
            (and the errors of :meth:`generate`)
        """
        size, original, matte = edit_inputs(image, mask)
        painted = self._repaint(original, matte, prompt, size, seed, options or {})
        return Image.composite(painted.resize(size, Image.Resampling.LANCZOS), original, matte)

    # --- what a remote backend writes ----------------------------------------------------

    def _paint(
        self,
        prompt: str,
        size: tuple[int, int],
        refs: Sequence[Image.Image],
        seed: int,
        opts: Options,
    ) -> Image.Image:
        """The model's picture for ``prompt`` at about ``size`` (cover-fitted afterwards)."""
        raise NotImplementedError

    def _repaint(
        self,
        original: Image.Image,
        matte: Image.Image,
        prompt: str,
        size: tuple[int, int],
        seed: int,
        opts: Options,
    ) -> Image.Image:
        """The model's repainting of ``original`` (RGB) inside ``matte`` (mode ``L``)."""
        raise NotImplementedError

    def auth_headers(self, key: str) -> dict[str, str]:
        """The headers that carry ``key``."""
        raise NotImplementedError

    def parse(self, answer: Any) -> Image.Image:
        """The picture in the service's decoded JSON answer."""
        raise NotImplementedError

    def _post(
        self,
        url: str,
        *,
        json_body: Any = None,
        data: Mapping[str, str] | None = None,
        files: Sequence[tuple[str, tuple[str, bytes, str]]] | None = None,
    ) -> Image.Image:
        """POSTs with the key (a JSON body, or form ``data`` and ``files``) and parses the
        picture out of the answer.

        Raises:
            MissingCredentialsError: no key given or in the environment.
            (and the errors of :meth:`RemoteHTTP.post` and :meth:`parse`)
        """
        key = api_key(self.name, self.env_vars, self._key)
        headers = self.auth_headers(key)
        if json_body is not None:
            headers["Content-Type"] = "application/json"
        answer = self._http.post(
            url,
            secret=key,
            headers=headers,
            json_body=json_body,
            data=data,
            files=files,
            refusals=self.refusals,
        )
        return self.parse(answer)
