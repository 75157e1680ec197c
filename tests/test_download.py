"""The download path against a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import functools
import gzip
import http.server
import threading

import pytest

from kdd_utils import KDDError
from kdd_utils.datasets import DataFile, Source, load, locate, sha256_of


@pytest.fixture
def server(tmp_path):
    """Serve ``tmp_path/www`` on 127.0.0.1; yields (base URL, www folder, request log)."""
    www = tmp_path / "www"
    www.mkdir()
    requests: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            super().do_GET()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(www)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", www, requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def _registry(content: bytes, *sources: Source) -> dict[str, DataFile]:
    return {"toy": DataFile(name="toy", filename="toy.data", subdir="toy",
                            sha256=sha256_of(content), rows=None, fmt="kdd99", sources=sources)}


def test_good_download_is_verified_and_cached(server, tmp_path, records):
    base, www, requests = server
    content = ("\n".join(records(25)) + "\n").encode()
    packed = gzip.compress(content)
    (www / "toy.data.gz").write_bytes(packed)
    registry = _registry(content, Source(f"{base}/toy.data.gz", sha256_of(packed), gzipped=True))
    cache = tmp_path / "cache"
    path = locate("toy", cache_dir=cache, download=True, registry=registry)
    assert path == cache / "toy.data.gz" and path.read_bytes() == packed
    assert len(load("toy", cache_dir=cache, download=True, registry=registry)) == 25
    assert len(requests) == 1  # the second call used the cache


def test_corrupt_download_raises_and_leaves_nothing(server, tmp_path, records):
    base, www, _ = server
    content = ("\n".join(records(25)) + "\n").encode()
    (www / "toy.data").write_bytes(content[:-40])  # truncated on the server
    registry = _registry(content, Source(f"{base}/toy.data", sha256_of(content)))
    cache = tmp_path / "cache"
    with pytest.raises(KDDError) as info:
        locate("toy", cache_dir=cache, download=True, registry=registry)
    assert "could not download" in str(info.value) and f"{base}/toy.data" in str(info.value)
    assert "KDD_DATA_DIR" in str(info.value)
    assert not cache.exists() or list(cache.rglob("*")) == []


def test_http_error_falls_back_to_the_next_source(server, tmp_path, records):
    base, www, requests = server
    content = ("\n".join(records(5)) + "\n").encode()
    (www / "mirror").mkdir()
    (www / "mirror" / "toy.data").write_bytes(content)
    registry = _registry(content, Source(f"{base}/missing/toy.data", sha256_of(content)),
                         Source(f"{base}/mirror/toy.data", sha256_of(content)))
    path = locate("toy", cache_dir=tmp_path / "cache", download=True, registry=registry)
    assert path.read_bytes() == content
    assert requests == ["/missing/toy.data", "/mirror/toy.data"]


def test_all_sources_failing_lists_them(server, tmp_path):
    base, _, _ = server
    registry = _registry(b"x", Source(f"{base}/a", "0" * 64), Source(f"{base}/b", "0" * 64))
    with pytest.raises(KDDError) as info:
        locate("toy", cache_dir=tmp_path / "cache", download=True, registry=registry)
    assert f"{base}/a" in str(info.value) and f"{base}/b" in str(info.value)
    assert list((tmp_path / "cache").rglob("*")) == []
