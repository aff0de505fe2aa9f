//! The soak test: the seed app (`examples/seed_app`) as a child process, with sessions in the
//! `db` engine on SQLite, under N keep-alive clients for a while, then shut down with SIGTERM
//! while the clients keep sending.
//!
//! ```sh
//! cargo build --release --example seed_app --example soak
//! cargo run --release --example soak -- --duration 60 --clients 64
//! ```
//!
//! Each client (a tokio task with its own HTTP/1.1 connection, reconnecting when it is closed)
//! runs a random mix (xorshift, `--seed`) of: `GET /hello`, `GET /params/?a=&b=`, form and JSON
//! POSTs, multipart uploads of 1 KiB–3 MiB (read back from the seed app's upload directory),
//! downloads of `big.txt` (5 MiB) and `hello.txt` (compared with the files on disk), its own
//! session (`/set_session` then `/get_session` must report exactly the visits it made), the
//! slow `/async-cbv/` (1 s) and deliberate disconnects in the middle of an upload or a download.
//!
//! Figures: requests, errors by kind, latency p50/p99, the seed app's RSS after a warm-up and at
//! the end (both measured with the clients paused, so that no request buffer is counted; glibc's
//! default malloc settings; `--mmap-threshold` fixes the mmap threshold, see [`MMAP_THRESHOLD`]), and
//! for the shutdown: the requests in flight at SIGTERM, whether new connections are refused and
//! how long the process takes to exit. Exit status 1 when a target is missed: any 5xx, body
//! mismatch or lost session update, RSS growth of 10 % or more, a request in flight at SIGTERM
//! that did not get its normal answer, a connection accepted after the listener closed, or no
//! exit within the 30 s grace period.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::process::{ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderMap, Method, Request, StatusCode};
use http_body::{Frame, SizeHint};
use http_body_util::BodyExt as _;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// FILE_UPLOAD_MAX_MEMORY_SIZE (Django's default, 2.5 MiB): larger uploads go to a temp file.
const FILE_UPLOAD_MAX_MEMORY_SIZE: usize = 2_621_440;
/// The largest upload sent (3 MiB).
const MAX_UPLOAD: usize = 3 * 1024 * 1024;
/// The smallest upload sent (1 KiB).
const MIN_UPLOAD: usize = 1024;
/// The server's default shutdown grace period (`Server::shutdown_timeout`).
const GRACE: Duration = Duration::from_secs(30);
/// A request started at least this long before SIGTERM is surely being served: it must get its
/// normal answer. Requests started closer to SIGTERM may still sit unread in the socket when the
/// server closes an idle-looking connection (the usual keep-alive race); they are reported apart.
const IN_FLIGHT_MARGIN: Duration = Duration::from_millis(100);
/// The longest a single request may take before it counts as a timeout.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// `MALLOC_MMAP_THRESHOLD_` for the seed app with `--mmap-threshold`: glibc serves blocks of
/// 128 KiB and more with mmap and returns them when freed. By default glibc raises that
/// threshold to the largest block freed so far (up to 32 MiB), so an application that frees
/// multi-MiB buffers sees them kept in its arenas. nuages no longer allocates such buffers for
/// uploads (in-memory files keep the pieces of the body as received), so the default settings
/// meet the RSS target; the option is there to tell the allocator's retention from the
/// application's.
const MMAP_THRESHOLD: &str = "131072";
/// The session cookie (SESSION_COOKIE_NAME).
const SESSION_COOKIE: &str = "sessionid";

/// Command-line options.
#[derive(Debug, Clone)]
struct Args {
    /// Seconds of soak before the shutdown phase.
    duration: u64,
    /// Concurrent clients, one connection each.
    clients: usize,
    /// The seed app's binary.
    seed_app: PathBuf,
    /// The PRNG seed.
    seed: u64,
    /// Keep the temporary directory (database, uploads, server log) even when all targets are met.
    keep: bool,
    /// Fix glibc's mmap threshold in the seed app (see [`MMAP_THRESHOLD`]).
    mmap_threshold: bool,
    /// Report the RSS growth without making it a target (CI's short runs, where a 20 s window
    /// is too short for the allocator's retention to settle).
    rss_report_only: bool,
}

/// Parses the command line.
fn parse_args() -> Result<Args, String> {
    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let mut args = Args {
        duration: 60,
        clients: 64,
        seed_app: exe
            .parent()
            .map(|dir| dir.join("seed_app"))
            .unwrap_or_else(|| PathBuf::from("seed_app")),
        seed: 1,
        keep: false,
        mmap_threshold: false,
        rss_report_only: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--duration" => {
                args.duration = value("--duration")?
                    .parse()
                    .map_err(|e| format!("--duration: {e}"))?;
            }
            "--clients" => {
                args.clients = value("--clients")?
                    .parse()
                    .map_err(|e| format!("--clients: {e}"))?;
            }
            "--seed-app" => args.seed_app = PathBuf::from(value("--seed-app")?),
            "--seed" => {
                args.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?;
            }
            "--keep" => args.keep = true,
            "--mmap-threshold" => args.mmap_threshold = true,
            "--rss-report-only" => args.rss_report_only = true,
            "-h" | "--help" => {
                println!(
                    "usage: soak [--duration SECS (60)] [--clients N (64)] [--seed-app PATH] [--seed N (1)] [--keep] [--mmap-threshold] [--rss-report-only]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if args.clients == 0 || args.duration == 0 {
        return Err("--clients and --duration must be positive".into());
    }
    Ok(args)
}

/// xorshift64* (Vigna): a small, fast, seedable PRNG; no new dependency.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    /// A generator from a seed (any value; 0 is remapped).
    fn new(seed: u64) -> Rng {
        // splitmix64 of the seed, so that nearby seeds give unrelated streams.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    /// The next 64 random bits.
    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        let span = (hi - lo + 1) as u64;
        lo + (self.next_u64() % span) as usize
    }
}

/// One operation of the mix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    /// `GET /hello`.
    Hello,
    /// `GET /params/?a=&b=`.
    Params,
    /// urlencoded POST to `/process_form`.
    Form,
    /// JSON POST to `/process_json`.
    Json,
    /// multipart POST to `/upload_file`.
    Upload,
    /// `GET /download/big.txt`.
    DownloadBig,
    /// `GET /download/hello.txt`.
    DownloadHello,
    /// `GET /set_session`.
    SetSession,
    /// `GET /get_session`.
    GetSession,
    /// `GET /async-cbv/` (sleeps 1 s).
    Slow,
    /// An upload dropped midway (deliberate).
    AbortUpload,
    /// A download dropped midway (deliberate).
    AbortDownload,
    /// Opening a connection.
    Connect,
}

impl Op {
    /// The weights of the soak mix (per mille); disconnects are 3 %.
    const MIX: [(Op, usize); 12] = [
        (Op::Hello, 205),
        (Op::Params, 140),
        (Op::Form, 100),
        (Op::Json, 100),
        (Op::Upload, 60),
        (Op::DownloadBig, 30),
        (Op::DownloadHello, 80),
        (Op::SetSession, 130),
        (Op::GetSession, 120),
        (Op::Slow, 5),
        (Op::AbortUpload, 15),
        (Op::AbortDownload, 15),
    ];

    /// Picks an operation; during the shutdown phase a quarter are slow requests.
    fn pick(rng: &mut Rng, shutdown: bool) -> Op {
        if shutdown && rng.range(0, 3) == 0 {
            return Op::Slow;
        }
        let total: usize = Op::MIX.iter().map(|(_, w)| w).sum();
        let mut n = rng.range(0, total - 1);
        for (op, w) in Op::MIX {
            if n < w {
                return op;
            }
            n -= w;
        }
        Op::Hello
    }
}

/// What one operation came to.
#[derive(Debug, Clone)]
enum Outcome {
    /// The expected answer.
    Ok,
    /// A 5xx answer.
    ServerError(String),
    /// Another status than the expected one.
    UnexpectedStatus(String),
    /// The expected status with a wrong body (or a wrong uploaded file).
    Mismatch(String),
    /// `/get_session` reported another visit count than the client made.
    LostSession(String),
    /// The connection failed (not deliberately).
    Connection(String),
    /// A connection attempt was refused (ECONNREFUSED).
    Refused,
    /// No answer within [`REQUEST_TIMEOUT`].
    Timeout(String),
    /// A deliberate disconnect went as planned.
    Dropped,
}

/// Counts for one group of operations.
#[derive(Debug, Default)]
struct Tally {
    /// Answered requests (deliberate disconnects and connection attempts excluded).
    answered: u64,
    /// Answers that were right.
    ok: u64,
    /// 5xx answers.
    server_errors: u64,
    /// Other unexpected statuses.
    unexpected_status: u64,
    /// Wrong bodies.
    mismatches: u64,
    /// Lost session updates.
    lost_sessions: u64,
    /// Connection errors that were not deliberate.
    connection_errors: u64,
    /// Refused connection attempts.
    refused: u64,
    /// Requests without an answer in time.
    timeouts: u64,
    /// Deliberate disconnects.
    dropped: u64,
    /// Per-request durations of answered requests, in microseconds.
    latencies_us: Vec<u32>,
    /// The first error descriptions, for the report.
    examples: Vec<String>,
    /// Answered requests per operation.
    per_op: BTreeMap<String, u64>,
}

impl Tally {
    /// Adds one operation.
    fn add(&mut self, op: Op, took: Duration, outcome: &Outcome) {
        let example = |text: &str, examples: &mut Vec<String>| {
            if examples.len() < 12 {
                examples.push(format!("{op:?}: {text}"));
            }
        };
        let answered = match outcome {
            Outcome::Ok => {
                self.ok += 1;
                true
            }
            Outcome::ServerError(t) => {
                self.server_errors += 1;
                example(t, &mut self.examples);
                true
            }
            Outcome::UnexpectedStatus(t) => {
                self.unexpected_status += 1;
                example(t, &mut self.examples);
                true
            }
            Outcome::Mismatch(t) => {
                self.mismatches += 1;
                example(t, &mut self.examples);
                true
            }
            Outcome::LostSession(t) => {
                self.lost_sessions += 1;
                example(t, &mut self.examples);
                true
            }
            Outcome::Connection(t) => {
                self.connection_errors += 1;
                example(t, &mut self.examples);
                false
            }
            Outcome::Refused => {
                self.refused += 1;
                false
            }
            Outcome::Timeout(t) => {
                self.timeouts += 1;
                example(t, &mut self.examples);
                false
            }
            Outcome::Dropped => {
                self.dropped += 1;
                false
            }
        };
        if answered {
            self.answered += 1;
            // `/async-cbv/` sleeps 1 s by design: it would only shift the high quantiles.
            if op != Op::Slow {
                self.latencies_us
                    .push(u32::try_from(took.as_micros()).unwrap_or(u32::MAX));
            }
            *self.per_op.entry(format!("{op:?}")).or_default() += 1;
        }
    }

    /// The errors that are not "right answer", "refused" or "deliberate".
    fn failures(&self) -> u64 {
        self.server_errors
            + self.unexpected_status
            + self.mismatches
            + self.lost_sessions
            + self.connection_errors
            + self.timeouts
    }
}

/// All tallies: the soak itself and the three groups of the shutdown phase.
#[derive(Debug, Default)]
struct Stats {
    /// Operations that ended before SIGTERM.
    soak: Tally,
    /// Operations started at least [`IN_FLIGHT_MARGIN`] before SIGTERM and ending after it.
    in_flight: Tally,
    /// Operations started less than [`IN_FLIGHT_MARGIN`] before SIGTERM and ending after it.
    racing: Tally,
    /// Operations started after SIGTERM.
    after: Tally,
}

/// What the clients and the driver share.
#[derive(Debug)]
struct Shared {
    /// The seed app's address.
    addr: SocketAddr,
    /// The seed app's files (`data/files`).
    files: Files,
    /// Random bytes that uploads are cut from.
    pool: Bytes,
    /// Where the seed app writes uploads (`$TMPDIR/nuages-seed-uploads`).
    upload_dir: PathBuf,
    /// Clients stop when set.
    stop: AtomicBool,
    /// Clients wait before their next operation while set (RSS measurements).
    paused: AtomicBool,
    /// Operations under way.
    active: AtomicUsize,
    /// Whether the shutdown mix is on.
    shutdown_mix: AtomicBool,
    /// When SIGTERM was sent.
    sigterm: OnceLock<Instant>,
    /// The tallies.
    stats: Mutex<Stats>,
}

impl Shared {
    /// Files one finished operation in its group.
    fn record(&self, op: Op, start: Instant, end: Instant, outcome: &Outcome) {
        let mut stats = self.stats.lock().unwrap_or_else(|e| e.into_inner());
        let tally = match self.sigterm.get() {
            Some(&t) if end >= t => {
                if start >= t {
                    &mut stats.after
                } else if t - start >= IN_FLIGHT_MARGIN {
                    &mut stats.in_flight
                } else {
                    &mut stats.racing
                }
            }
            _ => {
                if matches!(outcome, Outcome::Refused) {
                    // Before SIGTERM a refused connection is an error like any other.
                    let refused = Outcome::Connection("connect: connection refused".into());
                    stats.soak.add(op, end - start, &refused);
                    return;
                }
                &mut stats.soak
            }
        };
        tally.add(op, end - start, outcome);
    }
}

/// The downloadable files, as on disk.
#[derive(Debug)]
struct Files {
    /// `big.txt` (5 MiB).
    big: Bytes,
    /// `hello.txt`.
    hello: Bytes,
}

/// A request body: complete, or a multipart upload that stops after `limit` bytes (then tells
/// the client, which drops the connection).
#[derive(Debug)]
enum SoakBody {
    /// The whole body at once (`None` once sent, or for no body).
    Full(Option<Bytes>),
    /// The first `limit` bytes of `data`, in 64 KiB chunks, then nothing ever again.
    Partial {
        /// The whole body (its length is the Content-Length).
        data: Bytes,
        /// Bytes handed out so far.
        pos: usize,
        /// Bytes to hand out before stalling.
        limit: usize,
        /// Fired once `limit` is reached.
        reached: Option<oneshot::Sender<()>>,
    },
}

impl http_body::Body for SoakBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        match self.get_mut() {
            SoakBody::Full(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            SoakBody::Partial {
                data,
                pos,
                limit,
                reached,
            } => {
                if *pos < *limit {
                    let n = (*limit - *pos).min(64 * 1024);
                    let chunk = data.slice(*pos..*pos + n);
                    *pos += n;
                    Poll::Ready(Some(Ok(Frame::data(chunk))))
                } else {
                    if let Some(tx) = reached.take() {
                        let _ = tx.send(());
                    }
                    // Never woken: the client aborts the connection.
                    Poll::Pending
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, SoakBody::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            SoakBody::Full(Some(b)) => SizeHint::with_exact(b.len() as u64),
            SoakBody::Full(None) => SizeHint::with_exact(0),
            SoakBody::Partial { data, .. } => SizeHint::with_exact(data.len() as u64),
        }
    }
}

/// One client connection: the request sender and the task driving the socket.
#[derive(Debug)]
struct Conn {
    /// hyper's request sender.
    sender: SendRequest<SoakBody>,
    /// The connection task; aborting it drops the socket.
    task: JoinHandle<()>,
}

impl Conn {
    /// Opens a connection.
    async fn open(addr: SocketAddr) -> Result<Conn, Outcome> {
        let stream = TcpStream::connect(addr).await.map_err(|e| {
            if e.kind() == std::io::ErrorKind::ConnectionRefused {
                Outcome::Refused
            } else {
                Outcome::Connection(format!("connect: {e}"))
            }
        })?;
        let _ = stream.set_nodelay(true);
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| Outcome::Connection(format!("handshake: {e}")))?;
        let task = tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Conn { sender, task })
    }

    /// Drops the socket at once.
    fn abort(self) {
        self.task.abort();
    }
}

/// One client's session, as the client knows it.
#[derive(Debug, Default)]
struct SessionState {
    /// The `sessionid` cookie value.
    cookie: Option<String>,
    /// Visits the server confirmed.
    visits: u64,
    /// `/set_session` requests whose answer was lost: each may or may not have counted.
    unconfirmed: u64,
}

/// A response, read completely.
#[derive(Debug)]
struct Answer {
    /// The status.
    status: StatusCode,
    /// The headers.
    headers: HeaderMap,
    /// The body.
    body: Bytes,
}

/// Builds a request with the headers every request carries.
fn request(method: Method, uri: &str, session: &SessionState) -> http::request::Builder {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header("host", "testserver")
        .header("user-agent", "nuages-soak/1.0");
    if let Some(c) = &session.cookie {
        b = b.header("cookie", format!("{SESSION_COOKIE}={c}"));
    }
    b
}

/// Sends a request and reads the whole answer.
async fn exchange(conn: &mut Conn, req: Request<SoakBody>) -> Result<Answer, Outcome> {
    conn.sender
        .ready()
        .await
        .map_err(|e| Outcome::Connection(format!("connection not ready: {e}")))?;
    let resp = conn
        .sender
        .send_request(req)
        .await
        .map_err(|e| Outcome::Connection(format!("request: {e}")))?;
    let (parts, body) = resp.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|e| Outcome::Connection(format!("response body: {e}")))?
        .to_bytes();
    Ok(Answer {
        status: parts.status,
        headers: parts.headers,
        body,
    })
}

/// Checks status and body against the expected ones.
fn expect(what: &str, answer: &Answer, status: StatusCode, body: &[u8]) -> Outcome {
    if answer.status.is_server_error() {
        return Outcome::ServerError(format!("{what} → {}", answer.status));
    }
    if answer.status != status {
        return Outcome::UnexpectedStatus(format!(
            "{what} → {} (expected {status}): {}",
            answer.status,
            preview(&answer.body)
        ));
    }
    if answer.body != body {
        return Outcome::Mismatch(format!(
            "{what}: {} bytes {:?}, expected {} bytes {:?}",
            answer.body.len(),
            preview(&answer.body),
            body.len(),
            preview(body)
        ));
    }
    Outcome::Ok
}

/// The start of a body, for messages.
fn preview(body: &[u8]) -> String {
    let s = String::from_utf8_lossy(&body[..body.len().min(80)]).into_owned();
    if body.len() > 80 {
        s + "…"
    } else {
        s
    }
}

/// A random ASCII word.
fn word(rng: &mut Rng) -> String {
    let n = rng.range(1, 12);
    (0..n)
        .map(|_| char::from(b'a' + (rng.next_u64() % 26) as u8))
        .collect()
}

/// The multipart body of an upload of `data` as `filename`, and its boundary.
fn multipart(rng: &mut Rng, filename: &str, data: &[u8]) -> (String, Bytes) {
    let boundary = format!("soakboundary{:016x}{:016x}", rng.next_u64(), rng.next_u64());
    let mut body = Vec::with_capacity(data.len() + 300);
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (boundary, Bytes::from(body))
}

/// One client: its own connection and session, operations until told to stop.
async fn client(id: usize, shared: Arc<Shared>, seed: u64) {
    let mut rng = Rng::new(seed ^ (id as u64).wrapping_mul(0x9E37_79B9));
    let mut conn: Option<Conn> = None;
    let mut session = SessionState::default();
    while !shared.stop.load(Ordering::Acquire) {
        if shared.paused.load(Ordering::Acquire) {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        }
        if conn.as_ref().is_none_or(|c| c.sender.is_closed()) {
            if let Some(c) = conn.take() {
                c.abort();
            }
            let start = Instant::now();
            match Conn::open(shared.addr).await {
                Ok(c) => conn = Some(c),
                Err(outcome) => {
                    shared.record(Op::Connect, start, Instant::now(), &outcome);
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                }
            }
        }
        let Some(mut c) = conn.take() else { continue };
        let op = Op::pick(&mut rng, shared.shutdown_mix.load(Ordering::Acquire));
        shared.active.fetch_add(1, Ordering::AcqRel);
        let start = Instant::now();
        let result = tokio::time::timeout(
            REQUEST_TIMEOUT,
            run(op, id, &mut c, &mut rng, &mut session, &shared),
        )
        .await;
        let end = Instant::now();
        let (outcome, keep) = match result {
            Ok((outcome, keep)) => (outcome, keep),
            Err(_) => (
                Outcome::Timeout(format!("no answer in {REQUEST_TIMEOUT:?}")),
                false,
            ),
        };
        if op == Op::SetSession && !matches!(outcome, Outcome::Ok) {
            // The update may or may not have been stored.
            session.unconfirmed += 1;
        }
        shared.record(op, start, end, &outcome);
        shared.active.fetch_sub(1, Ordering::AcqRel);
        if keep {
            conn = Some(c);
        } else {
            c.abort();
        }
    }
    if let Some(c) = conn {
        c.abort();
    }
}

/// Runs one operation; returns its outcome and whether the connection may be kept.
async fn run(
    op: Op,
    id: usize,
    conn: &mut Conn,
    rng: &mut Rng,
    session: &mut SessionState,
    shared: &Shared,
) -> (Outcome, bool) {
    let full = |b: Option<Bytes>| SoakBody::Full(b);
    let built = |r: Result<Request<SoakBody>, http::Error>| r.expect("valid request");
    match op {
        Op::Hello => {
            let req = built(request(Method::GET, "/hello", session).body(full(None)));
            answer(conn, req, |a| {
                expect("GET /hello", a, StatusCode::OK, b"Hello there!")
            })
            .await
        }
        Op::Params => {
            let (a, b) = (rng.next_u64() % 100_000, rng.next_u64() % 100_000);
            let uri = format!("/params/?a={a}&b={b}");
            let want = format!("{{\"a\": \"{a}\", \"b\": \"{b}\"}}");
            let req = built(request(Method::GET, &uri, session).body(full(None)));
            answer(conn, req, |r| {
                expect(&uri, r, StatusCode::OK, want.as_bytes())
            })
            .await
        }
        Op::Form => {
            let (name, email) = (word(rng), format!("{}@example.com", word(rng)));
            let body = format!("name={name}&email={email}");
            let want = format!(
                "{{\"status\": \"success\", \"name\": \"{name}\", \"email\": \"{email}\"}}"
            );
            let req = built(
                request(Method::POST, "/process_form", session)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("content-length", body.len())
                    .body(full(Some(Bytes::from(body)))),
            );
            answer(conn, req, |r| {
                expect("POST /process_form", r, StatusCode::OK, want.as_bytes())
            })
            .await
        }
        Op::Json => {
            let (name, n) = (word(rng), rng.next_u64() % 1_000_000);
            let body = format!("{{\"name\": \"{name}\", \"n\": {n}, \"ok\": true}}");
            let want = format!("{{\"status\": \"success\", \"received\": {body}}}");
            let req = built(
                request(Method::POST, "/process_json", session)
                    .header("content-type", "application/json")
                    .header("content-length", body.len())
                    .body(full(Some(Bytes::from(body)))),
            );
            answer(conn, req, |r| {
                expect("POST /process_json", r, StatusCode::OK, want.as_bytes())
            })
            .await
        }
        Op::Upload => upload(id, conn, rng, session, shared).await,
        Op::DownloadBig | Op::DownloadHello => {
            let (uri, want) = if op == Op::DownloadBig {
                ("/download/big.txt", &shared.files.big)
            } else {
                ("/download/hello.txt", &shared.files.hello)
            };
            let req = built(request(Method::GET, uri, session).body(full(None)));
            answer(conn, req, |r| expect(uri, r, StatusCode::OK, want)).await
        }
        Op::SetSession => {
            let req = built(request(Method::GET, "/set_session", session).body(full(None)));
            match exchange(conn, req).await {
                Ok(a) => {
                    let outcome =
                        expect("GET /set_session", &a, StatusCode::OK, b"Session data set");
                    if matches!(outcome, Outcome::Ok) {
                        session.visits += 1;
                        if let Some(c) = session_cookie(&a.headers) {
                            session.cookie = Some(c);
                        } else if session.cookie.is_none() {
                            return (
                                Outcome::Mismatch("GET /set_session: no session cookie".into()),
                                true,
                            );
                        }
                    }
                    (outcome, true)
                }
                Err(e) => (e, false),
            }
        }
        Op::GetSession => {
            let req = built(request(Method::GET, "/get_session", session).body(full(None)));
            match exchange(conn, req).await {
                Ok(a) => (check_session(&a, session), true),
                Err(e) => (e, false),
            }
        }
        Op::Slow => {
            let req = built(request(Method::GET, "/async-cbv/", session).body(full(None)));
            answer(conn, req, |r| {
                expect("GET /async-cbv/", r, StatusCode::OK, b"Hello async world!")
            })
            .await
        }
        Op::AbortUpload => {
            let len = rng.range(MIN_UPLOAD, MAX_UPLOAD);
            let data = shared.pool.slice(0..len);
            let (boundary, body) = multipart(rng, &format!("soak-{id}-aborted.bin"), &data);
            let limit = rng.range(body.len() / 10, body.len() * 9 / 10);
            let (tx, rx) = oneshot::channel();
            let req = built(
                request(Method::POST, "/upload_file", session)
                    .header(
                        "content-type",
                        format!("multipart/form-data; boundary={boundary}"),
                    )
                    .header("content-length", body.len())
                    .body(SoakBody::Partial {
                        data: body,
                        pos: 0,
                        limit,
                        reached: Some(tx),
                    }),
            );
            if let Err(e) = conn.sender.ready().await {
                return (
                    Outcome::Connection(format!("connection not ready: {e}")),
                    false,
                );
            }
            let sent = conn.sender.send_request(req);
            tokio::select! {
                r = sent => match r {
                    // An answer before the whole body: allowed only if it is not a 5xx.
                    Ok(resp) if resp.status().is_server_error() => (
                        Outcome::ServerError(format!("aborted upload → {}", resp.status())),
                        false,
                    ),
                    Ok(_) => (Outcome::Dropped, false),
                    Err(e) => (Outcome::Connection(format!("aborted upload: {e}")), false),
                },
                _ = rx => {
                    // Let the last chunk reach the socket, then drop the connection.
                    tokio::time::sleep(Duration::from_millis(2)).await;
                    (Outcome::Dropped, false)
                }
            }
        }
        Op::AbortDownload => {
            let req = built(request(Method::GET, "/download/big.txt", session).body(full(None)));
            if let Err(e) = conn.sender.ready().await {
                return (
                    Outcome::Connection(format!("connection not ready: {e}")),
                    false,
                );
            }
            let resp = match conn.sender.send_request(req).await {
                Ok(r) => r,
                Err(e) => return (Outcome::Connection(format!("aborted download: {e}")), false),
            };
            if resp.status().is_server_error() {
                return (
                    Outcome::ServerError(format!("aborted download → {}", resp.status())),
                    false,
                );
            }
            let stop_after = rng.range(1, shared.files.big.len() - 1);
            let mut body = resp.into_body();
            let mut got = 0;
            while got < stop_after {
                match body.frame().await {
                    Some(Ok(f)) => got += f.data_ref().map_or(0, Bytes::len),
                    Some(Err(e)) => {
                        return (Outcome::Connection(format!("aborted download: {e}")), false)
                    }
                    None => break,
                }
            }
            (Outcome::Dropped, false)
        }
        Op::Connect => unreachable!("not an operation of the mix"),
    }
}

/// Sends a request and checks its answer; a connection error closes the connection.
async fn answer(
    conn: &mut Conn,
    req: Request<SoakBody>,
    check: impl FnOnce(&Answer) -> Outcome,
) -> (Outcome, bool) {
    match exchange(conn, req).await {
        Ok(a) => (check(&a), true),
        Err(e) => (e, false),
    }
}

/// An upload of a random 1 KiB–3 MiB file; the stored copy must equal the file sent.
async fn upload(
    id: usize,
    conn: &mut Conn,
    rng: &mut Rng,
    session: &SessionState,
    shared: &Shared,
) -> (Outcome, bool) {
    let len = rng.range(MIN_UPLOAD, MAX_UPLOAD);
    let offset = rng.range(0, shared.pool.len() - len);
    let data = shared.pool.slice(offset..offset + len);
    let name = format!("soak-{id}.bin");
    let (boundary, body) = multipart(rng, &name, &data);
    let req = request(Method::POST, "/upload_file", session)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("content-length", body.len())
        .body(SoakBody::Full(Some(body)))
        .expect("valid request");
    let a = match exchange(conn, req).await {
        Ok(a) => a,
        Err(e) => return (e, false),
    };
    let what = format!(
        "POST /upload_file ({len} bytes, {})",
        if len > FILE_UPLOAD_MAX_MEMORY_SIZE {
            "temp file"
        } else {
            "memory"
        }
    );
    let want = format!("File {name} uploaded successfully");
    let outcome = expect(&what, &a, StatusCode::OK, want.as_bytes());
    if !matches!(outcome, Outcome::Ok) {
        return (outcome, true);
    }
    match tokio::fs::read(shared.upload_dir.join(&name)).await {
        Ok(stored) if stored == data => (Outcome::Ok, true),
        Ok(stored) => (
            Outcome::Mismatch(format!(
                "{what}: stored file has {} bytes, differs from the upload",
                stored.len()
            )),
            true,
        ),
        Err(e) => (
            Outcome::Mismatch(format!("{what}: stored file unreadable: {e}")),
            true,
        ),
    }
}

/// The `sessionid` value of a `Set-Cookie` header, if the response sets it.
fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            let first = v.split(';').next()?.trim();
            let value = first.strip_prefix(SESSION_COOKIE)?.strip_prefix('=')?;
            Some(value.to_owned())
        })
}

/// Checks `/get_session` against the visits the client made (exactly, unless some
/// `/set_session` answers were lost, then within the unconfirmed ones) and resynchronises.
fn check_session(a: &Answer, session: &mut SessionState) -> Outcome {
    if a.status.is_server_error() {
        return Outcome::ServerError(format!("GET /get_session → {}", a.status));
    }
    if a.status != StatusCode::OK {
        return Outcome::UnexpectedStatus(format!("GET /get_session → {}", a.status));
    }
    let text = String::from_utf8_lossy(&a.body);
    let parsed = text
        .strip_prefix("Hello ")
        .and_then(|rest| rest.split_once("! Visits: "))
        .and_then(|(user, n)| Some((user.to_owned(), n.parse::<u64>().ok()?)));
    let Some((user, n)) = parsed else {
        return Outcome::Mismatch(format!("GET /get_session: {text:?}"));
    };
    let want_user = if n == 0 { "Guest" } else { "john_doe" };
    if user != want_user {
        return Outcome::Mismatch(format!("GET /get_session: {text:?}"));
    }
    let (lo, hi) = (session.visits, session.visits + session.unconfirmed);
    if n < lo || n > hi {
        let expected = if lo == hi {
            format!("{lo}")
        } else {
            format!("{lo}–{hi}")
        };
        session.visits = n;
        session.unconfirmed = 0;
        return Outcome::LostSession(format!(
            "GET /get_session: Visits: {n}, the client made {expected}"
        ));
    }
    session.visits = n;
    session.unconfirmed = 0;
    Outcome::Ok
}

/// The resident set size of a process, in KiB (`VmRSS` of `/proc/PID/status`).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Pauses the clients, waits until no operation is under way, measures the RSS, resumes.
async fn rss_at_rest(shared: &Shared, pid: u32) -> Option<u64> {
    shared.paused.store(true, Ordering::Release);
    let deadline = Instant::now() + REQUEST_TIMEOUT;
    while shared.active.load(Ordering::Acquire) > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Let the server finish writing its last responses and release their buffers.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let rss = rss_kib(pid);
    shared.paused.store(false, Ordering::Release);
    rss
}

/// A free port on 127.0.0.1.
fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Waits until `GET /hello` answers 200 (or the child exits, or 60 s pass).
async fn wait_ready(addr: SocketAddr, child: &mut tokio::process::Child) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("the seed app exited at start-up ({status})"));
        }
        if let Ok(mut c) = Conn::open(addr).await {
            let req = request(Method::GET, "/hello", &SessionState::default())
                .body(SoakBody::Full(None))
                .expect("valid request");
            if let Ok(a) = exchange(&mut c, req).await {
                c.abort();
                if a.status == StatusCode::OK {
                    return Ok(());
                }
                return Err(format!("GET /hello → {} at start-up", a.status));
            }
            c.abort();
        }
        if Instant::now() > deadline {
            return Err("the seed app did not answer GET /hello within 60 s".into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// What the connection probe saw after SIGTERM.
#[derive(Debug, Default)]
struct Probe {
    /// Connections accepted after SIGTERM, before the first refusal.
    accepted_before: u64,
    /// From SIGTERM to the first refused connection.
    refused_after: Option<Duration>,
    /// Connections accepted after a refusal (the listener came back: must be 0).
    accepted_after_refusal: u64,
    /// Refused attempts.
    refused: u64,
}

/// Tries new connections every 2 ms from SIGTERM until `done`.
async fn probe(addr: SocketAddr, t: Instant, done: Arc<AtomicBool>) -> Probe {
    let mut p = Probe::default();
    while !done.load(Ordering::Acquire) {
        match TcpStream::connect(addr).await {
            Ok(_) if p.refused_after.is_some() => p.accepted_after_refusal += 1,
            Ok(_) => p.accepted_before += 1,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                p.refused += 1;
                p.refused_after.get_or_insert_with(|| t.elapsed());
            }
            Err(_) => {}
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    p
}

/// A duration as milliseconds with one decimal.
fn ms(us: u32) -> String {
    format!("{:.1} ms", f64::from(us) / 1000.0)
}

/// The value at quantile `q` of sorted data.
fn quantile(sorted: &[u32], q: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// KiB as MiB with one decimal.
fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("soak: {e}");
            return ExitCode::from(2);
        }
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match rt.block_on(soak(args)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("soak: {e}");
            ExitCode::from(2)
        }
    }
}

/// The whole run; `Ok(true)` when every target is met.
async fn soak(args: Args) -> Result<bool, String> {
    if !args.seed_app.is_file() {
        return Err(format!(
            "no seed app at {} (build it: cargo build --release --example seed_app, or pass --seed-app PATH)",
            args.seed_app.display()
        ));
    }
    let tmp = tempfile::Builder::new()
        .prefix("nuages-soak-")
        .tempdir()
        .map_err(|e| format!("temporary directory: {e}"))?;
    let dir = tmp.path().to_owned();
    let port = free_port().map_err(|e| format!("free port: {e}"))?;
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let log_path = dir.join("seed_app.log");
    let log =
        std::fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
    let log2 = log.try_clone().map_err(|e| format!("log: {e}"))?;
    let db_url = format!("sqlite://{}", dir.join("soak.sqlite3").display());
    let mut child = tokio::process::Command::new(&args.seed_app)
        .arg("--addr")
        .arg(addr.to_string())
        .env("NUAGES_SESSION_ENGINE", "db")
        .env("NUAGES_DATABASE_URL", &db_url)
        // Uploads (`$TMPDIR/nuages-seed-uploads`) and upload temp files stay in our directory.
        .env("TMPDIR", &dir)
        .stdin(Stdio::null())
        .envs(
            args.mmap_threshold
                .then_some(("MALLOC_MMAP_THRESHOLD_", MMAP_THRESHOLD)),
        )
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(log2))
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("{}: {e}", args.seed_app.display()))?;
    let pid = child.id().ok_or("the seed app has no pid")?;
    wait_ready(addr, &mut child).await?;

    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/seed_app/data/files");
    let read = |name: &str| -> Result<Bytes, String> {
        std::fs::read(data.join(name))
            .map(Bytes::from)
            .map_err(|e| format!("{}: {e}", data.join(name).display()))
    };
    let files = Files {
        big: read("big.txt")?,
        hello: read("hello.txt")?,
    };
    let mut rng = Rng::new(args.seed);
    let pool: Vec<u8> = (0..(MAX_UPLOAD + 64 * 1024) / 8)
        .flat_map(|_| rng.next_u64().to_le_bytes())
        .collect();
    let shared = Arc::new(Shared {
        addr,
        files,
        pool: Bytes::from(pool),
        upload_dir: dir.join("nuages-seed-uploads"),
        stop: AtomicBool::new(false),
        paused: AtomicBool::new(false),
        active: AtomicUsize::new(0),
        shutdown_mix: AtomicBool::new(false),
        sigterm: OnceLock::new(),
        stats: Mutex::new(Stats::default()),
    });

    println!(
        "soak: {} clients for {} s against {} (pid {pid}, sessions: db on SQLite, {}), seed {}",
        args.clients,
        args.duration,
        args.seed_app.display(),
        if args.mmap_threshold {
            format!("MALLOC_MMAP_THRESHOLD_={MMAP_THRESHOLD}")
        } else {
            "glibc's default malloc settings".to_owned()
        },
        args.seed
    );
    let started = Instant::now();
    let clients: Vec<JoinHandle<()>> = (0..args.clients)
        .map(|id| tokio::spawn(client(id, shared.clone(), args.seed)))
        .collect();
    let peak = Arc::new(Mutex::new(0u64));
    let sampler = {
        let (peak, shared) = (peak.clone(), shared.clone());
        tokio::spawn(async move {
            while shared.sigterm.get().is_none() {
                if let Some(r) = rss_kib(pid) {
                    let mut p = peak.lock().unwrap_or_else(|e| e.into_inner());
                    *p = (*p).max(r);
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        })
    };

    let duration = Duration::from_secs(args.duration);
    let warmup = (duration / 6).clamp(Duration::from_secs(2), Duration::from_secs(10));
    tokio::time::sleep(warmup).await;
    let rss_start = rss_at_rest(&shared, pid)
        .await
        .ok_or("cannot read the seed app's RSS")?;
    // The RSS at rest every sixth of the run as well: a leak grows steadily, the allocator's
    // high-water mark levels off.
    let mut trend = vec![rss_start];
    let step = (duration / 6).max(Duration::from_secs(5));
    while started.elapsed() + step < duration {
        tokio::time::sleep(step).await;
        trend.extend(rss_at_rest(&shared, pid).await);
    }
    tokio::time::sleep(duration.saturating_sub(started.elapsed())).await;
    let soak_time = started.elapsed();
    let rss_end = rss_at_rest(&shared, pid)
        .await
        .ok_or("cannot read the seed app's RSS")?;
    trend.push(rss_end);

    // Shutdown under load: the mix turns a quarter slow, and a quarter of the clients more
    // each send one slow request on a fresh connection; SIGTERM once they are being served.
    shared.shutdown_mix.store(true, Ordering::Release);
    let extra: Vec<JoinHandle<()>> = (0..args.clients.div_ceil(4))
        .map(|_| {
            let shared = shared.clone();
            tokio::spawn(async move {
                let start = Instant::now();
                let (outcome, c) = match Conn::open(shared.addr).await {
                    Ok(mut c) => {
                        let req = request(Method::GET, "/async-cbv/", &SessionState::default())
                            .body(SoakBody::Full(None))
                            .expect("valid request");
                        let outcome = match exchange(&mut c, req).await {
                            Ok(a) => {
                                expect("GET /async-cbv/", &a, StatusCode::OK, b"Hello async world!")
                            }
                            Err(e) => e,
                        };
                        (outcome, Some(c))
                    }
                    Err(e) => (e, None),
                };
                shared.record(Op::Slow, start, Instant::now(), &outcome);
                if let Some(c) = c {
                    c.abort();
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let in_flight_now = shared.active.load(Ordering::Acquire) + extra.len();
    let t = Instant::now();
    let _ = shared.sigterm.set(t);
    let kill = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status()
        .map_err(|e| format!("kill: {e}"))?;
    if !kill.success() {
        return Err(format!("kill -TERM {pid}: {kill}"));
    }
    let probe_done = Arc::new(AtomicBool::new(false));
    let prober = tokio::spawn(probe(addr, t, probe_done.clone()));
    let exit = tokio::time::timeout(GRACE + Duration::from_secs(5), child.wait()).await;
    let exit_time = t.elapsed();
    let exit_status = match exit {
        Ok(Ok(status)) => Some(status),
        Ok(Err(e)) => return Err(format!("waiting for the seed app: {e}")),
        Err(_) => {
            let _ = child.kill().await;
            None
        }
    };
    // A few more probes after the exit, then stop everything.
    tokio::time::sleep(Duration::from_millis(50)).await;
    probe_done.store(true, Ordering::Release);
    shared.stop.store(true, Ordering::Release);
    let probe = prober.await.map_err(|e| format!("probe: {e}"))?;
    for h in clients.into_iter().chain(extra) {
        let _ = h.await;
    }
    let _ = sampler.await;

    // --- Report --------------------------------------------------------------------------
    let stats = std::mem::take(&mut *shared.stats.lock().unwrap_or_else(|e| e.into_inner()));
    let s = &stats.soak;
    let mut lat = s.latencies_us.clone();
    lat.sort_unstable();
    let (p50, p99) = (quantile(&lat, 0.50), quantile(&lat, 0.99));
    let growth = (rss_end as f64 - rss_start as f64) * 100.0 / rss_start as f64;
    let peak = *peak.lock().unwrap_or_else(|e| e.into_inner());
    let flight = &stats.in_flight;
    let in_flight_total = flight.answered + flight.failures() + flight.refused;

    let mut lines = Vec::new();
    lines.push(format!(
        "requests {} in {:.1} s ({:.0}/s) + {} deliberate disconnects",
        s.answered,
        soak_time.as_secs_f64(),
        s.answered as f64 / soak_time.as_secs_f64(),
        s.dropped
    ));
    lines.push(format!("5xx {}", s.server_errors));
    lines.push(format!("other unexpected status {}", s.unexpected_status));
    lines.push(format!("body mismatches {}", s.mismatches));
    lines.push(format!("lost session updates {}", s.lost_sessions));
    lines.push(format!(
        "connection errors {} · timeouts {}",
        s.connection_errors, s.timeouts
    ));
    lines.push(format!(
        "p50 {} · p99 {} (max {}; /async-cbv/ excluded)",
        ms(p50),
        ms(p99),
        ms(lat.last().copied().unwrap_or(0))
    ));
    lines.push(format!(
        "RSS {} → {} ({:+.1} %), peak {}",
        mib(rss_start),
        mib(rss_end),
        growth,
        mib(peak)
    ));
    let trend = trend
        .iter()
        .map(|&k| format!("{:.1}", k as f64 / 1024.0))
        .collect::<Vec<_>>()
        .join(" → ");
    let refused = match probe.refused_after {
        Some(d) if probe.accepted_after_refusal == 0 => {
            format!(
                "new connections refused after {:.0} ms",
                d.as_secs_f64() * 1000.0
            )
        }
        Some(d) => format!(
            "new connections refused after {:.0} ms, then {} accepted again",
            d.as_secs_f64() * 1000.0,
            probe.accepted_after_refusal
        ),
        None => "new connections NOT refused".to_owned(),
    };
    let exit_text = match exit_status {
        Some(st) => format!("exit after {:.2} s ({st})", exit_time.as_secs_f64()),
        None => format!(
            "NO EXIT within {} s (killed)",
            (GRACE + Duration::from_secs(5)).as_secs()
        ),
    };
    let shutdown = format!(
        "shutdown: {} in flight completed{}, {refused}, {exit_text}",
        flight.ok,
        if flight.ok == in_flight_total {
            String::new()
        } else {
            format!(" of {in_flight_total}")
        }
    );
    lines.push(shutdown);
    let racing = &stats.racing;
    let after = &stats.after;
    let detail = format!(
        "shutdown detail: {in_flight_now} operations under way at SIGTERM; started < {} ms before it: {} answered, {} connection closed; after it: {} answered, {} connections refused, {} connection errors; probe: {} accepted before the listener closed, {} refused",
        IN_FLIGHT_MARGIN.as_millis(),
        racing.answered,
        racing.connection_errors + racing.timeouts,
        after.answered,
        after.refused,
        after.connection_errors + after.timeouts,
        probe.accepted_before,
        probe.refused
    );

    // --- Targets -------------------------------------------------------------------------
    let mut missed = Vec::new();
    let all_groups = [&stats.soak, &stats.in_flight, &stats.racing, &stats.after];
    let total = |f: fn(&Tally) -> u64| all_groups.iter().map(|t| f(t)).sum::<u64>();
    if total(|t| t.server_errors) > 0 {
        missed.push(format!("5xx: {}", total(|t| t.server_errors)));
    }
    if total(|t| t.mismatches) > 0 {
        missed.push(format!("body mismatches: {}", total(|t| t.mismatches)));
    }
    if total(|t| t.lost_sessions) > 0 {
        missed.push(format!(
            "lost session updates: {}",
            total(|t| t.lost_sessions)
        ));
    }
    if growth >= 10.0 && !args.rss_report_only {
        missed.push(format!("RSS growth {growth:+.1} % (target < 10 %)"));
    }
    if flight.ok != in_flight_total {
        missed.push(format!(
            "in-flight requests without their normal answer: {}",
            in_flight_total - flight.ok
        ));
    }
    if probe.refused_after.is_none() || probe.accepted_after_refusal > 0 {
        missed.push("new connections were not refused after SIGTERM".into());
    }
    match exit_status {
        Some(_) if exit_time > GRACE => missed.push(format!(
            "exit after {:.2} s, beyond the {} s grace period",
            exit_time.as_secs_f64(),
            GRACE.as_secs()
        )),
        Some(st) if !st.success() => missed.push(format!("exit status {st}")),
        Some(_) => {}
        None => missed.push("no exit at shutdown (hang)".into()),
    }

    for l in &lines {
        println!("{l}");
    }
    println!("{detail}");
    println!("RSS at rest (MiB): {trend}");
    let mut per_op = String::new();
    for (op, n) in &s.per_op {
        let _ = write!(
            per_op,
            "{}{op} {n}",
            if per_op.is_empty() { "" } else { ", " }
        );
    }
    println!("mix: {per_op}");
    for (name, tally) in [
        ("soak", &stats.soak),
        ("in flight", &stats.in_flight),
        ("racing", &stats.racing),
        ("after SIGTERM", &stats.after),
    ] {
        for e in &tally.examples {
            println!("  {name}: {e}");
        }
    }
    println!("summary: {}", lines.join(" · "));
    if missed.is_empty() {
        println!("targets: all met");
    } else {
        println!("targets MISSED: {}", missed.join("; "));
    }
    if args.keep || !missed.is_empty() {
        let kept = tmp.keep();
        println!("kept {} (seed_app.log, soak.sqlite3)", kept.display());
    }
    Ok(missed.is_empty())
}
