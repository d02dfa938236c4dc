#!/usr/bin/env python3
"""Side-by-side feed benchmarks on a deterministic corpus served from 127.0.0.1:
end-to-end ingest (Veille `fetch` against Newsboat `-x reload`), parse-only (Veille,
a bare feed-rs loop, sfeed, Python feedparser). Prints a Markdown table and writes
it to OUT (default bench/out/peers.md). Asserts nothing: these are figures.

    python3 bench/peers.py [--veille target/release/veille] [--out bench/out/peers.md]
"""

import argparse
import glob
import html
import http.server
import json
import os
import pathlib
import random
import re
import sqlite3
import subprocess
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
LANGS = ["en", "fr", "de", "es", "it", "pt", "zh", "ja"]


def paragraph_pools():
    """Paragraphs of the bundled samples, by language (texts written for Veille)."""
    pools = {lang: [] for lang in LANGS}
    for path in glob.glob(str(ROOT / "assets" / "samples" / "*")):
        lang = os.path.basename(path)[:2]
        if lang not in pools:
            continue
        raw = open(path, encoding="utf-8").read()
        if path.endswith(".json"):
            bodies = [i.get("content_html", "") for i in json.loads(raw).get("items", [])]
        else:
            bodies = [html.unescape(b) for b in re.findall(r"<(?:content:encoded|description|content)[^>]*>(.*?)</", raw, re.S)]
            bodies = [b.replace("<![CDATA[", "").replace("]]>", "") for b in bodies]
        for body in bodies:
            pools[lang] += [p.strip() for p in re.findall(r"<p>(.*?)</p>", body, re.S) if len(p.strip()) > 60]
    return pools


def body(rng, pool):
    target = rng.randint(1000, 3000)
    parts, size = [], 0
    while size < target:
        p = rng.choice(pool)
        parts.append(f"<p>{p}</p>")
        size += len(p.encode())
    return "".join(parts)


def rss(name, lang, items):
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{name}</title><link>https://bench.invalid/{name}/</link><language>{lang}</language>']
    for guid, title, date, text in items:
        out.append(f"<item><guid isPermaLink=\"false\">{guid}</guid><title>{html.escape(title)}</title><link>https://bench.invalid/{guid}</link>"
                   f"<pubDate>{date}</pubDate><description>{html.escape(text)}</description></item>")
    out.append("</channel></rss>")
    return "".join(out)


def atom(name, lang, items):
    out = [f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}"><title>{name}</title><id>urn:{name}</id>'
           f'<updated>2025-06-01T00:00:00Z</updated><link rel="alternate" href="https://bench.invalid/{name}/"/>']
    for guid, title, date, text in items:
        out.append(f"<entry><id>urn:{guid}</id><title>{html.escape(title)}</title><updated>2025-06-01T00:00:00Z</updated>"
                   f'<link rel="alternate" href="https://bench.invalid/{guid}"/><content type="html">{html.escape(text)}</content></entry>')
    out.append("</feed>")
    return "".join(out)


def jsonfeed(name, lang, items):
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": name, "language": lang,
                       "home_page_url": f"https://bench.invalid/{name}/",
                       "items": [{"id": guid, "url": f"https://bench.invalid/{guid}", "title": title,
                                  "date_published": "2025-06-01T00:00:00Z", "content_html": text} for guid, title, _, text in items]},
                      ensure_ascii=False)


def make_corpus(directory):
    rng = random.Random(42)
    pools = paragraph_pools()
    directory.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(201):
        lang = LANGS[i % len(LANGS)]
        count = 10_000 if i == 200 else 50
        kind = "rss" if i == 200 else ["rss", "atom", "json"][i % 3]
        items = [(f"f{i}-{n}", f"Story {n} of feed {i}", f"Mon, 02 Jun 2025 {n % 24:02d}:00:00 GMT", body(rng, pools[lang])) for n in range(count)]
        name = f"feed-{i}"
        text = {"rss": rss, "atom": atom, "json": jsonfeed}[kind](name, lang, items)
        path = directory / f"{name}.{'json' if kind == 'json' else 'xml'}"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory):
    handler = lambda *a, **k: Quiet(*a, directory=str(directory), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def timed(command, **kwargs):
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - started


RUNS = 5


def median_runs(*runs):
    """For each tool, the run with the median time of RUNS runs: (seconds, items). The
    tools take turns, so a slow spell of this shared machine hits them alike."""
    results = [[] for _ in runs]
    for _ in range(RUNS):
        for run, times in zip(runs, results):
            times.append(run())
    return [sorted(times)[RUNS // 2] for times in results]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--veille", default=str(ROOT / "target" / "release" / "veille"))
    parser.add_argument("--parse-speed", default=str(ROOT / "target" / "release" / "parse_speed"))
    parser.add_argument("--out", default=str(ROOT / "bench" / "out" / "peers.md"))
    args = parser.parse_args()
    work = ROOT / "bench" / "out"
    corpus = work / "corpus"
    files = sorted(corpus.glob("feed-*")) if corpus.exists() else make_corpus(corpus)
    items = 200 * 50 + 10_000
    server, base = serve(corpus)
    urls = [f"{base}/{f.name}" for f in files]
    rows = []

    # End-to-end ingest: Veille (fetch, parse, sanitise, analyse, store) vs Newsboat, each
    # the median of RUNS runs into an empty database, taking turns (a 2-core machine is noisy).
    opml = work / "corpus.opml"
    opml.write_text("<opml version=\"2.0\"><body>" + "".join(f'<outline text="{u}" xmlUrl="{u}"/>' for u in urls) + "</body></opml>")

    def veille_run():
        db = work / "ingest.db"
        for suffix in ("", "-wal", "-shm"):
            pathlib.Path(f"{db}{suffix}").unlink(missing_ok=True)
        subprocess.run([args.veille, "--db", str(db), "feeds", "import", str(opml)], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["sync"], check=True)
        secs = timed([args.veille, "--db", str(db), "fetch", "--max-size-mib", "64"])
        return secs, sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]

    nb = work / "newsboat"
    nb.mkdir(exist_ok=True)
    (nb / "urls").write_text("\n".join(urls) + "\n")
    (nb / "config").write_text("reload-threads 16\nshow-read-feeds yes\n")

    def newsboat_run():
        cache = nb / "cache.db"
        cache.unlink(missing_ok=True)
        subprocess.run(["sync"], check=True)
        secs = timed(["newsboat", "-u", str(nb / "urls"), "-c", str(cache), "-C", str(nb / "config"), "-x", "reload"],
                     env=dict(os.environ, HOME=str(nb)))
        return secs, sqlite3.connect(cache).execute("SELECT count(*) FROM rss_item").fetchone()[0]

    (veille_secs, stored), (newsboat_secs, nb_items) = median_runs(veille_run, newsboat_run)
    rows.append(("ingest", f"Veille fetch (parse, sanitise, analyse, store), median of {RUNS}", stored / veille_secs, stored))
    rows.append(("ingest", f"Newsboat -x reload (16 threads), median of {RUNS}", nb_items / newsboat_secs, nb_items))
    server.shutdown()

    # Parse only.
    out = subprocess.run([args.parse_speed, "--dir", str(corpus), "--rounds", "3"], check=True, capture_output=True, text=True).stdout
    bare = float(re.search(r"bare feed-rs parse:\s+(\d+)", out).group(1))
    veille_parse = float(re.search(r"veille decode\+parse\+sanitise\+text:\s+(\d+)", out).group(1))
    sanitised = float(re.search(r"feed-rs parse \+ veille sanitiser:\s+(\d+)", out).group(1))
    rows.append(("parse", "Veille parse + sanitise (feed-rs, ammonia allow-list)", sanitised, items))
    rows.append(("parse", "Veille whole normalisation (decode, parse, sanitise, text, language, identity)", veille_parse, items))
    rows.append(("parse", "bare feed-rs parse", bare, items))

    xml_files = [f for f in files if f.suffix == ".xml"]
    xml_items = sum(10_000 if f.name == "feed-200.xml" else 50 for f in xml_files)
    started = time.perf_counter()
    for f in xml_files:
        with open(f, "rb") as source:
            subprocess.run(["sfeed"], stdin=source, stdout=subprocess.DEVNULL, check=True)
    sfeed_secs = time.perf_counter() - started
    rows.append(("parse", "sfeed (C; RSS and Atom files only)", xml_items / sfeed_secs, xml_items))

    import feedparser  # noqa: E402

    started = time.perf_counter()
    parsed = sum(len(feedparser.parse(f.read_bytes()).entries) for f in files)
    rows.append(("parse", "Python feedparser (sanitises too)", parsed / (time.perf_counter() - started), parsed))

    lines = ["| kind | tool | items/s | items |", "| --- | --- | ---: | ---: |"]
    lines += [f"| {k} | {t} | {r:,.0f} | {n:,} |" for k, t, r, n in rows]
    lines.append("")
    lines.append(f"- End-to-end ingest, Veille / Newsboat: **{(stored / veille_secs) / (nb_items / newsboat_secs):.2f}×** "
                 f"(Veille {veille_secs:.1f} s for {stored:,} items, Newsboat {newsboat_secs:.1f} s for {nb_items:,}).")
    lines.append(f"- Parse + sanitise, Veille time / bare feed-rs time: **{bare / sanitised:.2f}×**; "
                 f"the whole normalisation before analysis: {bare / veille_parse:.2f}×.")
    lines.append(f"- Parse, Veille / sfeed items/s: {veille_parse / (xml_items / sfeed_secs):.2f}×; Veille / feedparser: {veille_parse / rows[-1][2]:.1f}×.")
    table = "\n".join(lines)
    pathlib.Path(args.out).write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
