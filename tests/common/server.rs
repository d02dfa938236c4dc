//! A real HTTP/1.1 server on 127.0.0.1 for the tests: each test routes paths to canned
//! replies (status, headers, body, delays, trickled or endless bodies) and can read back
//! the requests it received.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// One canned reply.
#[derive(Clone, Default)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering at all.
    pub delay: Duration,
    /// Send the body one byte at a time with this pause between bytes.
    pub trickle: Option<Duration>,
    /// Keep sending zeros forever (until the client goes away).
    pub endless: bool,
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            ..Reply::default()
        }
    }

    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            ..Reply::default()
        }
    }

    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::status(status).header("Location", location)
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Request {
    pub path: String,
    pub headers: HashMap<String, String>,
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

pub struct Server {
    pub base: String,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    /// Starts a server whose replies come from `handler`.
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let seen = requests.clone();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let handler = handler.clone();
                let seen = seen.clone();
                thread::spawn(move || serve(stream, &*handler, &seen));
            }
        });
        Server { base, requests }
    }

    /// Starts a server that answers fixed routes (path → reply), 404 elsewhere.
    pub fn routes(routes: Vec<(&str, Reply)>) -> Server {
        let map: HashMap<String, Reply> =
            routes.into_iter().map(|(p, r)| (p.to_owned(), r)).collect();
        Server::start(move |req| {
            map.get(&req.path)
                .cloned()
                .unwrap_or_else(|| Reply::status(404))
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The requests received so far for `path`.
    pub fn requests(&self, path: &str) -> Vec<Request> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }
}

fn serve(stream: TcpStream, handler: &Handler, seen: &Mutex<Vec<Request>>) {
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let request = Request { path, headers };
    seen.lock().unwrap().push(request.clone());
    let reply = handler(&request);
    let _ = respond(stream, &reply);
}

fn respond(mut stream: TcpStream, reply: &Reply) -> std::io::Result<()> {
    thread::sleep(reply.delay);
    let mut head = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", reply.status);
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !reply.endless {
        head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if reply.endless {
        let chunk = vec![b' '; 64 * 1024];
        loop {
            stream.write_all(&chunk)?;
        }
    }
    match reply.trickle {
        Some(pause) => {
            for byte in &reply.body {
                stream.write_all(&[*byte])?;
                stream.flush()?;
                thread::sleep(pause);
            }
        }
        None => stream.write_all(&reply.body)?,
    }
    stream.flush()
}
