"""What a reader sees: the built site served over HTTP and driven in headless Chromium with Selenium.

Needs selenium (the `test` extra), Chromium and chromedriver. The browser is found via CHROME_BIN /
CHROMEDRIVER or on PATH. Without them the tests skip locally, but fail in CI (CI=true).
"""
import base64
import contextlib
import functools
import http.server
import os
import re
import shutil
import struct
import tempfile
import threading
from pathlib import Path

import pytest

from .helpers import ROOT, copy_project, fetch, search_index, serving, wait_for

WAIT = 20  # seconds for any one explicit wait
SEED_FILES = {p.name for p in (ROOT / "seeds").iterdir()}
SCREENSHOT_COPY = Path(tempfile.gettempdir()) / "briefings-peacekeeping-force.png"
FULL_PAGE_COPY = Path(tempfile.gettempdir()) / "briefings-peacekeeping-force-full.png"
HOME_COPY = Path(tempfile.gettempdir()) / "briefings-home-{scheme}.png"  # the coverage table, light and dark


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def _executable(env: str, *names: str) -> str | None:
    if os.environ.get(env):
        return os.environ[env] if os.access(os.environ[env], os.X_OK) else None
    return next((found for name in names if (found := shutil.which(name))), None)


try:
    from selenium import webdriver
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # pragma: no cover - depends on the environment
    webdriver = None


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _serving(site: Path):
    """`site` served on 127.0.0.1 with an ephemeral port; yields its URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def base_url(built):
    """The built site served on 127.0.0.1 with an ephemeral port, for this module only."""
    with _serving(built[1]) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if webdriver is None:
        _unavailable("selenium is not installed (pip install -e '.[test]')")
    chrome = _executable("CHROME_BIN", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
    driver_path = _executable("CHROMEDRIVER", "chromedriver")
    if not chrome:
        _unavailable("no Chromium/Chrome found (set CHROME_BIN or put chromium on PATH)")
    if not driver_path:
        _unavailable("no chromedriver found (set CHROMEDRIVER or put chromedriver on PATH)")
    options = webdriver.ChromeOptions()
    options.binary_location = chrome
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,1000",
                f"--user-data-dir={tmp_path_factory.mktemp('chrome-profile')}"):
        options.add_argument(arg)
    try:
        driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=driver_path), options=options)
    except (WebDriverException, OSError) as err:
        _unavailable(f"Chromium did not start: {getattr(err, 'msg', None) or err}")
    driver.set_page_load_timeout(WAIT)
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver):
    return WebDriverWait(driver, WAIT)


def in_viewport(driver, element) -> bool:
    return driver.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.height > 0 && r.bottom > 0 && r.top < window.innerHeight;", element)


def test_home_page_shows_title_counts_and_topic_links(browser, base_url, built):
    _, _, ledger = built
    browser.get(base_url)
    h1 = wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "article h1")))
    assert h1.text.strip() == ledger["story"]
    assert ledger["story"] in browser.title
    text = browser.find_element(By.CSS_SELECTOR, "article").text
    counts = ledger["counts"]
    assert re.search(rf"\b{counts['used']} articles?\b", text), text
    assert re.search(rf"\b{counts['files']} files?\b", text), text
    links = {a.get_attribute("href"): a.text.strip() for a in browser.find_elements(By.CSS_SELECTOR, "article a")}
    for topic in ledger["topics"]:
        url = f"{base_url}{topic['slug']}/"
        assert links.get(url) == topic["title"], f"no link to {url} titled {topic['title']!r}"
    browser.get(f"{base_url}{ledger['topics'][0]['slug']}/")  # and the links lead to a real page
    h1 = wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "article h1")))
    assert h1.text.strip() == ledger["topics"][0]["title"]


def _switch_scheme(driver):
    body = driver.find_element(By.TAG_NAME, "body")
    before = body.get_attribute("data-md-color-scheme")
    toggle = next(lbl for lbl in driver.find_elements(By.CSS_SELECTOR, "form[data-md-component='palette'] label")
                  if lbl.is_displayed())
    toggle.click()
    wait(driver).until(lambda d: body.get_attribute("data-md-color-scheme") != before)
    return body.get_attribute("data-md-color-scheme")


def test_home_page_shows_the_coverage_table_in_light_and_dark(browser, base_url, built):
    _, _, ledger = built
    browser.get(base_url)
    table = wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "article .coverage table")))
    heads = [th.text.strip() for th in table.find_elements(By.CSS_SELECTOR, "thead th[scope='col']")]
    assert heads == ["Outlet", *(t["title"] for t in ledger["topics"])]
    rows = [th.text.strip() for th in table.find_elements(By.CSS_SELECTOR, "tbody th[scope='row']")]
    files = [f for f in ledger["files"] if f["status"] != "rejected"]
    expected = {f["outlet"] for f in files if f["outlet"]} | ({"outlet not known"} if any(
        not f["outlet"] for f in files) else set())
    assert {re.sub(r" \(\d+ articles?\)$", "", r) for r in rows} == expected
    footer = [td.text for td in table.find_elements(By.CSS_SELECTOR, "tfoot td")]
    assert len(footer) == len(ledger["topics"]) and any("single source" in t for t in footer)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", table)
    wait(browser).until(lambda d: in_viewport(d, table))
    darkest = table.find_element(By.CSS_SELECTOR, "td.coverage-4")
    colours = {}
    for _ in range(2):  # this scheme, then the other; the toggle is clicked back at the end
        scheme = browser.find_element(By.TAG_NAME, "body").get_attribute("data-md-color-scheme")
        colours[scheme] = (darkest.value_of_css_property("background-color"), darkest.value_of_css_property("color"))
        assert colours[scheme][0] not in ("rgba(0, 0, 0, 0)", "transparent"), "shading did not apply"
        assert browser.save_screenshot(str(HOME_COPY).format(scheme="light" if scheme == "default" else "dark"))
        _switch_scheme(browser)
    assert set(colours) == {"default", "slate"} and colours["default"] != colours["slate"]


def test_footnote_names_the_seed_file_and_leads_to_its_source_entry(browser, base_url):
    browser.get(f"{base_url}peacekeeping-force/")
    para = wait(browser).until(EC.visibility_of_element_located(
        (By.XPATH, "//article//p[contains(., 'fewer than 30,000')]")))
    ref = para.find_element(By.CSS_SELECTOR, "a.footnote-ref")
    target = ref.get_attribute("href").split("#", 1)[1]
    assert target.startswith("fn:"), target
    note = browser.find_element(By.ID, target)
    named = set(re.findall(r"[\w.-]+\.txt", note.get_attribute("textContent"))) & SEED_FILES
    assert len(named) == 1, f"footnote {target} should name one seed file: {note.get_attribute('textContent')!r}"
    seed = named.pop()

    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", ref)
    ref.click()
    wait(browser).until(lambda d: d.current_url.endswith(f"#{target}"))
    wait(browser).until(lambda d: in_viewport(d, note))

    link = note.find_element(By.LINK_TEXT, seed)
    wait(browser).until(EC.element_to_be_clickable(link)).click()
    entry_id = Path(seed).stem
    wait(browser).until(lambda d: "/sources/" in d.current_url and d.current_url.endswith(f"#{entry_id}"))
    entry = wait(browser).until(EC.visibility_of_element_located((By.ID, entry_id)))
    wait(browser).until(lambda d: in_viewport(d, entry))
    details = entry.find_element(By.XPATH, "following-sibling::ul[1]")
    assert f"File: {seed}" in details.text


def search(driver, query: str) -> None:
    """Type `query` into the header's search box (Pagefind UI), replacing what is there."""
    box = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#briefings-search input[type='text']")))
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(query)


def shown_hit(base_url: str, slug: str):
    """A wait condition: a search result shown that links to the page `slug` (or a place on it)."""
    def found(driver):  # results are re-rendered as fragments load: elements can go stale
        for a in driver.find_elements(By.CSS_SELECTOR, "#briefings-search a.pagefind-ui__result-link"):
            if (a.get_attribute("href") or "").startswith(f"{base_url}{slug}/") and a.is_displayed():
                return a
        return False
    return found


@pytest.mark.parametrize("query, slug", [("rare earth", "minerals-deal"), ("30,000", "peacekeeping-force")])
def test_search_finds_the_topic_page(browser, base_url, query, slug):
    browser.get(base_url)
    search(browser, query)
    WebDriverWait(browser, WAIT, ignored_exceptions=(StaleElementReferenceException,)).until(
        shown_hit(base_url, slug), f"no search result for {query!r} links to {slug}/")


def test_search_works_under_a_sub_path(browser, built):
    """As on GitHub Pages (https://owner.github.io/repo/): the site is served from a folder, not the host's root."""
    site = built[1]
    with _serving(site.parent) as root:
        base = f"{root}{site.name}/"
        browser.get(base)
        search(browser, "rare earth")
        WebDriverWait(browser, WAIT, ignored_exceptions=(StaleElementReferenceException,)).until(
            shown_hit(base, "minerals-deal"), f"no search result links to {base}minerals-deal/")


def test_search_box_follows_the_palette(browser, base_url):
    browser.get(base_url)
    box = wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#briefings-search input")))
    colours = set()
    for _ in range(2):  # this scheme, then the other; the toggle is clicked back at the end
        colours.add((box.value_of_css_property("background-color"), box.value_of_css_property("color")))
        _switch_scheme(browser)
    assert len(colours) == 2, f"the search box keeps one colour in both palettes: {colours}"


# --- a site whose topics overflow onto archive pages ------------------------------------------------------------

def _archive_only_word(files: dict[str, str]) -> tuple[str, str]:
    """A word of an archive page's passages found on no other page, and that page's slug (the first by name)."""
    def words(text: str) -> set[str]:
        return set(re.findall(r"[a-z]{7,}", text.lower()))

    for name in sorted(n for n in files if re.fullmatch(r".+-archive(-\d+)?\.md", n)):
        passages = "\n".join(line for line in files[name].split("\n")
                             if line and not line.startswith(("#", "*", "[^", ">", "|", "<")))
        others = set().union(*(words(text) for n, text in files.items() if n != name and n.endswith(".md")))
        unique = sorted(words(passages) - others)
        if unique:
            return unique[0], name[:-3]
    raise AssertionError("no archive page holds a word of its own")


@pytest.fixture(scope="module")
def archive_site(tmp_path_factory):
    """The seeds built with topic pages of 2 passages, so the rest goes to archive pages; (site, word, slug)."""
    from dataclasses import replace

    from generator import output, pipeline
    from generator.cli import nav
    from generator.settings import DEFAULT

    out = tmp_path_factory.mktemp("archive-site")
    small = replace(DEFAULT, topic_page_passages=2, archive_page_passages=3)
    result = pipeline.generate(pipeline.Inputs(ROOT / "seeds", ROOT / "templates" / "topics.yml", ROOT / "templates"),
                               small, skip_invalid=False)
    output.publish(ROOT / "mkdocs.yml", out / "briefings", result.files, out / "site", nav(result.spec), result.spec.title)
    word, slug = _archive_only_word(result.files)
    return out / "site", word, slug


@pytest.fixture(scope="module")
def archive_url(archive_site):
    with _serving(archive_site[0]) as url:
        yield url


def test_search_finds_a_passage_only_on_an_archive_page(browser, archive_site, archive_url):
    _, word, slug = archive_site
    browser.get(archive_url)
    search(browser, word)
    hit = WebDriverWait(browser, WAIT, ignored_exceptions=(StaleElementReferenceException,)).until(
        shown_hit(archive_url, slug), f"no search result for {word!r} links to the archive page {slug}/")
    href = hit.get_attribute("href")
    hit.click()
    wait(browser).until(lambda d: d.current_url.split("#")[0] == href.split("#")[0])
    assert word in browser.find_element(By.CSS_SELECTOR, "article").text.lower()


PREVIEW_WORD = "quillmarrowfen"  # in no seed: only the edit below puts it on the home page


def test_search_in_the_preview_finds_what_the_last_rebuild_added(browser, tmp_path):
    """`briefings serve` indexes each build: the preview's search box finds a word an edit has just added."""
    project = copy_project(tmp_path)
    with serving(project) as url:
        first = wait_for(lambda: search_index(url), "the preview's search index")
        index = project / "templates" / "index.md.j2"
        index.write_text(index.read_text(encoding="utf-8") + f"\nThe word {PREVIEW_WORD} marks this rebuild.\n",
                         encoding="utf-8")
        wait_for(lambda: PREVIEW_WORD in (fetch(url) or ""), "the edited page")
        wait_for(lambda: search_index(url) not in (None, first), "the search index of the rebuilt preview")
        browser.get(url)
        search(browser, PREVIEW_WORD)
        hit = WebDriverWait(browser, WAIT, ignored_exceptions=(StaleElementReferenceException,)).until(
            lambda d: next((a for a in d.find_elements(By.CSS_SELECTOR, "#briefings-search a.pagefind-ui__result-link")
                            if a.is_displayed()), False), f"no search result for {PREVIEW_WORD!r} in the preview")
        assert hit.get_attribute("href").split("#")[0] == url


def test_palette_toggle_switches_between_light_and_dark(browser, base_url):
    browser.get(base_url)
    body = browser.find_element(By.TAG_NAME, "body")
    start = body.get_attribute("data-md-color-scheme")
    assert start in ("default", "slate")
    for _ in range(2):  # to the other scheme and back, so the stored choice ends where it began
        before = body.get_attribute("data-md-color-scheme")
        toggle = next(lbl for lbl in browser.find_elements(By.CSS_SELECTOR, "form[data-md-component='palette'] label")
                      if lbl.is_displayed())
        assert re.match(r"Switch to (dark|light) mode", toggle.get_attribute("title") or toggle.get_attribute("aria-label"))
        toggle.click()
        wait(browser).until(lambda d: body.get_attribute("data-md-color-scheme") != before)
    assert body.get_attribute("data-md-color-scheme") == start


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_screenshot_of_a_topic_page(browser, base_url, tmp_path):
    browser.get(f"{base_url}peacekeeping-force/")
    wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "article h1")))
    wait(browser).until(lambda d: d.execute_script("return document.fonts.status") == "loaded")
    shot = tmp_path / "peacekeeping-force.png"
    assert browser.save_screenshot(str(shot))
    data = shot.read_bytes()
    width, height = _png_size(data)
    assert width >= 800 and height >= 600, (width, height)
    assert len(data) > 20_000, f"screenshot is only {len(data)} bytes: probably a blank page"
    shutil.copyfile(shot, SCREENSHOT_COPY)
    # The whole page too (footnotes included), through the DevTools protocol, for a person to look at.
    full = browser.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    FULL_PAGE_COPY.write_bytes(base64.b64decode(full["data"]))
    assert _png_size(FULL_PAGE_COPY.read_bytes())[1] > height
    print(f"\nscreenshots: {SCREENSHOT_COPY} (window), {FULL_PAGE_COPY} (whole page)")
