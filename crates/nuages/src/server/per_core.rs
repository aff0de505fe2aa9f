//! One single-threaded runtime per core, each accepting on its own `SO_REUSEPORT` listener:
//! the layout of hyper's and actix-web's fastest deployments. The kernel spreads new
//! connections over the listeners; a connection then stays on its thread, so no task moves
//! between threads and no work-stealing queue is touched per request.
//!
//! The default [`Server`](super::Server) (one listener on tokio's multi-threaded runtime) stays
//! the simpler choice: it balances a few busy connections over every core, which per-core
//! listeners cannot (a connection never changes thread). `PerCore` pays off with many
//! connections of similar weight, the benchmark shape.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::{TcpListener, TcpSocket};
use tokio::runtime::Runtime;
use tokio::sync::watch;

use super::{shutdown_signal, Server};
use crate::App;

/// Listeners bound for [`PerCore::serve`], one per thread.
///
/// # Examples
/// ```no_run
/// # fn run(app: nuages::App) -> std::io::Result<()> {
/// let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
/// nuages::server::PerCore::bind("127.0.0.1:8000".parse().unwrap(), threads)?
///     .serve(app, |server| server.dev_log(false))
/// # }
/// ```
#[derive(Debug)]
pub struct PerCore {
    addr: SocketAddr,
    bound: Vec<(Runtime, TcpListener)>,
}

impl PerCore {
    /// Binds `threads` listeners (at least one) to `addr` with `SO_REUSEPORT`, each on a
    /// current-thread runtime of its own. Port 0 picks one port, shared by every listener.
    /// Where `SO_REUSEPORT` does not exist (not unix), one listener is bound.
    ///
    /// # Errors
    /// The runtime's or the socket's error.
    pub fn bind(addr: SocketAddr, threads: usize) -> std::io::Result<PerCore> {
        let threads = if cfg!(unix) { threads.max(1) } else { 1 };
        let mut addr = addr;
        let mut bound = Vec::with_capacity(threads);
        for _ in 0..threads {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            // The listener registers with the runtime that will serve it.
            let listener = runtime.block_on(async { listen(addr) })?;
            addr = listener.local_addr()?;
            bound.push((runtime, listener));
        }
        Ok(PerCore { addr, bound })
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves `app` on every listener until Ctrl-C or SIGTERM, then shuts each down gracefully
    /// (as [`Server::serve`]); blocks the calling thread, which must not be a runtime's.
    /// `configure` sets up each thread's [`Server`]: its limits (per thread:
    /// `max_connections` counts one listener's connections), dev log, shutdown timeout.
    ///
    /// # Errors
    /// The first listener error of a thread.
    pub fn serve(
        self,
        app: App,
        configure: impl Fn(Server) -> Server + Send + Sync + 'static,
    ) -> std::io::Result<()> {
        self.serve_with_shutdown(app, configure, shutdown_signal())
    }

    /// [`PerCore::serve`] until `signal` completes.
    ///
    /// # Errors
    /// The first listener error of a thread.
    pub fn serve_with_shutdown(
        self,
        app: App,
        configure: impl Fn(Server) -> Server + Send + Sync + 'static,
        signal: impl Future<Output = ()>,
    ) -> std::io::Result<()> {
        let (stop, stopped) = watch::channel(false);
        let configure = Arc::new(configure);
        let mut threads = Vec::with_capacity(self.bound.len());
        for (i, (runtime, listener)) in self.bound.into_iter().enumerate() {
            let app = app.clone();
            let configure = Arc::clone(&configure);
            let mut stopped = stopped.clone();
            let thread = std::thread::Builder::new()
                .name(format!("nuages-{i}"))
                .spawn(move || {
                    runtime.block_on(async move {
                        let server = configure(Server::from_listener(listener));
                        let stop = async move {
                            let _ = stopped.wait_for(|stop| *stop).await;
                        };
                        server.serve_with_shutdown(app, stop).await
                    })
                })?;
            threads.push(thread);
        }
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(signal);
        let _ = stop.send(true);
        let mut result = Ok(());
        for thread in threads {
            let outcome = thread
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("a server thread panicked")));
            if result.is_ok() {
                result = outcome;
            }
        }
        result
    }
}

/// A listener on `addr` that shares the port with the others (`SO_REUSEPORT`).
fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    #[cfg(unix)]
    socket.set_reuseport(true)?;
    socket.bind(addr)?;
    socket.listen(1024)
}
