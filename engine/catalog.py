"""The catalog of known benchmark projects (the 50 of the ExecutionAgent paper), by name."""

from __future__ import annotations

import difflib
from pathlib import Path

from pydantic import BaseModel, Field

from engine.prompt_library import canonical_language

CATALOG_FILE = Path(__file__).resolve().parent / "catalog_projects.json"


class CatalogProject(BaseModel):
    """One benchmark project: its name, where its source lives, and its main language."""

    name: str
    url: str
    language: str

    @property
    def language_key(self) -> str:
        """The guideline key of the language ("C++" → "cpp"), or its lowercase name."""
        return canonical_language(self.language) or self.language.lower()

    @property
    def safe_name(self) -> str:
        """A name usable as a folder or image tag ("Chart.js" → "chart_js")."""
        return "".join(c if c.isalnum() else "_" for c in self.name.lower())


class CatalogFile(BaseModel):
    """The JSON file's shape: where the list comes from and the projects."""

    source: str = ""
    projects: list[CatalogProject] = Field(default_factory=list)


class UnknownProjectError(LookupError):
    """A name that is not in the catalog; the message suggests close names."""


class Catalog:
    """Lookup of catalog projects by name (case-insensitive) or by language."""

    def __init__(self, projects: list[CatalogProject], source: str = ""):
        self.projects = list(projects)
        self.source = source
        self._by_name = {p.name.lower(): p for p in self.projects}

    @classmethod
    def load(cls, path: Path = CATALOG_FILE) -> Catalog:
        """Read the catalog from its JSON file (the bundled one by default)."""
        data = CatalogFile.model_validate_json(path.read_text(encoding="utf-8"))
        return cls(data.projects, data.source)

    def __len__(self) -> int:
        return len(self.projects)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.strip().lower() in self._by_name

    def find(self, name: str) -> CatalogProject | None:
        """The project with this name (any case), or None."""
        return self._by_name.get(name.strip().lower())

    def get(self, name: str) -> CatalogProject:
        """The project with this name (any case); unknown names raise with suggestions."""
        project = self.find(name)
        if project is None:
            close = self.suggest(name)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise UnknownProjectError(f"{name!r} is not in the catalog.{hint}")
        return project

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Catalog names close to `name`, best first (for "did you mean")."""
        lowered = name.strip().lower()
        matches = difflib.get_close_matches(lowered, list(self._by_name), n=limit, cutoff=0.6)
        if not matches:
            matches = [key for key in self._by_name if lowered and lowered in key][:limit]
        return [self._by_name[m].name for m in matches]

    def by_language(self, language: str) -> list[CatalogProject]:
        """Projects whose language matches (aliases accepted: "cpp", "c++", "js", "py")."""
        wanted = canonical_language(language) or language.strip().lower()
        return [p for p in self.projects if p.language_key == wanted]

    def languages(self) -> list[str]:
        """The languages in the catalog as written there, in order of first appearance."""
        return list(dict.fromkeys(p.language for p in self.projects))
