"""The real app and the `veille` command on the same database file at once: (a) the app
refreshes a corpus that changes on every request while the CLI tags articles and writes
notes in a loop; (b) the CLI runs `veille fetch` in a loop while the user tags articles
and writes notes in the window. No write of either side is lost, the CLI never fails or
says "locked", and the window never shows an error (no error toast, no failed feed, no
text about a locked or busy database)."""

import json
import subprocess
import threading
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import CLI, QuietHandler, click, css, list_titles, search, start_server, wait_for

FEEDS = 150
ITEMS = 150
FOLDER = "Concurrency"
CLI_TAG = "cli-during-refresh"
APP_TAG = "app-during-fetch"
APP_WRITES = 4


class CorpusHandler(QuietHandler):
    """/corpus/N.xml: an RSS feed of ITEMS articles whose bodies change on every request,
    so every refresh rewrites (and re-analyses) every article."""

    version = 0
    lock = threading.Lock()

    def do_GET(self):
        feed = self.path.rsplit("/", 1)[-1].removesuffix(".xml")
        with CorpusHandler.lock:
            CorpusHandler.version += 1
            version = CorpusHandler.version
        items = "".join(
            f"<item><guid isPermaLink=\"false\">c-{feed}-{i}</guid><title>Dispatch f{feed}i{i} on chip exports</title>"
            f"<link>https://example.org/corpus/{feed}/{i}</link><pubDate>Tue, 04 Mar 2025 10:{i % 60:02d}:00 GMT</pubDate>"
            f"<description><![CDATA[<p>Revision {version}. TSMC said on Monday it would invest $20 billion in Arizona, "
            f"up {i}% from its plan, while Washington widened export controls on chips to China.</p>"
            f"<p>Samsung and SK Hynix expect memory prices to rise {i % 9 + 1}% in Korea next quarter.</p>]]></description></item>"
            for i in range(ITEMS)
        )
        body = (
            f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Corpus {feed}</title>"
            f"<link>https://example.org/corpus/{feed}</link><language>en</language>{items}</channel></rss>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def veille(database, *args):
    return subprocess.run([str(CLI), "--db", str(database), *args], capture_output=True, text=True, timeout=60)


def stored_notes(database):
    """Every note in the database by article id, read through the CLI."""
    return {n["article_id"]: n["body"] for n in json.loads(veille(database, "notes", "--json").stdout)}


def tagged_with(database, tag):
    """The ids of the articles carrying `tag`, read through the CLI."""
    return {a["id"] for a in json.loads(veille(database, "articles", "--tag", tag, "--limit", "100000", "--json").stdout)}


def check_cli(result, what, failures):
    """Records a failed or complaining CLI run (exit code, or "locked"/"busy" on stderr)."""
    if result.returncode != 0 or "locked" in result.stderr.lower() or "busy" in result.stderr.lower():
        failures.append(f"{what}: exit {result.returncode}: {result.stderr.strip()}")


@pytest.fixture(scope="module")
def corpus(database, tmp_path_factory):
    """FEEDS changing feeds subscribed in the app's database and fetched once; returns the
    ids of their articles by the token in their titles (f3i7 for feed 3, item 7)."""
    server, url = start_server(CorpusHandler)
    outlines = "".join(f'<outline type="rss" text="Corpus {n}" xmlUrl="{url}/corpus/{n}.xml"/>' for n in range(FEEDS))
    opml = tmp_path_factory.mktemp("corpus") / "corpus.opml"
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body><outline text="{FOLDER}">{outlines}</outline></body></opml>')
    for args in (["feeds", "import", str(opml)], ["fetch"]):
        result = veille(database, *args)
        assert result.returncode == 0, result.stderr
    listed = veille(database, "articles", "--folder", FOLDER, "--limit", "100000", "--json")
    ids = {a["title"].split()[1]: a["id"] for a in json.loads(listed.stdout)}
    assert len(ids) == FEEDS * ITEMS
    yield ids
    server.shutdown()


PROBE = """
if (!window.__probe) {
  const probe = window.__probe = { errors: [], alarms: [], failed: [], done: [] };
  const toast = document.getElementById('toast');
  new MutationObserver(() => {
    if (!toast.hidden && toast.classList.contains('error')) probe.errors.push(toast.textContent);
  }).observe(toast, { attributes: true, childList: true, characterData: true, subtree: true });
  new MutationObserver((records) => {
    for (const r of records) {
      const text = (r.target.textContent || '').toLowerCase();
      if (/locked|busy|verrouill/.test(text)) probe.alarms.push(text.slice(0, 300));
    }
  }).observe(document.body, { childList: true, characterData: true, subtree: true });
  window.__TAURI__.event.listen('refresh-progress', (e) => {
    if (!['updated', 'not_modified'].includes(e.payload.status)) probe.failed.push(e.payload);
  });
  window.__TAURI__.event.listen('refresh-done', (e) => probe.done.push(e.payload));
}
"""


@pytest.fixture(scope="module")
def probe(app):
    """Records, from now on, every error the window shows: error toasts, any text about a
    locked or busy database, feeds that failed in a refresh, and refresh summaries."""
    app.driver.execute_script(PROBE)
    return lambda: app.driver.execute_script("return window.__probe")


def shown_error(probe):
    seen = probe()
    return seen["errors"] or seen["alarms"] or seen["failed"]


def wait_unless_error(d, probe, predicate, what):
    """Waits for `predicate`, but fails at once with the message if the window shows an error."""
    wait_for(lambda: predicate() or shown_error(probe), what)
    assert_no_error_shown(probe)


def assert_no_error_shown(probe):
    seen = probe()
    assert not seen["errors"], f"error toasts: {seen['errors']}"
    assert not seen["alarms"], f"locked/busy shown: {seen['alarms']}"
    assert not seen["failed"], f"feeds failed: {seen['failed']}"
    assert all(done["error"] is None for done in seen["done"]), seen["done"]


def test_a_app_refreshes_while_the_cli_writes(app, database, corpus, probe):
    d = app.driver
    click(d, "#sidebar [data-view='all']")
    targets = list(corpus.values())
    failures, written = [], []
    refresh_done = threading.Event()

    def cli_writer():
        for n, article in enumerate(targets):
            if refresh_done.is_set() and n >= 10:
                return
            overlapped = not refresh_done.is_set()
            tagged = veille(database, "tag", str(article), CLI_TAG)
            check_cli(tagged, f"tag {article}", failures)
            noted = veille(database, "note", str(article), f"CLI note {n} on article {article}")
            check_cli(noted, f"note {article}", failures)
            written.append((article, f"CLI note {n} on article {article}", overlapped and not refresh_done.is_set()))

    started = time.time()
    click(d, "#refresh-all")
    writer = threading.Thread(target=cli_writer)
    writer.start()
    wait_for(lambda: probe()["done"], "the app's refresh to finish", timeout=60)
    refresh_secs = time.time() - started
    refresh_done.set()
    writer.join(timeout=60)
    assert not failures, failures
    during = sum(1 for *_, overlapped in written if overlapped)
    print(f"\n(a) app refresh of {FEEDS} feeds x {ITEMS} items took {refresh_secs:.1f} s; "
          f"{len(written)} CLI tag+note pairs, {during} of them wholly during the refresh")
    assert during >= 5, f"only {during} CLI writes overlapped the refresh ({refresh_secs:.1f} s)"
    done = probe()["done"][-1]
    assert done["updated"] >= FEEDS * ITEMS, done  # every corpus article rewritten
    assert_no_error_shown(probe)

    # Every CLI write is there, read back through the CLI...
    assert tagged_with(database, CLI_TAG) == {article for article, *_ in written}
    notes = stored_notes(database)
    for article, body, _ in written:
        assert notes.get(article) == body, (article, notes.get(article))
    # ...and in the window: the last one written, opened from the list.
    article, body, _ = written[-1]
    token = next(t for t, i in corpus.items() if i == article)
    open_by_token(d, token)
    wait_for(lambda: css(d, f".article-tags .user-tag[data-tag='{CLI_TAG}']"), "the CLI's tag in the reader")
    assert d.find_element(By.ID, "note").get_attribute("value") == body
    app.shot("11-concurrency-app-refresh-cli-writes")


def open_by_token(d, token):
    search(d, token)
    wait_for(lambda: any(token in t for t in list_titles(d)), f"{token} in the list")
    index = next(i for i, t in enumerate(list_titles(d)) if token in t)
    click(d, f"#list-spacer .row[data-index='{index}']")
    wait_for(lambda: token in d.find_element(By.ID, "reader-title").text, f"{token} in the reader")


def test_b_user_writes_in_the_app_while_the_cli_fetches(app, database, corpus, probe):
    d = app.driver
    failures, fetches = [], []
    stop = threading.Event()

    def fetch_loop():
        while not stop.is_set():
            began = time.time()
            result = veille(database, "fetch")
            check_cli(result, "fetch", failures)
            fetches.append((began, time.time()))

    cli_tagged = tagged_with(database, CLI_TAG)
    cli_notes = {article: body for article, body in stored_notes(database).items() if article in cli_tagged}
    looping = threading.Thread(target=fetch_loop)
    looping.start()
    time.sleep(1.0)  # the first fetch is under way
    tokens = [t for t in corpus if t.endswith("i7")][:APP_WRITES]
    writes = []
    try:
        for n, token in enumerate(tokens):
            open_by_token(d, token)
            d.find_element(By.ID, "tag-input").send_keys(APP_TAG, Keys.ENTER)
            wait_unless_error(d, probe, lambda: css(d, f".article-tags .user-tag[data-tag='{APP_TAG}']"), "the tag chip")
            body = f"App note {n} on {token}, typed during a fetch"
            wait_for(lambda: d.find_element(By.ID, "note").send_keys(body) or True, "the note box")
            # "Saved", and saved whole (typing may outlast the 600 ms the note waits to save).
            wait_unless_error(
                d,
                probe,
                lambda: d.find_element(By.ID, "note-status").text in ("Saved", "Enregistré") and stored_notes(database).get(corpus[token]) == body,
                "the note saved",
            )
            writes.append((corpus[token], body, time.time()))
        app.shot("12-concurrency-app-writes-cli-fetches")
    finally:
        stop.set()
        looping.join(timeout=60)
    assert not failures, failures
    assert fetches, "no fetch finished"
    overlapped = sum(1 for *_, at in writes if any(b <= at <= e for b, e in fetches))
    print(f"\n(b) {len(fetches)} CLI fetches ({max(e - b for b, e in fetches):.1f} s the longest), "
          f"{len(writes)} app tag+note pairs, {overlapped} of them saved while a fetch ran")
    assert overlapped == len(writes), (writes, fetches)
    assert_no_error_shown(probe)

    # The app's writes, read back through the CLI after the fetches rewrote every article.
    assert tagged_with(database, APP_TAG) == {article for article, *_ in writes}
    notes = stored_notes(database)
    for article, body, _ in writes:
        assert notes.get(article) == body, (article, notes.get(article))
    # What the CLI wrote before survived the fetches too.
    assert cli_tagged and tagged_with(database, CLI_TAG) == cli_tagged
    assert {a: b for a, b in stored_notes(database).items() if a in cli_tagged} == cli_notes
    # And the first app write, reopened in the window after every fetch.
    article, body, _ = writes[0]
    open_by_token(d, next(t for t, i in corpus.items() if i == article))
    wait_for(lambda: css(d, f".article-tags .user-tag[data-tag='{APP_TAG}']"), "the app's tag after the fetches")
    assert d.find_element(By.ID, "note").get_attribute("value") == body
    search(d, "")
    app.shot("13-concurrency-after")
