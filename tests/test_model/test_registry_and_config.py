"""Model specs, environment fallbacks and prices, as a user configures them."""

from __future__ import annotations

import pytest

from engine.model import OpenAIModel, OpenAIModelConfig, create_model, register_model_kind
from engine.model.pricing import Price, price_for, priced_usage
from engine.model.registry import MODEL_KINDS


def test_openai_specs_with_and_without_prefix(monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-key-123456")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")

    prefixed = create_model("openai:gpt-4o")
    bare = create_model("gpt-4o-mini")
    ollama_style = create_model("llama3:8b")

    assert isinstance(prefixed, OpenAIModel)
    assert [prefixed.name, bare.name, ollama_style.name] == [
        "openai:gpt-4o",
        "openai:gpt-4o-mini",
        "openai:llama3:8b",
    ]
    assert "127.0.0.1:9" in repr(prefixed)


def test_model_name_comes_from_env_when_spec_has_none(monkeypatch) -> None:
    env = {"OPENAI_MODEL": "agent-m", "KNOWLEDGE_MODEL": "summary-m", "OPENAI_API_KEY": "k"}
    assert OpenAIModelConfig.from_env(env=env).model == "agent-m"
    assert OpenAIModelConfig.from_env(role="knowledge", env=env).model == "summary-m"
    assert OpenAIModelConfig.from_env(role="knowledge", env={"OPENAI_MODEL": "a"}).model == "a"
    assert OpenAIModelConfig.from_env("explicit", env=env).model == "explicit"
    assert OpenAIModelConfig.from_env(env=env).api_key.get_secret_value() == "k"


def test_local_server_needs_no_key(monkeypatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    model = create_model("openai:qwen2.5-coder", base_url="http://127.0.0.1:11434/v1")
    assert model.name == "openai:qwen2.5-coder"


def test_heuristic_hook_registers_a_kind_by_name(monkeypatch) -> None:
    monkeypatch.setitem(MODEL_KINDS, "heuristic", MODEL_KINDS["scripted"])
    sentinel = object()
    register_model_kind("heuristic", lambda arg, **config: (sentinel, arg, config))

    assert create_model("heuristic", seed=1) == (sentinel, "", {"seed": 1})


def test_kind_registered_by_import_path_is_loaded_lazily(monkeypatch, tmp_path) -> None:
    script = tmp_path / "script.json"
    script.write_text("[]")
    monkeypatch.setitem(MODEL_KINDS, "lazy", "engine.model.registry:_scripted_factory")
    model = create_model(f"lazy:{script}", name="lazy-one")
    assert model.name == "lazy-one"

    monkeypatch.setitem(MODEL_KINDS, "broken", "engine.no_such_module:thing")
    with pytest.raises(ValueError, match="model kind 'broken'"):
        create_model("broken")


def test_prices_match_snapshots_and_provider_prefixes() -> None:
    assert price_for("gpt-4o-2024-08-06") == price_for("gpt-4o") == price_for("openai/gpt-4o")
    assert price_for("my-local-model") is None


def test_price_override_and_unknown_model_cost() -> None:
    overrides = {"my-local-model": Price(prompt=1.0, completion=2.0)}
    priced = priced_usage("my-local-model", 1_000_000, 500_000, estimated=False, overrides=overrides)
    assert priced.cost_usd == pytest.approx(2.0) and priced.cost_known

    unknown = priced_usage("my-local-model", 1000, 10, estimated=True)
    assert unknown.cost_usd == 0.0 and unknown.cost_known is False
