"""search_docker_image: no registry is reachable here, so the locally available images are listed."""

from __future__ import annotations

from pydantic import Field

from engine.sandbox.base_images import DEFAULT_BASE_IMAGE, local_image_tags
from engine.tools.base import Tool, ToolArgs, ToolOutcome
from engine.tools.workspace import Workspace

# Images the engine makes for itself during runs are not base images.
INTERNAL_PREFIXES = ("execagent/run-", "execagent/snapshot-")


class SearchArgs(ToolArgs):
    search_term: str = Field(default="", description="words to match in image names")


class SearchDockerImage(Tool):
    name = "search_docker_image"
    summary = "list the base images available to this run that match the words"
    Args = SearchArgs

    def run(self, args: SearchArgs, workspace: Workspace) -> ToolOutcome:
        images = [
            tag for tag in local_image_tags(workspace.sandbox.client) if not tag.startswith(INTERNAL_PREFIXES)
        ]
        words = [word.lower() for word in args.search_term.split()]
        matching = [tag for tag in images if any(word in tag.lower() for word in words)]
        head = "No image registry is reachable from this machine, so only local images can be used in FROM."
        if not images:
            return ToolOutcome(text=f"{head} There are no local images at all.", ok=False)
        listing = "\n".join(f"- {tag}" for tag in (matching or images))
        found = (
            f"Local images matching {args.search_term!r}:"
            if matching
            else f"No local image matches {args.search_term!r}; all local images:"
        )
        advice = (
            f"{DEFAULT_BASE_IMAGE} is a minimal Debian: install toolchains with apt-get in the Dockerfile"
            " (for example python3, openjdk-17-jdk-headless, nodejs, golang, build-essential)."
        )
        return ToolOutcome(text=f"{head}\n{found}\n{listing}\n{advice}")
