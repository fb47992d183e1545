"""Build a Model from a spec: "openai:gpt-4o", "gpt-4o", "scripted:run.json", "heuristic"."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from engine.model.openai_model import OpenAIModel, OpenAIModelConfig
from engine.model.protocol import Model
from engine.model.scripted_model import ScriptedModel

# A factory gets the part after "kind:" (may be empty) and the caller's settings.
ModelFactory = Callable[..., Model]

_RUNTIME_OPTIONS = ("sleep", "random_fraction")


def _openai_factory(name: str, **config: Any) -> Model:
    runtime = {key: config.pop(key) for key in _RUNTIME_OPTIONS if key in config}
    return OpenAIModel(OpenAIModelConfig.from_env(name or None, **config), **runtime)


def _scripted_factory(path: str, **options: Any) -> Model:
    if not path:
        raise ValueError('a scripted model needs a file: "scripted:<path to JSON list>"')
    return ScriptedModel.from_file(path, **options)


# Values are factories, or "package.module:function" strings imported only when used, so kinds
# built elsewhere (the offline "heuristic" planner) can be listed without importing them here.
MODEL_KINDS: dict[str, ModelFactory | str] = {
    "openai": _openai_factory,
    "scripted": _scripted_factory,
    "heuristic": "engine.planner.heuristic_model:create_heuristic_model",
}


def register_model_kind(kind: str, factory: ModelFactory | str) -> None:
    """Make `kind:<arg>` (or bare `kind`) build models with `factory(arg, **config)`."""
    MODEL_KINDS[kind] = factory


def create_model(spec: str, **config: Any) -> Model:
    """Build the model a `--model` spec names; a spec with no known kind is an OpenAI model name."""
    spec = spec.strip()
    kind, _, arg = spec.partition(":")
    if kind not in MODEL_KINDS:
        # Ollama-style names such as "llama3:8b" contain a colon but are model names.
        kind, arg = "openai", spec
    return _resolve(kind)(arg, **config)


def _resolve(kind: str) -> ModelFactory:
    factory = MODEL_KINDS[kind]
    if callable(factory):
        return factory
    module_name, _, attribute = factory.partition(":")
    try:
        loaded = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise ValueError(f"model kind {kind!r} is registered as {factory!r}, which failed: {error}") from None
    return loaded
