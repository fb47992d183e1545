"""The projects the TUI lists: the catalog plus local paths and URLs a person added."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from engine.catalog import Catalog

Source = Literal["catalog", "path", "url"]


class ProjectEntry(BaseModel):
    """One row of the project list; `location` is a URL or a local folder."""

    model_config = ConfigDict(frozen=True)

    name: str
    language: str
    location: str
    source: Source = "catalog"


def catalog_entries(catalog: Catalog | None = None) -> list[ProjectEntry]:
    catalog = catalog or Catalog.load()
    return [ProjectEntry(name=p.name, language=p.language, location=p.url) for p in catalog.projects]


def entry_from_location(location: str, name: str = "", language: str = "") -> ProjectEntry:
    """An entry for a folder or git URL typed into the "add project" dialog."""
    location = location.strip()
    if not location:
        raise ValueError("give a local folder or a git URL")
    is_url = "://" in location or location.startswith("git@")
    if not is_url and not Path(location).expanduser().is_dir():
        raise ValueError(f"{location} is not a folder (or a URL)")
    if not name.strip():
        name = location.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git") or location
    return ProjectEntry(
        name=name.strip(),
        language=language.strip() or "unknown",
        location=location if is_url else str(Path(location).expanduser().resolve()),
        source="url" if is_url else "path",
    )


def matches(entry: ProjectEntry, search: str, language: str | None) -> bool:
    """The project list's filter: a language (or all) and a case-insensitive substring."""
    if language and entry.language.lower() != language.lower():
        return False
    needle = search.strip().lower()
    return not needle or needle in entry.name.lower() or needle in entry.location.lower()
