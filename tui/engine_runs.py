"""The real RunStarter: the engine's run launcher (records, Docker, models), shared with the headless CLI."""

from __future__ import annotations

from pathlib import Path

from engine.control import ControlChannel
from engine.events import EventBus
from engine.prompt_library import canonical_language
from engine.run_launcher import LaunchSettings, launch_run
from engine.sandbox import live_registry
from engine.selection import ProjectTarget, resolve_selection
from tui.project_entry import ProjectEntry
from tui.run_starter import RunDirCallback
from tui.settings import TuiSettings


class RunFailedToStart(RuntimeError):
    """The launcher returned an error instead of a result (the run's record has the details)."""


def target_for(project: ProjectEntry) -> ProjectTarget:
    """The launcher's idea of a project, from a row of the project list."""
    language = canonical_language(project.language) or project.language.lower()
    if project.source == "catalog":
        return ProjectTarget(name=project.name, language=language, url=project.location, origin="catalog")
    target = resolve_selection(project.location)[0]
    update: dict[str, object] = {"name": project.name}
    if project.language != "unknown":
        update["language"] = language
    return target.model_copy(update=update)


def launch_settings(settings: TuiSettings, confirm: bool) -> LaunchSettings:
    return LaunchSettings(
        model=settings.model,
        base_url=settings.base_url,
        workspace_root=Path(settings.workspace),
        max_retries=settings.max_retries,
        step_limit=settings.budget,
        max_cost=settings.max_cost,
        confirm=confirm,
        command_line=["execagent-tui"],
    )


class LauncherRunStarter:
    def __init__(self, settings: TuiSettings) -> None:
        self.settings = settings

    def start(
        self, project: ProjectEntry, bus: EventBus, control: ControlChannel, on_run_dir: RunDirCallback
    ) -> None:
        launched = launch_run(
            target_for(project),
            launch_settings(self.settings, control.confirm_mode),
            subscribers=[bus.emit],
            control=control,
            on_started=lambda started: on_run_dir(started.run_dir),
        )
        if launched.error:
            raise RunFailedToStart(launched.error)

    def cleanup(self) -> None:
        live_registry.close_all()
