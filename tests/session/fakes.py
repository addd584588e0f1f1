"""A langchain-core fake chat model that answers with scripted tool calls, so that
``with_structured_output`` works offline (the stock fakes do not bind tools)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from pydantic import Field


class StructuredFake(GenericFakeChatModel):
    """Answers each call with the next scripted message; records what it was asked."""

    asked: list[Any] = Field(default_factory=list)

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> StructuredFake:
        return self

    def invoke(self, input: Any, *args: Any, **kwargs: Any) -> Any:
        self.asked.append(input)
        return super().invoke(input, *args, **kwargs)


def tool_call(name: str, args: dict[str, Any]) -> AIMessage:
    """A message calling the tool ``name`` (the schema's name) with ``args``."""
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": "call-1"}])


def fake(*messages: AIMessage) -> StructuredFake:
    return StructuredFake(messages=iter(messages))
