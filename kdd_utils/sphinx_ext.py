"""A small Sphinx extension for the book (listed in ``_config.yml``).

- sphinx-thebe 0.3.1 under Jupyter Book 1.0.4 registers its inline configuration script twice,
  so every page declares ``const THEBE_JS_URL`` twice and the browser logs a JavaScript error.
  `deduplicate_scripts` keeps the first of identical script entries of each page.
- The book's notebook pages are the *executed copies* ``runs/<run>/NN_name.ipynb``, which exist
  only in the run folder, not in the repository. The theme's launch buttons (Binder) would
  point at them; `launch_committed_notebooks` points them at the committed notebook
  ``notebooks/NN_name.ipynb`` instead, which opens with its default parameters.
"""

from __future__ import annotations

import re
from typing import Any

#: An executed copy's path in the book's source, as it appears in a launch URL.
_EXECUTED_COPY = re.compile(r"(?:^|(?<=[/=]))runs/[^/?#&]+/(\d\d_[A-Za-z0-9_]+\.ipynb)")


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


def committed_notebook_url(url: str) -> str:
    """``url`` with the path of an executed copy (``runs/<run>/NN_name.ipynb``) replaced by the
    committed notebook's (``notebooks/NN_name.ipynb``); other URLs are returned unchanged."""
    return _EXECUTED_COPY.sub(r"notebooks/\1", url)


def _rewrite(buttons: list) -> None:
    for button in buttons:
        if isinstance(button, dict):
            if isinstance(button.get("url"), str):
                button["url"] = committed_notebook_url(button["url"])
            _rewrite(button.get("buttons") or [])


def launch_committed_notebooks(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Point the page's launch buttons at the committed notebook of an executed copy."""
    if pagename.startswith("runs/"):
        for button in context.get("header_buttons") or []:
            if isinstance(button, dict) and button.get("label") == "launch-buttons":
                _rewrite(button.get("buttons") or [])


def setup(app) -> dict:
    """Register the extension (runs after the theme's html-page-context handlers, priority 501)."""
    app.connect("html-page-context", deduplicate_scripts, priority=900)
    app.connect("html-page-context", launch_committed_notebooks, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
