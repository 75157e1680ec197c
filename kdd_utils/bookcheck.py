"""Check the built book as a reader sees it: served on 127.0.0.1, opened in headless Chromium.

Every page of the table of contents must load with HTTP 200, show all its images, and log no
JavaScript error; the landing page's results table must have rows of numbers and its sidebar
must link every notebook page. Screenshots of the landing and the evaluation page are saved.
Playwright drives Debian's system Chromium (``/usr/bin/chromium``, or ``$CHROMIUM``): no
browser is downloaded.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

from .errors import KDDError

__all__ = ["KDDError", "check_book", "chromium_path", "serve", "toc_pages"]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def toc_pages(toc_file: Path) -> list[str]:
    """Document names of every page in a (staged) ``_toc.yml``, root first."""
    import yaml

    toc = yaml.safe_load(Path(toc_file).read_text())
    pages = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries or []:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return [re.sub(r"\.(md|ipynb)$", "", p) for p in pages]


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1 (a free port) for the duration of the block."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # keep test and CI output readable
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def chromium_path() -> str:
    """The system Chromium: ``$CHROMIUM`` or ``/usr/bin/chromium``."""
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(path).is_file():
        raise KDDError(f"Chromium was not found at {path}.",
                       fix="install Debian's packages: apt-get install chromium chromium-driver "
                           "(or `make browser`), or set CHROMIUM to the browser's path.")
    return path


_BROKEN_IMAGES = "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
_TABLE_ROWS = """() => {
  const tables = Array.from(document.querySelectorAll('#headline-results table, section#headline-results table'));
  return tables.flatMap(t => Array.from(t.querySelectorAll('tbody tr')).map(r =>
      Array.from(r.querySelectorAll('td')).map(c => c.innerText.trim())));
}"""
_SIDEBAR_LINKS = "Array.from(document.querySelectorAll('.bd-sidebar-primary a, nav.bd-links a')).map(a => a.href)"


def check_book(html_dir: Path, toc_file: Path, screenshots: Path) -> dict:
    """Open every page of the built book in headless Chromium and check what a reader sees.

    Parameters
    ----------
    html_dir : Path
        The built HTML (``.../_build/html``).
    toc_file : Path
        The staged ``_toc.yml`` the book was built from.
    screenshots : Path
        Folder for ``landing.png`` and ``evaluation.png``.

    Returns
    -------
    dict
        ``pages`` checked, ``table_rows`` of the landing page, ``screenshots`` saved.

    Raises
    ------
    KDDError
        Listing every problem found (status, broken image, JavaScript error, empty table,
        unreachable page).
    """
    from playwright.sync_api import sync_playwright

    html_dir, screenshots = Path(html_dir), Path(screenshots)
    pages = toc_pages(toc_file)
    problems: list[str] = []
    screenshots.mkdir(parents=True, exist_ok=True)
    saved = []
    with serve(html_dir) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            current = {"url": ""}
            page.on("console", lambda m: problems.append(
                f"{current['url']}: console error: {m.text} ({m.location.get('url', '')})")
                if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(f"{current['url']}: JavaScript error: {e}"))
            rows: list[list[str]] = []
            for doc in pages:
                url = urljoin(base, f"{doc}.html")
                current["url"] = url
                response = page.goto(url, wait_until="load")
                if response is None or response.status != 200:
                    problems.append(f"{url}: HTTP {response.status if response else 'no response'}")
                    continue
                page.wait_for_load_state("networkidle")
                for src in page.evaluate(_BROKEN_IMAGES):
                    problems.append(f"{url}: image did not load: {src}")
                if doc == pages[0]:
                    rows = page.evaluate(_TABLE_ROWS)
                    numeric = [r for r in rows if sum(bool(re.fullmatch(r"-?\d+\.\d+( ± \d+\.\d+)?", c)) for c in r) >= 3]
                    if not numeric:
                        problems.append(f"{url}: the headline results table has no rows of numbers")
                    links = {href.split("#")[0] for href in page.evaluate(_SIDEBAR_LINKS)}
                    for other in pages[1:]:
                        if urljoin(base, f"{other}.html") not in links:
                            problems.append(f"{url}: the sidebar does not link {other}")
                    page.screenshot(path=str(screenshots / "landing.png"), full_page=False)
                    saved.append(screenshots / "landing.png")
                elif doc.endswith("04_evaluation") and not (screenshots / "evaluation.png").exists():
                    page.screenshot(path=str(screenshots / "evaluation.png"), full_page=False)
                    saved.append(screenshots / "evaluation.png")
        finally:
            browser.close()
    if problems:
        raise KDDError(f"the book has {len(problems)} problem(s) in the browser:\n  " + "\n  ".join(problems[:30]),
                       fix="open the pages named above (make open) and fix their source.")
    return {"pages": pages, "table_rows": len(rows), "screenshots": saved}
