//! `PerCore`: one current-thread runtime per listener, all on one port (`SO_REUSEPORT`).

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use nuages::server::PerCore;
use nuages::urls::path;
use nuages::{App, HttpRequest, HttpResponse, Settings};

async fn whoami(_req: HttpRequest) -> HttpResponse {
    let name = std::thread::current().name().unwrap_or("?").to_owned();
    HttpResponse::new(name).with_content_type("text/plain")
}

fn app() -> App {
    App::builder()
        .settings(Settings {
            allowed_hosts: vec!["127.0.0.1".into()],
            secret_key: "test".into(),
            ..Settings::default()
        })
        .urls([path("whoami", whoami)])
        .build()
        .unwrap()
}

fn get(addr: std::net::SocketAddr) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"GET /whoami HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn every_listener_serves_and_all_stop_on_the_signal() {
    let per_core = PerCore::bind("127.0.0.1:0".parse().unwrap(), 2).unwrap();
    let addr = per_core.local_addr();
    assert_ne!(addr.port(), 0);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = std::thread::spawn(move || {
        per_core.serve_with_shutdown(app(), |server| server.dev_log(false), async {
            let _ = stopped.await;
        })
    });
    let mut threads = HashSet::new();
    for _ in 0..64 {
        let response = get(addr);
        assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
        let body = response.rsplit("\r\n\r\n").next().unwrap().to_owned();
        assert!(body.starts_with("nuages-"), "{body}");
        threads.insert(body);
    }
    // The kernel spreads connections over both listeners (by the client port's hash: 64
    // connections all on one of two listeners would be a 2^-63 chance).
    if cfg!(target_os = "linux") {
        assert_eq!(threads.len(), 2, "{threads:?}");
    }
    stop.send(()).unwrap();
    serving.join().unwrap().unwrap();
    assert!(
        TcpStream::connect(addr).is_err(),
        "still accepting after the shutdown"
    );
}
