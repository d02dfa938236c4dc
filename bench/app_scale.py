#!/usr/bin/env python3
"""The desktop app at scale: cold start to first paint of the list, and memory (RSS of
the app and of its WebKit web process) after scrolling through every article.

    python3 bench/app_scale.py --db /tmp/50k.db [--app target/release/veille-app]

Run under Xvfb (xvfb-run -a dbus-run-session -- python3 bench/app_scale.py …) with
tauri-driver on PATH. Prints figures; asserts nothing."""

import argparse
import os
import pathlib
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests" / "e2e"))
from conftest import App, _wait_port, wait_for  # noqa: E402


def rss_mb(name):
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            comm = pathlib.Path(f"/proc/{pid}/comm").read_text().strip()
            if comm.startswith(name[:15]):
                for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def cold_start(app_path, db, runs):
    times = []
    for _ in range(runs):
        env = dict(os.environ, VEILLE_DB=db, VEILLE_TIMING="1")
        proc = subprocess.Popen([app_path], env=env, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        for line in proc.stderr:
            if "first paint after" in line:
                times.append(int(line.split("after")[1].split()[0]))
                break
            if time.time() > deadline:
                break
        proc.terminate()
        proc.wait(timeout=10)
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--app", default="target/release/veille-app")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app_path = str(pathlib.Path(args.app).resolve())

    times = cold_start(app_path, args.db, args.runs)
    print(f"cold start to first paint of the list: {sorted(times)} ms (median {sorted(times)[len(times) // 2]} ms)")

    env = dict(os.environ, VEILLE_DB=args.db)
    driver = subprocess.Popen(["tauri-driver"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_port(4444)
        os.environ["VEILLE_APP"] = app_path
        app = App("http://127.0.0.1:4444")
        import conftest

        conftest.APP = pathlib.Path(app_path)
        d = app.start()
        total = d.execute_script("return document.querySelector('#list-header').textContent")
        print(f"list: {total}; RSS after first paint: app {rss_mb('veille-app'):.0f} MB, web process {rss_mb('WebKitWebProcess'):.0f} MB")
        started = time.time()
        steps = d.execute_script(
            """
            const v = document.getElementById('list-viewport');
            return Math.ceil(v.scrollHeight / v.clientHeight);
            """
        )
        stride = max(1, steps // 400)
        for i in range(0, steps + 1, stride):
            d.execute_script("const v = document.getElementById('list-viewport'); v.scrollTop = arguments[0] * v.clientHeight;", i)
            time.sleep(0.02)
        wait_for(lambda: d.execute_script("return document.querySelectorAll('#list-spacer .row').length > 0"), "rows at the end")
        last = d.execute_script("return [...document.querySelectorAll('#list-spacer .row')].map(r => +r.dataset.index).reduce((a, b) => Math.max(a, b), 0)")
        print(
            f"scrolled to row {last} in {time.time() - started:.1f} s; RSS: app {rss_mb('veille-app'):.0f} MB, "
            f"web process {rss_mb('WebKitWebProcess'):.0f} MB, network process {rss_mb('WebKitNetworkProcess'):.0f} MB"
        )
        app.stop()
    finally:
        driver.terminate()
        driver.wait(timeout=10)


if __name__ == "__main__":
    main()
