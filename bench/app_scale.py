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


def memory_mb(name, field="VmRSS"):
    """Sum over the processes called `name` of VmRSS (from status) or Pss (from
    smaps_rollup: shared library pages divided among the processes that map them)."""
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            comm = pathlib.Path(f"/proc/{pid}/comm").read_text().strip()
            if not comm.startswith(name[:15]):
                continue
            source = "status" if field == "VmRSS" else "smaps_rollup"
            for line in pathlib.Path(f"/proc/{pid}/{source}").read_text().splitlines():
                if line.startswith(f"{field}:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def memory_line():
    names = {"app": "veille-app", "web process": "WebKitWebProcess", "network process": "WebKitNetworkProcess"}
    rss = ", ".join(f"{label} {memory_mb(name):.0f} MB" for label, name in names.items())
    pss = sum(memory_mb(name, "Pss") for name in names.values())
    return f"RSS: {rss}; PSS of the three together: {pss:.0f} MB"


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
        print(f"list: {total}; after first paint, {memory_line()}")
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
        print(f"scrolled to row {last} in {time.time() - started:.1f} s; {memory_line()}")
        app.stop()
    finally:
        driver.terminate()
        driver.wait(timeout=10)


if __name__ == "__main__":
    main()
