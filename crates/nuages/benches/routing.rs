//! Routing benchmark: resolving the first and the last of 1,000 routes `r/route{i}/<int:id>/`
//! (run with `cargo bench --bench routing`; prints ns/iter). The two figures should be close:
//! patterns are indexed by their literal prefix instead of being tried one by one.

use std::hint::black_box;
use std::time::{Duration, Instant};

use nuages::urls::{path, Urls, Value};
use nuages::views::ViewFn;

fn build() -> Urls {
    let patterns = (0..1000).map(|i| {
        let name: &'static str = Box::leak(format!("route{i}").into_boxed_str());
        path(&format!("r/route{i}/<int:id>/"), ViewFn::named(name)).name(name)
    });
    match Urls::new(patterns) {
        Ok(urls) => urls,
        Err(e) => panic!("URLconf: {e}"),
    }
}

/// Runs `f` repeatedly for about `target` and returns ns/iter.
fn measure(target: Duration, mut f: impl FnMut()) -> f64 {
    // Warm up and calibrate.
    let mut iters: u64 = 1;
    loop {
        let start = Instant::now();
        for _ in 0..iters {
            f();
        }
        let elapsed = start.elapsed();
        if elapsed >= target / 10 {
            break;
        }
        iters *= 2;
    }
    let iters = iters * 10;
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    start.elapsed().as_nanos() as f64 / iters as f64
}

fn main() {
    let target = Duration::from_millis(
        std::env::var("ROUTING_BENCH_MS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1000),
    );
    let start = Instant::now();
    let urls = build();
    println!(
        "build 1,000 routes: {:.2} ms",
        start.elapsed().as_secs_f64() * 1e3
    );

    // Interleaved rounds, best of each, to limit the effect of other load on the machine.
    let cases = [("first", "/r/route0/42/"), ("last", "/r/route999/42/")];
    for (_, p) in cases {
        let m = urls.resolve(p).unwrap_or_else(|e| panic!("{p}: {e}"));
        assert_eq!(m.kwarg("id"), Some(&Value::Int(42)));
    }
    let mut best = [f64::INFINITY; 2];
    for _ in 0..3 {
        for (i, (_, p)) in cases.iter().enumerate() {
            let ns = measure(target / 3, || {
                black_box(urls.resolve(black_box(p)).ok());
            });
            best[i] = best[i].min(ns);
        }
    }
    for ((label, p), ns) in cases.iter().zip(best) {
        println!("resolve {label:<5} ({p}): {ns:>8.1} ns/iter");
    }
    let ns = measure(target, || {
        black_box(urls.is_valid_path(black_box("/r/route999/42/")));
    });
    println!("is_valid_path last:                 {ns:>8.1} ns/iter");
    let ns = measure(target, || {
        black_box(urls.resolve(black_box("/r/nothing/42/")).err());
    });
    println!("resolve 404 (with tried list):      {ns:>8.1} ns/iter");
    let ns = measure(target, || {
        black_box(urls.try_resolve(black_box("/r/nothing/42/")));
    });
    println!("try_resolve 404:                    {ns:>8.1} ns/iter");
    let ns = measure(target, || {
        black_box(urls.reverse_with("route999").arg(42).build().ok());
    });
    println!("reverse last:                       {ns:>8.1} ns/iter");
}
