//! The development server's request log: one line per request in `manage.py runserver`'s
//! format, written to standard error by a thread of its own.

/// The development log: `runserver`'s lines on standard error, written by a thread of their
/// own so that a slow terminal never slows requests down (and with no `tracing` subscriber
/// needed).
#[derive(Debug)]
pub(crate) struct DevLog {
    lines: std::sync::mpsc::Sender<String>,
}

impl DevLog {
    pub(crate) fn start() -> DevLog {
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

    pub(crate) fn write(&self, line: String) {
        // The thread only stops with the process; a send cannot fail before that.
        let _ = self.lines.send(line);
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
    let path = escape_control_characters(path);
    format!(
        "[{}] \"{method} {path} {version:?}\" {status} {size}",
        at.format("%d/%b/%Y %H:%M:%S")
    )
}

/// `http.server`'s log escaping (`BaseHTTPRequestHandler._control_char_table`): C0 controls,
/// DEL and C1 controls become `\xNN`, so that a request can never forge or split a log line.
///
/// # Examples
/// ```
/// assert_eq!(nuages::server::escape_control_characters("/a\r\nb\u{7f}"), r"/a\x0d\x0ab\x7f");
/// ```
pub fn escape_control_characters(text: &str) -> std::borrow::Cow<'_, str> {
    let control = |c: char| c < ' ' || ('\u{7f}'..'\u{a0}').contains(&c);
    if !text.contains(control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if control(c) {
            out.push_str(&format!("\\x{:02x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}
