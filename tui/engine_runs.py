"""The real RunStarter: the engine's run launcher (records, Docker, models), shared with the headless CLI.

The launcher pulls in docker-py and the OpenAI client (about half a second); it is imported when the first
run starts, so the UI's first frame does not wait for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.control import ControlChannel
from engine.events import EventBus
from tui.project_entry import ProjectEntry
from tui.run_starter import RunDirCallback
from tui.settings import TuiSettings

if TYPE_CHECKING:
    from engine.run_launcher import LaunchSettings
    from engine.selection import ProjectTarget


class RunFailedToStart(RuntimeError):
    """The launcher returned an error instead of a result (the run's record has the details)."""


def target_for(project: ProjectEntry) -> ProjectTarget:
    """The launcher's idea of a project, from a row of the project list."""
    from engine.prompt_library import canonical_language
    from engine.selection import ProjectTarget, resolve_selection

    language = canonical_language(project.language) or project.language.lower()
    if project.source == "catalog":
        return ProjectTarget(name=project.name, language=language, url=project.location, origin="catalog")
    target = resolve_selection(project.location)[0]
    update: dict[str, object] = {"name": project.name}
    if project.language != "unknown":
        update["language"] = language
    return target.model_copy(update=update)


def entry_for(target: ProjectTarget) -> ProjectEntry:
    """A project-list row for a target the command line selected."""
    if target.origin == "catalog":
        return ProjectEntry(name=target.name, language=target.language, location=target.url)
    if target.path is not None and target.origin != "url":
        location, source = str(target.path), "path"
    else:
        location, source = target.url, "url"
    return ProjectEntry(name=target.name, language=target.language, location=location, source=source)


def launch_settings(settings: TuiSettings, confirm: bool) -> LaunchSettings:
    from engine.run_launcher import LaunchSettings

    return LaunchSettings(
        model=settings.model,
        base_url=settings.base_url,
        workspace_root=settings.workspace,
        max_retries=settings.max_retries,
        step_limit=settings.budget,
        max_cost=settings.max_cost,
        confirm=confirm,
        command_line=["execagent-tui"],
    )


class LauncherRunStarter:
    def __init__(self, settings: TuiSettings, launch: LaunchSettings | None = None) -> None:
        self.settings = settings
        self.launch = launch  # a command line's options (`execagent-tui run ... --model ...`) win

    def start(
        self, project: ProjectEntry, bus: EventBus, control: ControlChannel, on_run_dir: RunDirCallback
    ) -> None:
        from engine.run_launcher import launch_run

        launched = launch_run(
            target_for(project),
            self.launch.model_copy(update={"confirm": control.confirm_mode})
            if self.launch is not None
            else launch_settings(self.settings, control.confirm_mode),
            subscribers=[bus.emit],
            control=control,
            on_started=lambda started: on_run_dir(started.run_dir),
        )
        if launched.error:
            raise RunFailedToStart(launched.error)

    def cleanup(self) -> None:
        from engine.sandbox import live_registry

        live_registry.close_all()
