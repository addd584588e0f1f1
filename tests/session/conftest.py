"""The chat-model tests need langchain-core (the ``llm`` extra, installed for development)."""

from __future__ import annotations

import importlib.util

collect_ignore = (
    [] if importlib.util.find_spec("langchain_core") else ["test_llm_edit.py", "test_brief.py"]
)
