"""TUI settings: a TOML file under the user config dir, with environment variables on top."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

APP_NAME = "execagent-tui"
CONFIG_ENV = "EXECAGENT_CONFIG"

# Environment variable -> settings field; the environment wins over the file.
ENV_FIELDS = {
    "EXECAGENT_MODEL": "model",
    "EXECAGENT_BASE_URL": "base_url",
    "EXECAGENT_WORKSPACE": "workspace",
    "EXECAGENT_BUDGET": "budget",
    "EXECAGENT_MAX_RETRIES": "max_retries",
    "EXECAGENT_MAX_COST": "max_cost",
    "EXECAGENT_CONFIRM_MODE": "confirm_mode",
    "EXECAGENT_SHELL_LINES": "shell_lines",
}
KEYMAP_ENV = "EXECAGENT_KEYMAP"  # "pause=ctrl+p,guidance=G"


class SettingsError(ValueError):
    """The config file or an environment variable holds a value that cannot be used."""


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


class TuiSettings(BaseModel):
    """What the TUI needs to start runs and how it looks to the person using it."""

    model_config = ConfigDict(extra="forbid")

    # None: the launcher's choice (the OpenAI API with a key, else the offline planner).
    model: str | None = None
    base_url: str | None = None
    # None: the launcher's default ($EXECAGENT_WORKSPACE, else the user data dir); resolved when a run
    # starts, so opening the UI does not import the engine's run machinery.
    workspace: Path | None = None
    budget: int | None = Field(default=None, ge=1, description="cycles per attempt (None: per project)")
    max_retries: int = Field(default=2, ge=0)
    max_cost: float | None = Field(default=None, gt=0)
    confirm_mode: bool = False
    shell_lines: int = Field(default=5000, ge=100, description="lines kept in view in the shell pane")
    # binding id -> key(s), e.g. {"pause" = "ctrl+p"}; ids are listed by `?` in the app.
    keymap: dict[str, str] = Field(default_factory=dict)


def _parse_keymap(text: str) -> dict[str, str]:
    keymap: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        binding_id, sep, keys = item.partition("=")
        if not sep or not binding_id.strip() or not keys.strip():
            raise SettingsError(f"{KEYMAP_ENV}: expected id=key, got {item!r}")
        keymap[binding_id.strip()] = keys.strip()
    return keymap


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> TuiSettings:
    """Read the config file (missing is fine) and apply environment overrides."""
    env = os.environ if env is None else env
    path = path or (Path(env[CONFIG_ENV]) if env.get(CONFIG_ENV) else default_config_path())
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise SettingsError(f"{path}: not valid TOML: {error}") from None
    for variable, field in ENV_FIELDS.items():
        if env.get(variable):
            data[field] = env[variable]
    if env.get(KEYMAP_ENV):
        data["keymap"] = {**data.get("keymap", {}), **_parse_keymap(env[KEYMAP_ENV])}
    try:
        return TuiSettings.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}" for e in error.errors()
        )
        raise SettingsError(f"{path}: {problems}") from None
