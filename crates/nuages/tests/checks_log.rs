//! The start-up log of the system checks: `App::builder().build()` logs their report once,
//! in `runserver`'s format, and nothing when there is nothing to say.
//!
//! A test binary of its own, with one test: `tracing` caches per call site whether anyone
//! listens, and a test building an app on another thread without a subscriber can make the
//! `warn!` call site look unheard while this test's thread-local subscriber is set.

use std::io::Write;
use std::sync::{Arc, Mutex};

use nuages::urls::{path, UrlEntry};
use nuages::{App, HttpRequest, HttpResponse, Settings};

fn dev() -> Settings {
    Settings {
        debug: true,
        ..Settings::default()
    }
}

async fn ok(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("ok")
}

/// A `tracing` writer that keeps what is written.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// Builds an app with `urls` under a subscriber capturing the log.
fn build_logged(settings: Settings, urls: Vec<UrlEntry>) -> String {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::TRACE)
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        App::builder()
            .settings(settings)
            .urls(urls)
            .build()
            .unwrap();
    });
    captured.text()
}

#[test]
fn warnings_are_logged_once_like_runserver() {
    let log = build_logged(
        dev(),
        vec![
            path("b/", ok).name("x"),
            path("/a/", ok),
            path("c/", ok).name("x"),
        ],
    );
    assert_eq!(
        log.matches("System check identified some issues:").count(),
        1,
        "{log}"
    );
    assert!(log.contains(" WARN nuages::checks: "), "{log}");
    // Sorted within the group, as Django prints them.
    assert!(
        log.contains(
            "System check identified some issues:\n\nWARNINGS:\n\
             ?: (urls.W002) Your URL pattern '/a/' has a route beginning with a '/'. Remove this \
             slash as it is unnecessary. If this pattern is targeted in an include(), ensure the \
             include() pattern has a trailing '/'.\n\
             ?: (urls.W900) URL name 'x' is used by 'b/' and again by 'c/', which takes the same \
             arguments: reverse() always finds the later pattern, so 'b/' can never be \
             reversed.\n\tHINT: Rename one of them or remove the duplicate.\n\n\
             System check identified 2 issues (0 silenced)."
        ),
        "{log}"
    );
    // Nothing to say, nothing logged; all silenced, nothing logged.
    assert_eq!(build_logged(dev(), vec![path("a/", ok)]), "");
    let quiet = Settings {
        silenced_system_checks: vec!["urls.W002".into()],
        ..dev()
    };
    assert_eq!(build_logged(quiet, vec![path("/a/", ok)]), "");
}
