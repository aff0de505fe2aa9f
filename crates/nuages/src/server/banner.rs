//! The start-up banner of `manage.py runserver` (`django/core/management/commands/runserver.py`,
//! `inner_run`): the date, the version and settings, the address, how to quit.

use std::fmt::Write as _;
use std::net::SocketAddr;

use crate::conf::Settings;

/// The banner [`Server::serve`](super::Server::serve) prints on standard error when
/// [`Server::banner`](super::Server::banner) is on: `runserver`'s lines, with the settings a
/// nuages application is configured by instead of the settings module, and a warning when
/// DEBUG is on. `now` is the date line's time (local time in `runserver`).
///
/// # Examples
/// ```
/// use nuages::server::startup_banner;
/// let settings = nuages::Settings { debug: true, ..Default::default() };
/// let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap().and_hms_opt(15, 4, 5).unwrap();
/// let text = startup_banner(&settings, "127.0.0.1:8000".parse().unwrap(), now);
/// assert!(text.starts_with("December 02, 2026 - 15:04:05\n"));
/// assert!(text.contains("Starting development server at http://127.0.0.1:8000/\n"));
/// assert!(text.contains("Quit the server with CONTROL-C.\n"));
/// assert!(text.contains("DEBUG is on: do not use in production."));
/// ```
pub fn startup_banner(settings: &Settings, addr: SocketAddr, now: chrono::NaiveDateTime) -> String {
    let mut out = String::with_capacity(512);
    // runserver: `datetime.now().strftime("%B %d, %Y - %X")`.
    let _ = writeln!(out, "{}", now.format("%B %d, %Y - %H:%M:%S"));
    let _ = writeln!(
        out,
        "nuages version {}, using settings DEBUG={}, SESSION_ENGINE={}, ALLOWED_HOSTS={}",
        env!("CARGO_PKG_VERSION"),
        if settings.debug { "True" } else { "False" },
        settings.session_engine.django_name(),
        allowed_hosts(settings),
    );
    // runserver writes an IPv6 address in brackets: `http://[::1]:8000/`.
    let _ = writeln!(out, "Starting development server at http://{addr}/");
    out.push_str("Quit the server with CONTROL-C.\n");
    if settings.debug {
        out.push_str(
            "\nWARNING: DEBUG is on: do not use in production. Error pages show the request \
             and the settings (secrets masked); set Settings::debug to false (NUAGES_DEBUG=0) \
             to serve the standard pages.\n",
        );
    }
    out
}

/// ALLOWED_HOSTS as Python prints the list, with the hosts DEBUG allows when it is empty.
fn allowed_hosts(settings: &Settings) -> String {
    if settings.allowed_hosts.is_empty() {
        return if settings.debug {
            "[] (DEBUG: '.localhost', '127.0.0.1', '[::1]')".to_owned()
        } else {
            "[] (no host is allowed)".to_owned()
        };
    }
    let quoted: Vec<String> = settings
        .allowed_hosts
        .iter()
        .map(|h| nuages_py::repr::str_repr(h))
        .collect();
    format!("[{}]", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 1, 9)
            .and_then(|d| d.and_hms_opt(8, 7, 6))
            .expect("a valid date")
    }

    #[test]
    fn production_banner_has_no_debug_warning() {
        let settings = Settings {
            secret_key: "k".into(),
            allowed_hosts: vec!["example.com".into(), ".b.org".into()],
            ..Settings::default()
        };
        let text = startup_banner(&settings, "[::1]:8080".parse().expect("addr"), at());
        let version = env!("CARGO_PKG_VERSION");
        assert_eq!(
            text,
            format!(
                "January 09, 2026 - 08:07:06\n\
                 nuages version {version}, using settings DEBUG=False, \
                 SESSION_ENGINE=django.contrib.sessions.backends.db, \
                 ALLOWED_HOSTS=['example.com', '.b.org']\n\
                 Starting development server at http://[::1]:8080/\n\
                 Quit the server with CONTROL-C.\n"
            )
        );
    }

    #[test]
    fn debug_banner_warns() {
        let settings = Settings {
            debug: true,
            ..Settings::default()
        };
        let text = startup_banner(&settings, "127.0.0.1:8000".parse().expect("addr"), at());
        assert!(text.contains("DEBUG=True"), "{text}");
        assert!(
            text.contains("ALLOWED_HOSTS=[] (DEBUG: '.localhost'"),
            "{text}"
        );
        assert!(
            text.ends_with(
                "Quit the server with CONTROL-C.\n\nWARNING: DEBUG is on: do not use in \
                 production. Error pages show the request and the settings (secrets masked); \
                 set Settings::debug to false (NUAGES_DEBUG=0) to serve the standard pages.\n"
            ),
            "{text}"
        );
    }
}
