"""Counting source files by language, skipping vendored and generated folders."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

EXTENSIONS: dict[str, str] = {
    ".py": "python",
    ".pyx": "python",
    ".java": "java",
    ".kt": "kotlin",
    ".scala": "scala",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".tsx": "typescript",
    ".mts": "typescript",
    ".c": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".cxx": "cpp",
    ".hpp": "cpp",
    ".hh": "cpp",
    ".hxx": "cpp",
    ".rs": "rust",
    ".go": "go",
    ".rb": "ruby",
    ".php": "php",
    ".cs": "csharp",
    ".swift": "swift",
}

SKIPPED_DIRS = {
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    ".venv",
    "venv",
    "env",
    "__pycache__",
    ".tox",
    ".nox",
    "build",
    "dist",
    "target",
    "vendor",
    "third_party",
    "third-party",
    "thirdparty",
    "external",
    "site-packages",
    ".mypy_cache",
    ".pytest_cache",
    ".idea",
    ".gradle",
    "bower_components",
}

MAX_FILES = 50_000


def count_languages(root: Path) -> dict[str, int]:
    """Source files per language, most common first (bounded walk, symlinks not followed)."""
    counts: Counter[str] = Counter()
    seen = 0
    for _dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in filenames:
            seen += 1
            if seen > MAX_FILES:
                return dict(counts.most_common())
            language = EXTENSIONS.get(os.path.splitext(name)[1].lower())
            if language and not name.endswith(".d.ts"):
                counts[language] += 1
    return dict(counts.most_common())
