"""The export as released: redactions applied, and a plain printable HTML document."""

import copy
from html import escape
from typing import Any

REDACTED = "[redacted: third-party information]"

_STYLE = """
body { font-family: Georgia, serif; max-width: 50em; margin: 2em auto; color: #000; }
h1, h2 { font-family: Arial, sans-serif; }
table { border-collapse: collapse; width: 100%; margin: 0.3em 0 1em; }
th, td { border: 1px solid #777; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
th { width: 30%; background: #eee; }
.redacted { font-style: italic; }
@media print { h2 { page-break-before: auto; } }
"""


def redact(content: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    """A copy of the content with each JSON Pointer's value (and all under it) replaced; the
    pointers were checked to exist when they were marked."""
    redacted = copy.deepcopy(content)
    # Deepest first, so a part redacted whole never hides a pointer still to be followed.
    for path in sorted(paths, key=lambda path: -len(pointer_tokens(path))):
        tokens = pointer_tokens(path)
        parent: Any = redacted
        for token in tokens[:-1]:
            parent = parent[int(token)] if isinstance(parent, list) else parent[token]
        parent[int(tokens[-1]) if isinstance(parent, list) else tokens[-1]] = REDACTED
    return redacted


def pointer_tokens(path: str) -> list[str]:
    """The reference tokens of a JSON Pointer (RFC 6901)."""
    return [token.replace("~1", "/").replace("~0", "~") for token in path.split("/")[1:]]


def points_into(content: Any, path: str) -> bool:
    """Whether the JSON Pointer names a value inside the content (not the whole of it)."""
    if not path.startswith("/"):
        return False
    node = content
    for token in pointer_tokens(path):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


def _label(key: str) -> str:
    return escape(key.replace("_", " ").capitalize())


def _value(value: Any) -> str:
    if value == REDACTED:
        return f'<span class="redacted">{escape(REDACTED)}</span>'
    if isinstance(value, dict):
        return _table(value) if value else "—"
    if isinstance(value, list):
        if not value:
            return "None recorded"
        return "".join(f"<div>{_value(item)}</div>" for item in value)
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return escape(str(value))


def _table(record: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><th>{_label(str(key))}</th><td>{_value(value)}</td></tr>"
        for key, value in record.items()
    )
    return f"<table>{rows}</table>"


def render_html(*, title: str, heading: dict[str, str], content: dict[str, Any]) -> str:
    """A readable document of the content, every value escaped."""
    facts = "".join(
        f"<tr><th>{escape(key)}</th><td>{escape(value)}</td></tr>" for key, value in heading.items()
    )
    sections = "".join(
        f"<section><h2>{_label(name)}</h2>{_value(value)}</section>"
        for name, value in content.items()
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body><h1>{escape(title)}</h1>"
        f"<table>{facts}</table>{sections}</body></html>\n"
    )
