//! An HTTP/1.1 and HTTP/2 (cleartext, prior knowledge) server for an [`App`], on hyper-util:
//! keep-alive, a header-read timeout, a maximum header size, graceful shutdown on Ctrl-C/SIGTERM
//! that lets in-flight requests finish, and an optional development log line per request in
//! `manage.py runserver`'s format.
//!
//! ```no_run
//! # async fn run(app: nuages::App) -> std::io::Result<()> {
//! nuages::server::Server::bind("127.0.0.1:8000").await?.dev_log(true).serve(app).await
//! # }
//! ```

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::net::{TcpListener, ToSocketAddrs};

use crate::http::body::{RequestBody, ResponseBody};
use crate::http::request::ServerInfo;
use crate::App;

/// Server options.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    dev_log: bool,
    header_read_timeout: Duration,
    max_header_size: usize,
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
            dev_log: false,
            header_read_timeout: Duration::from_secs(30),
            max_header_size: 64 * 1024,
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

    /// Logs each request like `runserver`: `[21/Nov/2026 22:39:18] "GET /hello HTTP/1.1" 200 12`
    /// (as a `tracing` event at INFO level, target `nuages::server`).
    pub fn dev_log(mut self, on: bool) -> Self {
        self.dev_log = on;
        self
    }

    /// How long a client may take to send the request headers (default 30 s); then the
    /// connection is closed.
    pub fn header_read_timeout(mut self, t: Duration) -> Self {
        self.header_read_timeout = t;
        self
    }

    /// The largest request head accepted (default 64 KiB, at least 8 KiB); larger gets 431.
    pub fn max_header_size(mut self, bytes: usize) -> Self {
        self.max_header_size = bytes.max(8192);
        self
    }

    /// How long in-flight requests may take to finish after a shutdown signal (default 30 s).
    pub fn shutdown_timeout(mut self, t: Duration) -> Self {
        self.shutdown_timeout = t;
        self
    }

    /// Serves until Ctrl-C or SIGTERM, then shuts down gracefully.
    ///
    /// # Errors
    /// Listener errors (accept errors on single connections are logged and skipped).
    pub async fn serve(self, app: App) -> std::io::Result<()> {
        self.serve_with_shutdown(app, shutdown_signal()).await
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
        let server_info = Arc::new(ServerInfo {
            name: local.ip().to_string().into(),
            port: local.port().to_string().into(),
            tls: false,
        });
        let mut builder = auto::Builder::new(TokioExecutor::new());
        builder
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(self.header_read_timeout)
            .max_buf_size(self.max_header_size)
            .title_case_headers(self.title_case_headers)
            .keep_alive(true);
        builder
            .http2()
            .timer(TokioTimer::new())
            .max_header_list_size(self.max_header_size as u32);
        let builder = Arc::new(builder);
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let mut signal = pin!(signal);
        let dev_log = self.dev_log.then(DevLog::start).map(Arc::new);
        loop {
            tokio::select! {
                accepted = self.listener.accept() => {
                    let (stream, peer) = match accepted {
                        Ok(x) => x,
                        Err(e) => {
                            tracing::warn!(target: "nuages::server", "accept error: {e}");
                            tokio::time::sleep(Duration::from_millis(10)).await;
                            continue;
                        }
                    };
                    let _ = stream.set_nodelay(true);
                    let app = app.clone();
                    let info = server_info.clone();
                    let log = dev_log.clone();
                    let service = hyper::service::service_fn(move |req: http::Request<Incoming>| {
                        let app = app.clone();
                        let info = info.clone();
                        let log = log.clone();
                        async move { Ok::<_, Infallible>(handle(app, req, peer, info, log.as_deref()).await) }
                    });
                    let conn = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
                    let conn = graceful.watch(conn.into_owned());
                    tokio::spawn(async move {
                        if let Err(e) = conn.await {
                            tracing::debug!(target: "nuages::server", "connection error: {e}");
                        }
                    });
                }
                () = &mut signal => {
                    tracing::info!(target: "nuages::server", "shutting down: waiting for open requests");
                    break;
                }
            }
        }
        drop(self.listener);
        if tokio::time::timeout(self.shutdown_timeout, graceful.shutdown())
            .await
            .is_err()
        {
            tracing::warn!(target: "nuages::server", "shutdown timeout: closing remaining connections");
        }
        Ok(())
    }
}

/// The development log: `runserver`'s lines on standard error, written by a thread of their
/// own so that a slow terminal never slows requests down (and with no `tracing` subscriber
/// needed).
#[derive(Debug)]
struct DevLog {
    lines: std::sync::mpsc::Sender<String>,
}

impl DevLog {
    fn start() -> DevLog {
        let (lines, incoming) = std::sync::mpsc::channel::<String>();
        let spawned = std::thread::Builder::new()
            .name("nuages-dev-log".into())
            .spawn(move || {
                use std::io::Write;
                let stderr = std::io::stderr();
                while let Ok(line) = incoming.recv() {
                    let mut out = std::io::BufWriter::new(stderr.lock());
                    let _ = writeln!(out, "{line}");
                    // Whatever else is waiting goes out in the same write.
                    while let Ok(line) = incoming.try_recv() {
                        let _ = writeln!(out, "{line}");
                    }
                    let _ = out.flush();
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(target: "nuages::server", "no development log: {e}");
        }
        DevLog { lines }
    }

    fn write(&self, line: String) {
        // The thread only stops with the process; a send cannot fail before that.
        let _ = self.lines.send(line);
    }
}

async fn handle(
    app: App,
    req: http::Request<Incoming>,
    peer: SocketAddr,
    info: Arc<ServerInfo>,
    dev_log: Option<&DevLog>,
) -> http::Response<ResponseBody> {
    let (parts, body) = req.into_parts();
    let log = dev_log.map(|log| (log, parts.method.clone(), parts.uri.clone(), parts.version));
    let mut request = app.request(parts, RequestBody::from(body));
    request.set_remote_addr(Some(peer));
    request.set_server(info);
    let response = app.handle(request).await.into_http();
    if let Some((dev_log, method, uri, version)) = log {
        let size = http_body::Body::size_hint(response.body()).exact();
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        let line = runserver_log_line(
            &method,
            path,
            version,
            response.status().as_u16(),
            size,
            chrono::Utc::now(),
        );
        dev_log.write(line);
    }
    response
}

/// One request in `manage.py runserver`'s format:
/// `[21/Nov/2026 22:39:18] "GET /hello HTTP/1.1" 200 12` (`-` when the size is not known in
/// advance, e.g. a stream).
///
/// # Examples
/// ```
/// use chrono::TimeZone;
/// let at = chrono::Utc.with_ymd_and_hms(2026, 11, 21, 22, 39, 18).unwrap();
/// let line = nuages::server::runserver_log_line(&http::Method::GET, "/hello", http::Version::HTTP_11, 200, Some(12), at);
/// assert_eq!(line, r#"[21/Nov/2026 22:39:18] "GET /hello HTTP/1.1" 200 12"#);
/// ```
pub fn runserver_log_line(
    method: &http::Method,
    path: &str,
    version: http::Version,
    status: u16,
    size: Option<u64>,
    at: chrono::DateTime<chrono::Utc>,
) -> String {
    let size = size.map_or_else(|| "-".to_owned(), |n| n.to_string());
    format!(
        "[{}] \"{method} {path} {version:?}\" {status} {size}",
        at.format("%d/%b/%Y %H:%M:%S")
    )
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
