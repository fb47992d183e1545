"""The ProjectBrief data model and its compact text rendering for the LLM."""

from __future__ import annotations

from pydantic import BaseModel, Field


class BuildFile(BaseModel):
    """A build or dependency file and the facts read from it."""

    path: str
    kind: str
    facts: list[str] = Field(default_factory=list)


class CiCommand(BaseModel):
    """A shell command from a CI configuration that installs, builds or tests."""

    source: str
    command: str


class ReadmeSnippet(BaseModel):
    """A code block found under an install/test/develop heading of a document."""

    source: str
    heading: str
    code: str


class TestCommand(BaseModel):
    """A candidate command for running the test suite, with where it came from."""

    command: str
    source: str
    score: int


class ProjectBrief(BaseModel):
    """What an offline look at a project folder tells about building and testing it."""

    root_name: str
    languages: dict[str, int] = Field(default_factory=dict)
    build_files: list[BuildFile] = Field(default_factory=list)
    ci_commands: list[CiCommand] = Field(default_factory=list)
    ci_files: list[str] = Field(default_factory=list)
    dockerfiles: list[str] = Field(default_factory=list)
    readme_snippets: list[ReadmeSnippet] = Field(default_factory=list)
    python_versions: list[str] = Field(default_factory=list)
    node_version: str | None = None
    go_version: str | None = None
    java_version: str | None = None
    package_manager: str | None = None
    test_commands: list[TestCommand] = Field(default_factory=list)

    @property
    def main_language(self) -> str | None:
        """The language with the most source files, if any were found."""
        return max(self.languages, key=self.languages.__getitem__) if self.languages else None

    def to_prompt_text(self, max_chars: int = 6000) -> str:
        """A compact Markdown summary, most useful facts first, never longer than `max_chars`."""
        sections = [_header(self), *_sections(self)]
        out: list[str] = []
        used = 0
        for section in sections:
            if not section:
                continue
            cost = len(section) + 1
            if used + cost > max_chars:
                room = max_chars - used - len("\n[brief truncated]") - 1
                if room > 80:
                    out.append(section[:room].rsplit("\n", 1)[0])
                out.append("[brief truncated]")
                break
            out.append(section)
            used += cost
        return "\n".join(out)[:max_chars]


def _header(brief: ProjectBrief) -> str:
    lines = [f"# Project brief: {brief.root_name}"]
    if brief.languages:
        langs = ", ".join(f"{k} ({v} files)" for k, v in brief.languages.items())
        lines.append(f"Languages: {langs}")
    versions = []
    if brief.python_versions:
        versions.append(f"Python {', '.join(brief.python_versions)}")
    if brief.node_version:
        versions.append(f"Node {brief.node_version}")
    if brief.go_version:
        versions.append(f"Go {brief.go_version}")
    if brief.java_version:
        versions.append(f"Java {brief.java_version}")
    if versions:
        lines.append(f"Version hints: {'; '.join(versions)}")
    if brief.package_manager:
        lines.append(f"Package manager: {brief.package_manager}")
    return "\n".join(lines) + "\n"


def _clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _sections(brief: ProjectBrief) -> list[str]:
    sections: list[str] = []
    if brief.test_commands:
        body = "\n".join(f"- `{_clip(t.command)}` ({_clip(t.source, 120)})" for t in brief.test_commands[:8])
        sections.append(f"## Candidate test commands (best first)\n{body}\n")
    if brief.build_files:
        lines = []
        for bf in brief.build_files:
            lines.append(f"- {bf.path} [{bf.kind}]")
            lines.extend(f"  - {_clip(fact)}" for fact in bf.facts[:12])
        sections.append("## Build and dependency files\n" + "\n".join(lines) + "\n")
    if brief.ci_commands:
        body = "\n".join(f"- `{_clip(c.command)}` ({c.source})" for c in brief.ci_commands[:25])
        sections.append(f"## CI commands (install/build/test)\n{body}\n")
    elif brief.ci_files:
        sections.append("## CI files\n" + "\n".join(f"- {f}" for f in brief.ci_files) + "\n")
    if brief.dockerfiles:
        sections.append("## Existing Dockerfiles\n" + "\n".join(f"- {d}" for d in brief.dockerfiles) + "\n")
    for snip in brief.readme_snippets[:6]:
        sections.append(f"## {snip.source} > {snip.heading}\n```\n{snip.code}\n```\n")
    return sections
