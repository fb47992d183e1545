"""Code blocks under install/test/develop headings of README and contributing documents."""

from __future__ import annotations

import re
from pathlib import Path

from .model import ReadmeSnippet
from .reading import read_text, rel

HEADING_WORDS = re.compile(
    r"install|test|develop|contribut|build|compil|getting started|setup|set up|running|usage",
    re.IGNORECASE,
)
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+])\1{2,}\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
MAX_SNIPPET_CHARS = 700


def document_files(root: Path) -> list[Path]:
    """README and contributing/development documents, most authoritative first."""
    names = ("README.md", "README.rst", "README.txt", "README", "readme.md", "Readme.md")
    found = [root / n for n in names if (root / n).is_file()][:1]
    for folder in (root, root / ".github", root / "docs"):
        for pattern in (
            "CONTRIBUTING*",
            "HACKING*",
            "DEVELOP*",
            "INSTALL*",
            "BUILDING*",
            "TESTING*",
        ):
            found += sorted(p for p in folder.glob(pattern) if p.is_file())
    docs = root / "docs"
    if docs.is_dir():
        for pattern in ("*contribut*", "*develop*", "*install*", "*testing*", "*building*"):
            found += sorted(
                p for p in docs.glob(pattern) if p.is_file() and p.suffix in (".md", ".rst", ".txt")
            )
    return list(dict.fromkeys(found))


def mine_documents(root: Path, max_snippets: int = 12) -> list[ReadmeSnippet]:
    """Code blocks found under matching headings, in document order."""
    snippets: list[ReadmeSnippet] = []
    for path in document_files(root):
        text = read_text(path)
        blocks = _rst_blocks(text) if path.suffix == ".rst" else _markdown_blocks(text)
        for heading, code in blocks:
            if HEADING_WORDS.search(heading) and code.strip():
                snippets.append(ReadmeSnippet(source=rel(root, path), heading=heading, code=_trim(code)))
            if len(snippets) >= max_snippets:
                return snippets
    return snippets


def _trim(code: str) -> str:
    code = code.strip("\n")
    return code if len(code) <= MAX_SNIPPET_CHARS else code[:MAX_SNIPPET_CHARS].rsplit("\n", 1)[0] + "\n..."


def _markdown_blocks(text: str) -> list[tuple[str, str]]:
    heading = ""
    blocks: list[tuple[str, str]] = []
    fence: str | None = None
    current: list[str] = []
    for line in text.splitlines():
        if fence is not None:
            if line.strip().startswith(fence):
                blocks.append((heading, "\n".join(current)))
                fence, current = None, []
            else:
                current.append(line)
            continue
        fence_match = FENCE.match(line)
        if fence_match:
            fence = fence_match.group(1)
            continue
        heading_match = MD_HEADING.match(line)
        if heading_match:
            heading = heading_match.group(2)
    return blocks


def _rst_blocks(text: str) -> list[tuple[str, str]]:
    """Indented literal blocks after `::` or `.. code-block::`, with the section title."""
    lines = text.splitlines()
    heading = ""
    blocks: list[tuple[str, str]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if i + 1 < len(lines) and line.strip() and RST_UNDERLINE.match(lines[i + 1]):
            heading = line.strip()
            i += 2
            continue
        if line.rstrip().endswith("::"):
            i += 1
            while i < len(lines) and (not lines[i].strip() or lines[i].lstrip().startswith(":")):
                i += 1
            block: list[str] = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith((" ", "\t"))):
                block.append(lines[i].strip())
                i += 1
            if any(block):
                blocks.append((heading, "\n".join(block).strip()))
            continue
        i += 1
    return blocks
