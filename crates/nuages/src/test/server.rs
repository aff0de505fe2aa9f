//! The real server on a free port, for socket tests.

use std::net::SocketAddr;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::server::Server;
use crate::App;

/// The application served by the real server on `127.0.0.1:<free port>`, stopped gracefully by
/// [`TestServer::shutdown`] (or abruptly when dropped).
#[derive(Debug)]
pub struct TestServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl TestServer {
    /// Starts the server.
    ///
    /// # Errors
    /// The bind error.
    pub async fn start(app: App) -> std::io::Result<TestServer> {
        TestServer::start_with(app, |server| server).await
    }

    /// Starts the server with options (limits, timeouts) set by `configure`.
    ///
    /// # Errors
    /// The bind error.
    pub async fn start_with(
        app: App,
        configure: impl FnOnce(Server) -> Server,
    ) -> std::io::Result<TestServer> {
        let server = configure(Server::bind("127.0.0.1:0").await?);
        let addr = server.local_addr()?;
        let (tx, rx) = oneshot::channel();
        let task = tokio::spawn(server.serve_with_shutdown(app, async {
            let _ = rx.await;
        }));
        Ok(TestServer {
            addr,
            stop: Some(tx),
            task: Some(task),
        })
    }

    /// The address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Signals a graceful shutdown and waits until open requests finished.
    ///
    /// # Errors
    /// The server's error.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        match self.task.take() {
            Some(t) => t.await.map_err(std::io::Error::other)?,
            None => Ok(()),
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(t) = self.task.take() {
            t.abort();
        }
    }
}
