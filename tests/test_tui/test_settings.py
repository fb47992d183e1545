"""Settings come from a TOML file under the user config dir; environment variables win."""

from __future__ import annotations

import pytest

from tui.settings import SettingsError, load_settings


def test_the_config_file_sets_model_limits_and_keymap(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(
        'model = "openai:gpt-4o-mini"\nbase_url = "http://localhost:8000/v1"\nbudget = 12\n'
        'max_cost = 0.5\n[keymap]\npause = "ctrl+p"\n'
    )
    settings = load_settings(config, env={})
    assert settings.model == "openai:gpt-4o-mini"
    assert settings.base_url == "http://localhost:8000/v1"
    assert (settings.budget, settings.max_cost) == (12, 0.5)
    assert settings.keymap == {"pause": "ctrl+p"}


def test_environment_overrides_the_file(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('model = "heuristic"\nbudget = 12\n[keymap]\npause = "ctrl+p"\n')
    env = {
        "EXECAGENT_MODEL": "scripted:/tmp/run.json",
        "EXECAGENT_BUDGET": "3",
        "EXECAGENT_WORKSPACE": str(tmp_path / "ws"),
        "EXECAGENT_KEYMAP": "stop=k, guidance=G",
    }
    settings = load_settings(config, env=env)
    assert settings.model == "scripted:/tmp/run.json"
    assert settings.budget == 3
    assert settings.workspace == tmp_path / "ws"
    assert settings.keymap == {"pause": "ctrl+p", "stop": "k", "guidance": "G"}


def test_the_config_path_can_come_from_the_environment(tmp_path):
    config = tmp_path / "elsewhere.toml"
    config.write_text("confirm_mode = true\n")
    assert load_settings(env={"EXECAGENT_CONFIG": str(config)}).confirm_mode is True


def test_no_config_file_means_defaults(tmp_path):
    settings = load_settings(tmp_path / "missing.toml", env={})
    assert settings.model is None and settings.budget is None and settings.keymap == {}


@pytest.mark.parametrize(
    ("text", "env", "message"),
    [
        ("budget = 0\n", {}, "budget"),
        ("colour = 'red'\n", {}, "colour"),
        ("model = \n", {}, "not valid TOML"),
        ("", {"EXECAGENT_MAX_COST": "cheap"}, "max_cost"),
        ("", {"EXECAGENT_KEYMAP": "pause"}, "expected id=key"),
    ],
)
def test_bad_settings_name_the_field(tmp_path, text, env, message):
    config = tmp_path / "config.toml"
    config.write_text(text)
    with pytest.raises(SettingsError, match=message):
        load_settings(config, env=env)
