"""What the remote image backends (``gemini``, ``openai``) share: keys, HTTP, retries, errors.

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
from typing import TYPE_CHECKING, Any

from PIL import Image, UnidentifiedImageError

from factframe.errors import (
    BackendAuthError,
    BackendError,
    BackendRateLimited,
    MissingCredentialsError,
    SafetyRefusal,
)

if TYPE_CHECKING:
    import httpx

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_MAX_WAIT",
    "DEFAULT_TIMEOUT",
    "RemoteHTTP",
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
