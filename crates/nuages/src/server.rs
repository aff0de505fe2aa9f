//! An HTTP/1.1 and HTTP/2 (cleartext, prior knowledge) server for an [`App`], on hyper-util,
//! that a hostile client cannot exhaust: every wait has a timeout and every buffer a limit
//! ([`Limits`]), the request head is checked the way gunicorn (the server Django runs under in
//! the reference deployment) checks it, graceful shutdown on Ctrl-C/SIGTERM lets in-flight
//! requests finish, and an optional development log writes one line per request in
//! `manage.py runserver`'s format.
//!
//! ```no_run
//! # async fn run(app: nuages::App) -> std::io::Result<()> {
//! nuages::server::Server::bind("127.0.0.1:8000").await?.dev_log(true).serve(app).await
//! # }
//! ```
//!
//! | limit | default | answer |
//! |---|---|---|
//! | [`Limits::max_connections`] | 1,000 | further connections wait in the listen backlog |
//! | [`Limits::max_requests_per_connection`] | unlimited | the last response closes the connection (HTTP/2: GOAWAY) |
//! | [`Limits::keep_alive_timeout`] | 15 s | an idle connection is closed |
//! | [`Limits::header_read_timeout`] | 30 s | `408 Request Timeout`, connection closed |
//! | [`Limits::body_read_timeout`] | 30 s without a byte | `408 Request Timeout`, connection closed |
//! | [`Limits::min_body_rate`] | 512 bytes/s (after 5 s) | `408 Request Timeout`, connection closed |
//! | [`Limits::max_header_size`] | 64 KiB for the whole head | `431 Request Header Fields Too Large` |
//! | [`Limits::max_headers`] | 100 header lines | `431 Request Header Fields Too Large` |
//! | [`Limits::max_field_size`] | 8,190 bytes per header line | `431 Request Header Fields Too Large` |
//! | [`Limits::max_request_line`] | 4,094 bytes | `414 URI Too Long` |
//! | [`Limits::http2_max_concurrent_streams`] | 200 | streams over it are refused |
//! | [`Limits::http2_max_pending_accept_reset_streams`] | 20 | rapid-reset flood: GOAWAY |
//! | [`Limits::http2_max_local_error_reset_streams`] | 1,024 | GOAWAY |
//! | [`Limits::http2_initial_stream_window`] / [`Limits::http2_initial_connection_window`] | 1 MiB / 1 MiB | flow control |
//!
//! Request bodies are further bounded by the application's `DATA_UPLOAD_MAX_MEMORY_SIZE` and
//! related settings (see [`Settings`](crate::Settings)). HTTP/2 header blocks, CONTINUATION
//! frames included, count against [`Limits::max_header_size`].
//!
//! What the server refuses before the application sees a request, as gunicorn does (with
//! gunicorn's error page): request lines over the limit; methods with lower-case letters, `#`
//! or outside 3–20 characters; request-targets with bytes outside printable ASCII, `*` other
//! than for OPTIONS, authority-form (`GET example.com HTTP/1.1`); `Host` or `Content-Type`
//! twice; `Expect` other than `100-continue` (417). hyper's parser refuses control characters,
//! obsolete line folding and malformed framing. Beyond gunicorn: an HTTP/1.1 request without `Host` is a 400 (RFC 9112
//! §3.2), an absolute-form target (`GET http://example.com/ HTTP/1.1`) is served with its
//! authority as the host (RFC 9112 §3.2.2, then checked against ALLOWED_HOSTS as any host), and
//! CONNECT gets 501. Differences that remain: hyper's URI parser refuses `"`, `<`, `>` and a
//! backtick in the request-target (gunicorn passes them on; browsers always percent-encode them),
//! a bare LF as line terminator is accepted (RFC 9112 §2.2 allows it; gunicorn refuses it), and
//! a `Content-Length` beside `Transfer-Encoding` is dropped and the connection closed after the
//! response (RFC 9112 §6.3; gunicorn answers 400).
//! Header names with `_` are dropped, as gunicorn and `runserver` drop them.

mod banner;
mod body;
mod dev_log;
mod head;
mod io;
mod per_core;
mod signal;

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::sync::Semaphore;

pub use self::banner::startup_banner;
pub use self::dev_log::runserver_log_line;
pub use self::per_core::PerCore;
pub use crate::http::body::BodyReadTimeout;

use self::body::{BodyTimeouts, ServedBody, TimedBody};
use self::dev_log::DevLog;
use self::head::{HeadLimits, Rejection};
use self::io::{Activity, ConnIo, IdleTimeouts};
use self::signal::{ConnSignal, OpenConnections};
use crate::http::body::{RequestBody, ResponseBody};
use crate::http::request::ServerInfo;
use crate::utils::log::log_message_escape;
use crate::App;

/// The server's limits and timeouts; every one has a safe default (see the module docs for the
/// table). `None` turns a limit off.
///
/// # Examples
/// ```
/// use std::time::Duration;
/// let limits = nuages::server::Limits {
///     max_connections: Some(10_000),
///     keep_alive_timeout: Some(Duration::from_secs(5)),
///     ..nuages::server::Limits::default()
/// };
/// assert_eq!(limits.max_request_line, 4094);
/// ```
#[derive(Debug, Clone)]
pub struct Limits {
    /// Most connections served at once; further connections wait, unaccepted, in the listen
    /// backlog (back-pressure: memory stays bounded). Default 1,000 (gunicorn's
    /// `worker_connections`).
    pub max_connections: Option<usize>,
    /// Most requests on one connection; the response to the last one closes it (HTTP/2: a
    /// GOAWAY). Default unlimited.
    pub max_requests_per_connection: Option<u64>,
    /// How long a connection may wait for a request, between requests or before the first one,
    /// before it is closed (default 15 s).
    pub keep_alive_timeout: Option<Duration>,
    /// How long a request head may take to arrive once it has started; then the client gets
    /// `408 Request Timeout` and the connection is closed (default 30 s).
    pub header_read_timeout: Option<Duration>,
    /// How long a request body may go without a byte (default 30 s); then `408 Request
    /// Timeout` and the connection is closed, whatever the view made of the error
    /// ([`BodyReadTimeout`]) its body read returned.
    pub body_read_timeout: Option<Duration>,
    /// The slowest request body accepted, in bytes per second, averaged over the time spent
    /// waiting for the client once that exceeds [`Limits::min_body_rate_grace`] (default 512):
    /// a body trickled in slower is answered like [`Limits::body_read_timeout`].
    pub min_body_rate: Option<u64>,
    /// How long the body rate is measured before [`Limits::min_body_rate`] applies (default
    /// 5 s).
    pub min_body_rate_grace: Duration,
    /// The largest request head, request line and headers together (default 64 KiB, at least
    /// 8 KiB); larger gets 431. Also HTTP/2's `SETTINGS_MAX_HEADER_LIST_SIZE`.
    pub max_header_size: usize,
    /// Most header lines in a request (default 100, gunicorn's `limit_request_fields`); more
    /// gets 431.
    pub max_headers: usize,
    /// The longest header line (default 8,190 bytes, gunicorn's `limit_request_field_size`);
    /// longer gets 431.
    pub max_field_size: usize,
    /// The longest request line (default 4,094 bytes, gunicorn's `limit_request_line`); longer
    /// gets 414.
    pub max_request_line: usize,
    /// HTTP/2: most concurrent streams per connection (default 200).
    pub http2_max_concurrent_streams: u32,
    /// HTTP/2: most streams reset by the client before the server accepted them (the
    /// "rapid reset" attack, CVE-2023-44487); more ends the connection (default 20).
    pub http2_max_pending_accept_reset_streams: usize,
    /// HTTP/2: most streams the server may reset because of client errors before it ends the
    /// connection (default 1,024).
    pub http2_max_local_error_reset_streams: usize,
    /// HTTP/2: the initial flow-control window of a stream (default 1 MiB).
    pub http2_initial_stream_window: u32,
    /// HTTP/2: the initial flow-control window of a connection (default 1 MiB).
    pub http2_initial_connection_window: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: Some(1000),
            max_requests_per_connection: None,
            keep_alive_timeout: Some(Duration::from_secs(15)),
            header_read_timeout: Some(Duration::from_secs(30)),
            body_read_timeout: Some(Duration::from_secs(30)),
            min_body_rate: Some(512),
            min_body_rate_grace: Duration::from_secs(5),
            max_header_size: 64 * 1024,
            max_headers: 100,
            max_field_size: head::DEFAULT_MAX_FIELD_SIZE,
            max_request_line: head::DEFAULT_MAX_REQUEST_LINE,
            http2_max_concurrent_streams: 200,
            http2_max_pending_accept_reset_streams: 20,
            http2_max_local_error_reset_streams: 1024,
            http2_initial_stream_window: 1 << 20,
            http2_initial_connection_window: 1 << 20,
        }
    }
}

/// Server options.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    /// `None`: on when the application's settings have `DEBUG`.
    dev_log: Option<bool>,
    /// `None`: on when the development log is.
    banner: Option<bool>,
    limits: Limits,
    title_case_headers: bool,
    shutdown_timeout: Duration,
}

impl Server {
    /// Binds a TCP listener.
    ///
    /// # Errors
    /// The bind error.
    pub async fn bind(addr: impl ToSocketAddrs) -> std::io::Result<Server> {
        Ok(Server::from_listener(TcpListener::bind(addr).await?))
    }

    /// Uses an existing listener.
    pub fn from_listener(listener: TcpListener) -> Server {
        Server {
            listener,
            dev_log: None,
            banner: None,
            limits: Limits::default(),
            title_case_headers: true,
            shutdown_timeout: Duration::from_secs(30),
        }
    }

    /// The bound address.
    ///
    /// # Errors
    /// The socket error.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Logs each request like `runserver`: `[21/Nov/2026 22:39:18] "GET /hello HTTP/1.1" 200 12`,
    /// on standard error. Off the request path: lines go through a bounded queue to a writer
    /// thread, and are counted, not waited for, when it falls behind.
    ///
    /// By default the log is on when the application's settings have `DEBUG` (as
    /// `manage.py runserver` is the development server) and off otherwise; this call decides
    /// either way.
    pub fn dev_log(mut self, on: bool) -> Self {
        self.dev_log = Some(on);
        self
    }

    /// Prints `runserver`'s start-up banner on standard error when serving starts:
    /// "Performing system checks..." and their report ([`App::system_check_report`]), then
    /// [`startup_banner`] (the date, the version and the main settings, the address, how to
    /// quit, and a warning when DEBUG is on). By default it is printed when the development log
    /// is on ([`Server::dev_log`]).
    pub fn banner(mut self, on: bool) -> Self {
        self.banner = Some(on);
        self
    }

    /// Replaces all limits and timeouts.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// How long a request head may take to arrive ([`Limits::header_read_timeout`]).
    pub fn header_read_timeout(mut self, t: Duration) -> Self {
        self.limits.header_read_timeout = Some(t);
        self
    }

    /// The largest request head accepted ([`Limits::max_header_size`], at least 8 KiB).
    pub fn max_header_size(mut self, bytes: usize) -> Self {
        self.limits.max_header_size = bytes;
        self
    }

    /// How long in-flight requests may take to finish after a shutdown signal (default 30 s).
    pub fn shutdown_timeout(mut self, t: Duration) -> Self {
        self.shutdown_timeout = t;
        self
    }

    /// Whether HTTP/1.1 responses spell header names in Title-Case (`Content-Type`,
    /// `X-Frame-Options`), as Django's own headers are written under gunicorn; on by default.
    /// `http::HeaderMap` keeps names lower-cased, so without it they are sent as `content-type`
    /// (equivalent for every client: names are case-insensitive). HTTP/2 always sends lower
    /// case, as the protocol requires.
    pub fn title_case_headers(mut self, on: bool) -> Self {
        self.title_case_headers = on;
        self
    }

    /// Serves until Ctrl-C or SIGTERM, then shuts down gracefully.
    ///
    /// # Errors
    /// Listener errors (accept errors on single connections are logged and skipped).
    pub async fn serve(self, app: App) -> std::io::Result<()> {
        self.serve_with_shutdown(app, shutdown_signal()).await
    }

    /// Serves until `signal` completes, then stops accepting, lets open requests finish (up to
    /// the shutdown timeout) and returns.
    ///
    /// # Errors
    /// Listener errors.
    pub async fn serve_with_shutdown(
        self,
        app: App,
        signal: impl Future<Output = ()>,
    ) -> std::io::Result<()> {
        let local = self.listener.local_addr()?;
        let dev_log = self.dev_log.unwrap_or(app.settings().debug);
        if self.banner.unwrap_or(dev_log) {
            // runserver: "Performing system checks...", the checks' report, then the banner.
            eprint!(
                "Performing system checks...\n\n{}\n",
                app.system_check_report()
            );
            let now = chrono::Local::now().naive_local();
            eprint!("{}", startup_banner(app.settings(), local, now));
        }
        let shared = Arc::new(Shared::new(
            &self.limits,
            self.title_case_headers,
            dev_log,
            app,
            local,
        ));
        let permits = self.limits.max_connections.unwrap_or(1 << 30).max(1);
        let slots = Arc::new(Semaphore::new(permits));
        let open = Arc::new(OpenConnections::default());
        let mut signal = pin!(signal);
        loop {
            let permit = match slots.clone().try_acquire_owned() {
                Ok(p) => p,
                Err(_) => {
                    tracing::warn!(
                        target: "nuages::server",
                        "{permits} connections open (Limits::max_connections): new connections wait"
                    );
                    tokio::select! {
                        p = slots.clone().acquire_owned() => match p {
                            Ok(p) => p,
                            Err(_) => break,
                        },
                        () = &mut signal => break,
                    }
                }
            };
            let (stream, peer) = tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok(x) => x,
                    Err(e) => {
                        tracing::warn!(target: "nuages::server", "accept error: {e}");
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                },
                () = &mut signal => break,
            };
            let _ = stream.set_nodelay(true);
            let shared = shared.clone();
            // Registered here, before the shutdown below can run: no connection misses it.
            let registered = open.register();
            tokio::spawn(async move {
                let _permit = permit;
                shared
                    .serve_connection(stream, peer, Arc::clone(&registered.signal))
                    .await;
                drop(registered);
            });
        }
        tracing::info!(target: "nuages::server", "shutting down: waiting for open requests");
        drop(self.listener);
        open.stop_all();
        let all = u32::try_from(permits).unwrap_or(u32::MAX);
        if tokio::time::timeout(self.shutdown_timeout, slots.acquire_many(all))
            .await
            .is_err()
        {
            tracing::warn!(target: "nuages::server", "shutdown timeout: closing remaining connections");
        }
        Ok(())
    }
}

/// Serves one connection, from any byte stream, as [`Server`] serves each connection it
/// accepts: the request-head checks, `limits` (but [`Limits::max_connections`], which is the
/// accept loop's), HTTP/1.1 and HTTP/2. For tests, fuzzing and accept loops of one's own
/// (TLS, Unix sockets); `local` and `peer` are the addresses the request reports.
///
/// # Examples
/// ```
/// # async fn run(app: nuages::App) {
/// let (client, server) = tokio::io::duplex(64 * 1024);
/// let local = "127.0.0.1:8000".parse().unwrap();
/// let peer = "127.0.0.1:50000".parse().unwrap();
/// tokio::spawn(nuages::server::serve_connection(app, nuages::server::Limits::default(), server, local, peer));
/// # drop(client);
/// # }
/// ```
pub async fn serve_connection<T>(
    app: App,
    limits: Limits,
    io: T,
    local: SocketAddr,
    peer: SocketAddr,
) where
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let shared = Arc::new(Shared::new(&limits, true, false, app, local));
    shared
        .serve_connection(io, peer, Arc::new(ConnSignal::default()))
        .await;
}

/// hyper's HTTP/1 header-line limit when none is configured (its `DEFAULT_MAX_HEADERS`).
const HYPER_MAX_HEADERS: usize = 100;

/// What every connection of a server shares.
struct Shared {
    app: App,
    builder: auto::Builder<TokioExecutor>,
    info: Arc<ServerInfo>,
    head: HeadLimits,
    idle: IdleTimeouts,
    body: BodyTimeouts,
    max_requests: Option<u64>,
    dev_log: Option<DevLog>,
}

impl Shared {
    fn new(
        limits: &Limits,
        title_case_headers: bool,
        dev_log: bool,
        app: App,
        local: SocketAddr,
    ) -> Shared {
        let mut builder = auto::Builder::new(TokioExecutor::new());
        builder
            .http1()
            .timer(TokioTimer::new())
            // The header-read timeout is kept by `ConnIo`, which answers 408.
            .header_read_timeout(None)
            .max_buf_size(limits.max_header_size.max(8192))
            .title_case_headers(title_case_headers)
            // A client may close its side once its request is sent (`nc -N`, health
            // checkers): the response is still written, as gunicorn writes it.
            .half_close(true)
            .keep_alive(true);
        // hyper's own limit is 100 header lines, kept in a stack array; any explicit
        // `max_headers`, even 100, makes it initialise a buffer of that many entries per request.
        if limits.max_headers != HYPER_MAX_HEADERS {
            builder.http1().max_headers(limits.max_headers);
        }
        builder
            .http2()
            .timer(TokioTimer::new())
            .max_header_list_size(u32::try_from(limits.max_header_size).unwrap_or(u32::MAX))
            .max_concurrent_streams(limits.http2_max_concurrent_streams)
            .max_pending_accept_reset_streams(limits.http2_max_pending_accept_reset_streams)
            .max_local_error_reset_streams(limits.http2_max_local_error_reset_streams)
            .initial_stream_window_size(limits.http2_initial_stream_window)
            .initial_connection_window_size(limits.http2_initial_connection_window);
        Shared {
            app,
            builder,
            info: Arc::new(ServerInfo {
                name: local.ip().to_string().into(),
                port: local.port().to_string().into(),
                tls: false,
            }),
            head: HeadLimits {
                max_request_line: limits.max_request_line,
                max_field_size: limits.max_field_size,
                tls: false,
            },
            idle: IdleTimeouts {
                keep_alive: limits.keep_alive_timeout,
                header_read: limits.header_read_timeout,
            },
            body: BodyTimeouts {
                idle: limits.body_read_timeout,
                min_rate: limits.min_body_rate,
                grace: limits.min_body_rate_grace,
            },
            max_requests: limits.max_requests_per_connection,
            dev_log: dev_log.then(DevLog::start),
        }
    }

    /// Serves one connection until it closes, or until `signal` is raised (then gracefully).
    async fn serve_connection<T>(
        self: Arc<Self>,
        stream: T,
        peer: SocketAddr,
        signal: Arc<ConnSignal>,
    ) where
        T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let activity = Activity::new();
        let io = TokioIo::new(ConnIo::new(stream, activity.clone(), self.idle));
        let shared = self.clone();
        let closing = Arc::clone(&signal);
        let service = hyper::service::service_fn(move |req: http::Request<Incoming>| {
            let shared = shared.clone();
            let activity = activity.clone();
            let closing = closing.clone();
            async move {
                let (in_flight, before) = activity.begin();
                let last = shared.max_requests.is_some_and(|max| before + 1 >= max);
                let http1 = req.version() <= http::Version::HTTP_11;
                let (mut response, close) = shared.handle(req, peer).await;
                if last && http1 {
                    // Tell the client; hyper then closes after this response.
                    response.headers_mut().insert(
                        http::header::CONNECTION,
                        http::HeaderValue::from_static("close"),
                    );
                }
                if last || close {
                    closing.close();
                }
                Ok::<_, Infallible>(response.map(|b| ServedBody::new(b, in_flight)))
            }
        });
        let conn = self.builder.serve_connection_with_upgrades(io, service);
        let conn = pin!(conn);
        let result = signal::drive(conn, &signal, |conn| conn.graceful_shutdown()).await;
        if let Err(e) = result {
            log_connection_error(peer, &*e);
        }
    }

    /// Answers one request: the head checks, the application, the body-timeout answer and the
    /// development log line. Returns whether the connection must close after the response (a
    /// refused head, a body that timed out).
    async fn handle(
        &self,
        req: http::Request<Incoming>,
        peer: SocketAddr,
    ) -> (http::Response<ResponseBody>, bool) {
        let (mut parts, body) = req.into_parts();
        if let Err(rejection) = head::check(&mut parts, &self.head) {
            tracing::warn!(
                target: "nuages::server",
                "{peer}: {} {}",
                rejection.status.as_u16(),
                log_message_escape(&rejection.message)
            );
            return (rejection.response().map(ResponseBody::full), true);
        }
        let log = self
            .dev_log
            .as_ref()
            .map(|log| (log, parts.method.clone(), parts.uri.clone(), parts.version));
        // Only a request with a body can time out reading it (and pays for the flag).
        let (body, timed_out) = if http_body::Body::is_end_stream(&body) {
            (RequestBody::from(body), None)
        } else {
            let flag = Arc::new(AtomicBool::new(false));
            let timed = TimedBody::new(body, self.body, flag.clone());
            (RequestBody::new(timed), Some(flag))
        };
        let request = self
            .app
            .request_from(parts, body, Some(peer), self.info.clone());
        let mut response = self.app.handle(request).await.into_http();
        let timed_out = timed_out.is_some_and(|flag| flag.load(Ordering::Acquire));
        // A view that returned the body error with `?` has answered 408 already (and logged
        // it); one that went on gets the 408 it owes.
        if timed_out && response.status() != http::StatusCode::REQUEST_TIMEOUT {
            let rejection = Rejection::timeout();
            tracing::warn!(target: "nuages::server", "{peer}: 408 {}", &rejection.message);
            response = rejection.response().map(ResponseBody::full);
        }
        if let Some((dev_log, method, uri, version)) = log {
            let size = http_body::Body::size_hint(response.body()).exact();
            let path = uri.path_and_query().map_or("/", |p| p.as_str());
            dev_log.write(runserver_log_line(
                &method,
                path,
                version,
                response.status().as_u16(),
                size,
                chrono::Utc::now(),
            ));
        }
        (response, timed_out)
    }
}

/// One log line for a connection that ended in error: a refused head or a timeout at WARN, a
/// client going away at DEBUG.
fn log_connection_error(peer: SocketAddr, e: &(dyn std::error::Error + 'static)) {
    let refused = e
        .downcast_ref::<hyper::Error>()
        .is_some_and(|h| h.is_parse() || h.is_parse_too_large() || h.is_timeout());
    let text = e.to_string();
    let text = log_message_escape(&text);
    if refused {
        tracing::warn!(target: "nuages::server", "{peer}: request refused: {text}");
    } else {
        tracing::debug!(target: "nuages::server", "{peer}: connection error: {text}");
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// Serves `app` on `listener` until Ctrl-C/SIGTERM (like `axum::serve`).
///
/// # Errors
/// Listener errors.
pub async fn serve(listener: TcpListener, app: App) -> std::io::Result<()> {
    Server::from_listener(listener).serve(app).await
}
