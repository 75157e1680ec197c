"""A small Sphinx extension for the book (listed in ``_config.yml``).

sphinx-thebe 0.3.1 under Jupyter Book 1.0.4 registers its inline configuration script twice,
so every page declares ``const THEBE_JS_URL`` twice and the browser logs a JavaScript error.
This extension keeps the first of identical script entries of each page.
"""

from __future__ import annotations

from typing import Any


def _script_key(script: Any) -> tuple:
    attributes = getattr(script, "attributes", {}) or {}
    return (str(getattr(script, "filename", script) or ""), tuple(sorted((k, str(v)) for k, v in attributes.items())))


def deduplicate_scripts(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Drop repeated identical entries from the page's ``script_files``."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app) -> dict:
    """Register the extension (runs after the other html-page-context handlers)."""
    app.connect("html-page-context", deduplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
