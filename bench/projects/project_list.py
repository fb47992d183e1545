"""The benchmark's real projects and their hand-obtained ground truth, read from projects.json."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

PROJECTS_FILE = Path(__file__).with_name("projects.json")


class ProjectSource(BaseModel):
    """Where the source comes from: an exact version in a registry reachable from here."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["pypi", "debian-source", "npm"]
    name: str
    version: str


class GroundTruth(BaseModel):
    """What a person did by hand in a fresh container, and what the test runner reported."""

    model_config = ConfigDict(extra="forbid")
    image: str
    date: str
    system_packages: list[str]
    commands: list[str] = Field(description="shell lines run in order from the unpacked source folder")
    test_command: str
    runner: str
    passed: int = Field(ge=0)
    failed: int = Field(ge=0)
    skipped: int = Field(ge=0)
    total: int = Field(ge=0)
    exit_code: int = Field(description="exit status of the test command; non-zero when some tests fail")
    summary_line: str = Field(description="the runner's own closing summary, as printed")
    wall_seconds: float = Field(gt=0, description="container start to test end, apt and installs included")
    notes: str = ""

    @model_validator(mode="after")
    def _counts_add_up(self) -> GroundTruth:
        # total is what the runner reports; it can never be below what it says passed plus failed
        if self.passed + self.failed > self.total:
            raise ValueError(f"passed {self.passed} + failed {self.failed} exceeds total {self.total}")
        if self.test_command not in self.commands:
            raise ValueError("test_command must be one of the commands")
        return self


class BenchProject(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    language: Literal["python", "c", "c++", "javascript"]
    source: ProjectSource
    ground_truth: GroundTruth


class ProjectList(BaseModel):
    model_config = ConfigDict(extra="forbid")
    projects: list[BenchProject]

    @model_validator(mode="after")
    def _names_unique(self) -> ProjectList:
        names = [project.name for project in self.projects]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"duplicate project names: {', '.join(duplicates)}")
        return self

    def named(self, name: str) -> BenchProject:
        for project in self.projects:
            if project.name == name:
                return project
        known = ", ".join(project.name for project in self.projects)
        raise KeyError(f"no benchmark project named {name!r} (known: {known})")


def load_projects(path: Path = PROJECTS_FILE) -> ProjectList:
    return ProjectList.model_validate_json(path.read_text(encoding="utf-8"))
