"""XML shown as indented YAML-like text: easier for a model to read than angle brackets."""

from __future__ import annotations

import xml.etree.ElementTree as ET


def _local(tag: str) -> str:
    # "{http://maven.apache.org/POM/4.0.0}artifactId" -> "artifactId"
    return tag.rsplit("}", 1)[-1]


def xml_as_yaml(text: str) -> str | None:
    """The document as `key: value` lines, or None when it is not well-formed XML."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return None
    lines: list[str] = []
    _render(root, 0, lines)
    return "\n".join(lines)


def _render(element: ET.Element, depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    name = _local(str(element.tag))
    value = (element.text or "").strip()
    children = list(element)
    if not children and not element.attrib:
        lines.append(f"{pad}{name}: {value}" if value else f"{pad}{name}:")
        return
    lines.append(f"{pad}{name}:")
    for key, attr in element.attrib.items():
        lines.append(f"{pad}  @{_local(key)}: {attr}")
    if value:
        lines.append(f"{pad}  text: {value}")
    for child in children:
        _render(child, depth + 1, lines)
