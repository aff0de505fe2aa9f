//! The development server's request log: one line per request in `manage.py runserver`'s
//! format, written to standard error by a thread of its own.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::Arc;

/// Lines waiting for the terminal at most; beyond, lines are counted and reported as dropped.
const QUEUE: usize = 8192;

/// The development log: `runserver`'s lines on standard error, written by a thread of their
/// own so that a slow terminal never slows requests down (and with no `tracing` subscriber
/// needed). The queue is bounded: when the terminal cannot keep up, lines are dropped and the
/// writer says how many (`[dev log: 12 lines dropped]`), so memory stays bounded.
#[derive(Debug)]
pub(crate) struct DevLog {
    lines: SyncSender<String>,
    dropped: Arc<AtomicU64>,
}

impl DevLog {
    pub(crate) fn start() -> DevLog {
        let (lines, incoming) = sync_channel::<String>(QUEUE);
        let dropped = Arc::new(AtomicU64::new(0));
        let counted = dropped.clone();
        let spawned = std::thread::Builder::new()
            .name("nuages-dev-log".into())
            .spawn(move || write_lines(&incoming, &counted));
        if let Err(e) = spawned {
            tracing::warn!(target: "nuages::server", "no development log: {e}");
        }
        DevLog { lines, dropped }
    }

    pub(crate) fn write(&self, line: String) {
        match self.lines.try_send(line) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
            }
            // The thread only stops with the process (or never started: logged at start).
            Err(TrySendError::Disconnected(_)) => {}
        }
    }
}

/// The writer thread: each batch of waiting lines in one write, then the count of lines
/// dropped meanwhile.
fn write_lines(incoming: &Receiver<String>, dropped: &AtomicU64) {
    use std::io::Write;
    let stderr = std::io::stderr();
    while let Ok(line) = incoming.recv() {
        let mut out = std::io::BufWriter::new(stderr.lock());
        let _ = writeln!(out, "{line}");
        while let Ok(line) = incoming.try_recv() {
            let _ = writeln!(out, "{line}");
        }
        let lost = dropped.swap(0, Ordering::Relaxed);
        if lost > 0 {
            let _ = writeln!(out, "[dev log: {lost} lines dropped]");
        }
        let _ = out.flush();
    }
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
    let path = crate::utils::log::log_message_escape(path);
    format!(
        "[{}] \"{method} {path} {version:?}\" {status} {size}",
        at.format("%d/%b/%Y %H:%M:%S")
    )
}
