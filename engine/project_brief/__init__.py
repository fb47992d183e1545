"""Offline, read-only summary of a project folder for the agent's first prompt.

Nothing from the project is executed: files are parsed with the standard library only.
"""

from .miner import mine_project, rank_test_commands
from .model import BuildFile, CiCommand, ProjectBrief, ReadmeSnippet, TestCommand

__all__ = [
    "BuildFile",
    "CiCommand",
    "ProjectBrief",
    "ReadmeSnippet",
    "TestCommand",
    "mine_project",
    "rank_test_commands",
]
