"""Bytes a reader's first search downloads, measured in headless Chromium on a built site.

Usage::

    python -m benchmarks.bench_search SITE_DIR --query WORD [--query WORD ...] [--no-reindex] [--json]

Serves SITE_DIR on 127.0.0.1, and for each query opens the home page in a fresh browser profile (an
empty cache), types the query into the header's search box and waits for the first results. Then it
sums the bytes the server sent from the search bundle (`pagefind/`: the UI script and stylesheet,
pagefind.js, its worker and WebAssembly, the metadata, the index chunks and the result fragments of the
first page of results). They are counted by the server, since Pagefind fetches from a web worker, whose
requests the page's Performance API does not list. The local server sends files as they are (the index
and fragments are stored gzipped; scripts are not), so this is an upper bound of what a host that
compresses (GitHub Pages) sends. It
prints those bytes per query, the same split by kind, the size of the search files on disk and the
seconds Pagefind takes to index the site (run again on a copy).
Needs Chromium, chromedriver and selenium, as tests/test_browser.py.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUNDLE = "pagefind/"
WAIT = 60  # seconds for a page or a result
KINDS = (("index", "index/"), ("fragment", "fragment/"), ("wasm", "wasm."), ("meta", ".pf_meta"),
         ("ui", "pagefind-ui."), ("runtime", "pagefind"))  # first match wins


class _Counting(http.server.SimpleHTTPRequestHandler):
    """Serves files and records (path, bytes sent) of each one in `self.server.served`."""

    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        start = source.tell()
        super().copyfile(source, outputfile)
        self.server.served.append((self.path, source.tell() - start))


@contextmanager
def serve(site: Path):
    """`site` over HTTP on an ephemeral port; yields the server (its `served` list grows with each file sent)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Counting, directory=str(site)))
    server.served = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium():
    """A headless Chromium with a fresh profile (so nothing is cached)."""
    from selenium import webdriver

    profile = tempfile.mkdtemp(prefix="bench-search-chrome-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=shutil.which("chromedriver")),
                              options=options)
    driver.set_page_load_timeout(WAIT)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def kind(url: str) -> str:
    """Which part of the search bundle a URL is."""
    return next(name for name, mark in KINDS if mark in url.rsplit(BUNDLE, 1)[-1] or name == "runtime")


def first_search(driver, server, query: str) -> dict:
    """Open the home page, search `query`, wait for results; bytes fetched from the bundle, by kind."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    server.served.clear()
    driver.get(base_url)
    box = WebDriverWait(driver, WAIT).until(lambda d: d.find_element(By.CSS_SELECTOR, ".pagefind-ui__search-input"))
    t0 = time.perf_counter()
    box.send_keys(query)
    WebDriverWait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".pagefind-ui__result-link")
                                      or "No results" in (d.find_element(By.CSS_SELECTOR, ".pagefind-ui__message").text
                                                          if d.find_elements(By.CSS_SELECTOR, ".pagefind-ui__message") else ""))
    WebDriverWait(driver, WAIT).until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".pagefind-ui__result-thumb.pagefind-ui__loading, .pagefind-ui__result-title.pagefind-ui__loading"))
    seconds = time.perf_counter() - t0
    time.sleep(0.5)  # let any request still in flight finish
    entries = [(path, size) for path, size in server.served if f"/{BUNDLE}" in path]
    by_kind: Counter[str] = Counter()
    for url, size in entries:
        by_kind[kind(url)] += size
    results = len(driver.find_elements(By.CSS_SELECTOR, ".pagefind-ui__result"))
    return {"query": query, "bytes": sum(by_kind.values()), "by_kind": dict(sorted(by_kind.items())),
            "results_shown": results, "seconds": round(seconds, 2),
            "requests": len(entries), "files": sorted(path for path, _ in entries)}


def on_disk(site: Path) -> dict:
    """Files and bytes of the search bundle, and of a Material lunr index if there is one."""
    files = [p for p in (site / BUNDLE).rglob("*") if p.is_file()]
    out = {"bundle_files": len(files), "bundle_bytes": sum(p.stat().st_size for p in files),
           "pages_indexed": sum(1 for _ in (site / BUNDLE).rglob("fragment/*.pf_fragment"))}  # in every bundle
    lunr = site / "search" / "search_index.json"
    if lunr.is_file():
        out["lunr_index_bytes"] = lunr.stat().st_size
    return out


def index_seconds(site: Path) -> float:
    """Seconds Pagefind takes to index `site` again (a copy without its bundle, in a temporary folder)."""
    sys.path.insert(0, str(REPO))
    from generator import search

    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        copy = Path(tmp) / "site"
        shutil.copytree(site, copy, ignore=lambda folder, names: [BUNDLE.rstrip("/")] if Path(folder) == site else [])
        t0 = time.perf_counter()
        search.index_site(copy)
        return round(time.perf_counter() - t0, 2)


def measure(site: Path, queries: list[str], reindex: bool = True) -> dict:
    """The first search of each query, each in a fresh browser, the bundle on disk and (`reindex`) the seconds
    to build the index."""
    runs = []
    with serve(site) as server:
        for query in queries:
            with chromium() as driver:
                runs.append(first_search(driver, server, query))
    return {"site": str(site), "disk": on_disk(site), "queries": runs,
            "max_first_search_bytes": max(r["bytes"] for r in runs),
            "index_seconds": index_seconds(site) if reindex else None}


def report(res: dict) -> str:
    disk = res["disk"]
    lines = [f"{res['site']}: {disk['pages_indexed']} pages indexed; search bundle {disk['bundle_files']} files, "
             f"{disk['bundle_bytes'] / 1e6:.1f} MB on disk"
             + (f", indexed in {res['index_seconds']:.1f} s" if res.get("index_seconds") is not None else "")
             + (f" (a lunr index of {disk['lunr_index_bytes'] / 1e6:.1f} MB too)" if "lunr_index_bytes" in disk else "")]
    for r in res["queries"]:
        parts = ", ".join(f"{k} {v / 1e3:.0f} kB" for k, v in r["by_kind"].items())
        lines.append(f"  first search {r['query']!r}: {r['bytes'] / 1e6:.2f} MB in {r['requests']} requests "
                     f"({parts}); {r['results_shown']} results shown after {r['seconds']:.1f} s")
    lines.append(f"  largest first search: {res['max_first_search_bytes'] / 1e6:.2f} MB")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--query", action="append", required=True, help="a search; repeat for more")
    ap.add_argument("--no-reindex", action="store_true", help="do not time a fresh Pagefind run over the site")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    res = measure(args.site, args.query, reindex=not args.no_reindex)
    print(json.dumps(res, indent=2) if args.json else report(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
