//! The whole hostile suite at once: every hostile feed of the other tests (XSS vectors,
//! XXE, billion laughs, a gzip bomb, endless, slow and trickled bodies, redirect loops,
//! 10,000 items, wrong and mixed charsets, duplicate and missing guids, absurd dates, HTTP
//! errors) served from 127.0.0.1 to ONE run of the real `veille fetch`. The run must end
//! within its time budget, exit normally, report each feed's error, and keep its peak
//! resident memory under a ceiling, measured by the kernel (wait4's rusage).

mod common;

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use common::server::{Reply, Server};
use common::{feeds, stdout, subscribe, TempDb};
use veille_core::fetch::FetchConfig;

const RSS: &str = "application/rss+xml";

/// Peak resident memory allowed to the whole fetch.
const MEMORY_CEILING_MIB: u64 = 512;

/// How one feed must end, as the fetch reports it.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Stored, with this many new articles.
    New(usize),
    /// Failed with this error kind (`ErrorKind::as_str`).
    Error(&'static str),
    /// Either stored with this many articles or refused with this error kind.
    NewOrError(usize, &'static str),
}

/// A subscribed path, what the server answers there, and how the fetch must report it.
struct Hostile {
    path: String,
    reply: Option<Reply>,
    expect: Expect,
}

fn hostile(path: &str, reply: Reply, expect: Expect) -> Hostile {
    Hostile {
        path: path.to_owned(),
        reply: Some(reply),
        expect,
    }
}

/// The suite, built against the CLI's fetch limits. The two feeds that can only end by
/// timing out come first, so they take the two per-host slots at once.
fn suite(config: &FetchConfig) -> Vec<Hostile> {
    let trickled = feeds::rss_with(5);
    let trickle_pause = Duration::from_millis(200);
    assert!(
        trickle_pause * trickled.len() as u32 > config.timeout * 2,
        "the trickled body outlasts the timeout"
    );
    let mut suite = vec![
        hostile(
            "/slow",
            Reply {
                delay: config.timeout + Duration::from_secs(30),
                ..Reply::ok(RSS, feeds::rss_with(1))
            },
            Expect::Error("timeout"),
        ),
        hostile(
            "/trickle",
            Reply {
                trickle: Some(trickle_pause),
                ..Reply::ok(RSS, trickled)
            },
            Expect::Error("timeout"),
        ),
        hostile(
            "/endless",
            Reply {
                endless: true,
                ..Reply::ok(RSS, "")
            },
            Expect::Error("too_large"),
        ),
        hostile(
            "/bomb",
            Reply::ok(RSS, feeds::gzip_bomb()).header("Content-Encoding", "gzip"),
            Expect::Error("too_large"),
        ),
        hostile(
            "/oversized",
            Reply::ok(RSS, vec![b' '; config.max_bytes + 1024 * 1024]),
            Expect::Error("too_large"),
        ),
        hostile(
            "/loop-a",
            Reply::redirect(302, "/loop-b"),
            Expect::Error("redirects"),
        ),
        hostile(
            "/chain0",
            Reply::redirect(302, "/chain1"),
            Expect::Error("redirects"),
        ),
        hostile("/xss", Reply::ok(RSS, feeds::xss()), Expect::New(1)),
        hostile("/xxe", Reply::ok(RSS, feeds::XXE), Expect::New(1)),
        hostile(
            "/laughs",
            Reply::ok(RSS, feeds::billion_laughs()),
            Expect::NewOrError(1, "parse"),
        ),
        hostile(
            "/ten-thousand",
            Reply::ok(RSS, feeds::rss_with(10_000)),
            Expect::New(10_000),
        ),
        hostile(
            "/duplicate-guids",
            Reply::ok(RSS, feeds::DUPLICATE_GUIDS),
            Expect::New(3),
        ),
        hostile(
            "/absurd-dates",
            Reply::ok(RSS, feeds::ABSURD_DATES),
            Expect::New(4),
        ),
        Hostile {
            path: "/missing".to_owned(),
            reply: None,
            expect: Expect::Error("not_found"),
        },
        hostile("/broken", Reply::status(500), Expect::Error("server")),
        hostile(
            "/wall",
            Reply::status(403).header("Server", "cloudflare"),
            Expect::Error("bot_protection"),
        ),
        hostile(
            "/junk",
            Reply::ok(RSS, "<rss version=\"2.0\"><channel><item><title>unclosed"),
            Expect::Error("parse"),
        ),
        hostile(
            "/page",
            Reply::ok(
                "text/html",
                "<!doctype html><html><head><title>x</title></head><body>hi</body></html>",
            ),
            Expect::Error("not_a_feed"),
        ),
        hostile("/gone", Reply::status(410), Expect::Error("gone")),
        hostile(
            "/busy",
            Reply::status(429).header("Retry-After", "3600"),
            Expect::Error("rate_limited"),
        ),
    ];
    for (i, case) in feeds::charset_cases().into_iter().enumerate() {
        suite.push(hostile(
            &format!("/charset-{i}"),
            Reply::ok(case.content_type, case.body),
            Expect::New(1),
        ));
    }
    suite
}

/// Routes the suite needs besides the subscribed paths: the other end of the loop and a
/// chain longer than the redirects followed.
fn extra_routes(config: &FetchConfig) -> Vec<(String, Reply)> {
    let mut routes = vec![("/loop-b".to_owned(), Reply::redirect(302, "/loop-a"))];
    for n in 1..=config.max_redirects + 3 {
        routes.push((
            format!("/chain{n}"),
            Reply::redirect(302, &format!("/chain{}", n + 1)),
        ));
    }
    routes
}

/// A child's run, with its peak memory as the kernel counted it.
struct Measured {
    status: ExitStatus,
    stdout: String,
    stderr: String,
    wall: Duration,
    /// `ru_maxrss` from wait4: the largest resident set of the child. The kernel carries
    /// the high-water mark across exec, so it covers the instant between spawn and exec
    /// too (when the child still was a copy of this test process): an upper bound.
    max_rss_kib: u64,
    /// VmHWM of the running `veille` image, polled every 10 ms (a lower bound).
    polled_hwm_kib: u64,
}

/// The `VmHWM` (peak resident set) line of /proc/PID/status, in KiB.
fn vm_hwm_kib(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `command` to its end and reaps it with wait4, which returns its resource usage.
fn run_measured(command: &mut Command) -> Measured {
    let started = Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        out.read_to_string(&mut text).unwrap();
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        err.read_to_string(&mut text).unwrap();
        text
    });
    let mut polled_hwm_kib = 0;
    let mut raw_status: libc::c_int = 0;
    // SAFETY: rusage is a plain C struct for which all zeros is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not reaped yet (std's Child is never waited on);
        // both pointers are to live locals.
        let reaped = unsafe { libc::wait4(pid, &mut raw_status, libc::WNOHANG, &mut usage) };
        if reaped == pid {
            break;
        }
        assert_eq!(reaped, 0, "wait4: {}", std::io::Error::last_os_error());
        if let Some(kib) = vm_hwm_kib(&pid.to_string()) {
            polled_hwm_kib = polled_hwm_kib.max(kib);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let wall = started.elapsed();
    drop(child); // already reaped: dropping a Child neither waits nor kills
    Measured {
        status: ExitStatus::from_raw(raw_status),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        wall,
        max_rss_kib: usage.ru_maxrss as u64, // KiB on Linux
        polled_hwm_kib,
    }
}

#[test]
fn one_fetch_of_every_hostile_feed_stays_in_time_and_memory() {
    // `veille fetch` uses the default limits (its --max-size-mib default is the same cap).
    let config = FetchConfig::default();
    let suite = suite(&config);
    let mut routes: Vec<(String, Reply)> = suite
        .iter()
        .filter_map(|h| h.reply.clone().map(|r| (h.path.clone(), r)))
        .collect();
    routes.extend(extra_routes(&config));
    let server = Server::routes(
        routes
            .iter()
            .map(|(p, r)| (p.as_str(), r.clone()))
            .collect(),
    );
    drop(routes);

    let db = TempDb::new();
    let ids: Vec<i64> = {
        let mut store = db.open();
        suite
            .iter()
            .map(|h| subscribe(&mut store, &server.url(&h.path)))
            .collect()
    };

    // Time budget. Every feed comes from one host, and the fetcher lets `max_per_host`
    // (2) fetches to one host run at once, each bounded by `timeout` (30 s) from the
    // moment it holds its slot. The two feeds that can only end by timing out (/slow,
    // /trickle) take both slots together: one timeout. Everything else (bombs, loops,
    // 10,000 items to parse, analyse and store) must then fit in one more timeout.
    assert_eq!(
        config.max_per_host, 2,
        "the budget below assumes two slots per host"
    );
    let budget = config.timeout * 2;

    let this_process_hwm = vm_hwm_kib("self").unwrap_or(0);
    let run = run_measured(
        Command::new(env!("CARGO_BIN_EXE_veille"))
            .arg("--db")
            .arg(&db.path)
            .arg("fetch")
            .env_remove("VEILLE_ASSETS"),
    );
    // Both figures count; the kernel's per-thread RSS counters are folded in lazily, so
    // they may differ by a few pages.
    let peak_kib = run.max_rss_kib.max(run.polled_hwm_kib);
    let peak_mib = peak_kib as f64 / 1024.0;
    eprintln!(
        "hostile suite: {} feeds in one `veille fetch`: wall {:.1} s (budget {} s), \
         peak RSS {peak_mib:.1} MiB (ceiling {MEMORY_CEILING_MIB} MiB; wait4 ru_maxrss \
         {:.1} MiB, VmHWM polled {:.1} MiB; this test process's own peak at spawn {:.1} MiB)",
        suite.len(),
        run.wall.as_secs_f64(),
        budget.as_secs(),
        run.max_rss_kib as f64 / 1024.0,
        run.polled_hwm_kib as f64 / 1024.0,
        this_process_hwm as f64 / 1024.0,
    );

    assert!(
        run.status.success(),
        "veille fetch ended with {:?}\nstdout:\n{}\nstderr:\n{}",
        run.status,
        run.stdout,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "stderr:\n{}", run.stderr);
    assert!(
        run.wall < budget,
        "the fetch took {:?}, over its budget of {budget:?}\n{}",
        run.wall,
        run.stdout
    );
    assert!(
        peak_kib < MEMORY_CEILING_MIB * 1024,
        "peak resident memory {peak_mib:.1} MiB is over {MEMORY_CEILING_MIB} MiB"
    );

    // One line per feed, `[  id] name  detail`, and the summary.
    let report_of = |id: i64| -> String {
        let prefix = format!("[{id:>4}]");
        let lines: Vec<&str> = run
            .stdout
            .lines()
            .filter(|l| l.starts_with(&prefix))
            .collect();
        assert_eq!(lines.len(), 1, "one line for feed {id}:\n{}", run.stdout);
        lines[0].to_owned()
    };
    let mut failed = 0;
    let mut stored = 0;
    for (case, id) in suite.iter().zip(&ids) {
        let line = report_of(*id);
        let new = |n: usize| line.ends_with(&format!("  {n} new, 0 updated"));
        let error = |kind: &str| line.contains(&format!("  ERROR {kind}: "));
        let ok = match case.expect {
            Expect::New(n) => new(n),
            Expect::Error(kind) => error(kind),
            Expect::NewOrError(n, kind) => new(n) || error(kind),
        };
        assert!(
            ok,
            "{}: expected {:?}, reported: {line}",
            case.path, case.expect
        );
        if line.contains("  ERROR ") {
            failed += 1;
        } else {
            stored += match case.expect {
                Expect::New(n) | Expect::NewOrError(n, _) => n,
                Expect::Error(_) => 0,
            };
        }
    }
    let summary = run.stdout.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with(&format!("{} feeds: ", suite.len()))
            && summary.contains(&format!(" {failed} failed; {stored} new ")),
        "summary: {summary}"
    );
    eprintln!(
        "hostile suite: {failed} per-feed errors reported, {stored} articles stored from {} feeds",
        suite.len() - failed
    );

    // The database is whole, holds what was reported, and nothing hostile got in.
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let articles: i64 = conn
        .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
        .unwrap();
    assert_eq!(articles as usize, stored);
    let hostile: i64 = conn
        .query_row(
            "SELECT count(*) FROM articles WHERE lower(content_html) LIKE '%<script%' \
             OR content_html LIKE '%onerror%' OR text LIKE '%root:%' OR length(text) > 100000",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        hostile, 0,
        "active content, a resolved entity or an expanded bomb"
    );
    // The per-feed errors are kept for `veille feeds list` too.
    let listed = common::veille_at(&db.path, &["feeds", "list"]);
    assert_eq!(
        stdout(&listed).matches("ERROR (1 in a row)").count(),
        failed
    );
}
