"""Fixtures for the end-to-end tests: a feed server on 127.0.0.1, a database prepared with
the real `veille` CLI, and the real app window driven through tauri-driver (WebDriver)."""

import http.server
import os
import pathlib
import socket
import subprocess
import threading
import time

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.options import ArgOptions

ROOT = pathlib.Path(__file__).resolve().parents[2]
TARGET = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
APP = pathlib.Path(os.environ.get("VEILLE_APP", TARGET / "debug" / "veille-app"))
CLI = pathlib.Path(os.environ.get("VEILLE_CLI", TARGET / "debug" / "veille"))
SHOTS = pathlib.Path(os.environ.get("VEILLE_SCREENSHOTS", TARGET / "e2e-screenshots"))
FEEDS = pathlib.Path(__file__).parent / "feeds"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the files of tests/e2e/feeds/; subclasses may answer GET themselves."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(FEEDS), **kwargs)

    def log_message(self, *args):
        pass


def start_server(handler):
    """Serves `handler` (a request handler class) on 127.0.0.1, each request on its own
    thread; returns the server (call `shutdown()` when done) and its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def feed_server():
    server, url = start_server(QuietHandler)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def database(tmp_path_factory, feed_server):
    """A real database holding one French feed fetched from the loopback server."""
    path = tmp_path_factory.mktemp("db") / "veille.db"
    subprocess.run(
        [str(CLI), "--db", str(path), "feeds", "add", f"{feed_server}/fr.xml", "--folder", "Tests"],
        check=True,
        capture_output=True,
    )
    return path


def _wait_port(port, timeout=20.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}")


@pytest.fixture(scope="session")
def driver_service(database):
    """tauri-driver on port 4444 (it starts WebKitWebDriver on 4445)."""
    env = dict(os.environ, VEILLE_DB=str(database))
    proc = subprocess.Popen(["tauri-driver"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_port(4444)
        yield "http://127.0.0.1:4444"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class App:
    """Starts and stops the real app window through WebDriver."""

    def __init__(self, url):
        self.url = url
        self.driver = None

    def start(self):
        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability("tauri:options", {"application": str(APP)})
        self.driver = webdriver.Remote(command_executor=self.url, options=options)
        self.driver.implicitly_wait(0)
        wait_for(lambda: self.driver.execute_script("return document.body.dataset.ready === 'true'"), "the app to be ready")
        return self.driver

    def stop(self):
        if self.driver is not None:
            self.driver.quit()
            self.driver = None

    def shot(self, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(SHOTS / f"{name}.png"))


@pytest.fixture(scope="session")
def app(driver_service):
    app = App(driver_service)
    app.start()
    yield app
    app.stop()


def wait_for(predicate, what, timeout=30.0):
    deadline = time.time() + timeout
    last_error = None
    while time.time() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as error:  # the page may be re-rendering
            last_error = error
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what} (last error: {last_error})")


# Finding and driving elements of the window (shared by the test files).


def css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def click(driver, selector):
    """Clicks the first match, retrying while the UI re-renders it."""
    wait_for(lambda: css(driver, selector)[0].click() or True, selector)


def rows(driver):
    return css(driver, "#list-spacer .row")


def list_titles(driver):
    """The titles in the list, read in one script call (rows are re-rendered often)."""
    return driver.execute_script(
        "return [...document.querySelectorAll('#list-spacer .row .title')].map(e => e.textContent.replace(/^★ /, ''))"
    )


def search(d, text):
    box = d.find_element(By.ID, "search")
    box.clear()
    box.send_keys(text, Keys.ENTER)
