//! A large CSV download with `StreamingHttpResponse`: rows are produced one at a time as the
//! client reads them (constant memory, no Content-Length), quoted as Python's `csv.writer`.
//!
//! Django:
//! ```python
//! class Echo:
//!     def write(self, value): return value
//! def big_csv(req):
//!     rows = (["Row {}".format(i), str(i * i), 'say "hi", twice'] for i in range(n))
//!     writer = csv.writer(Echo())
//!     return StreamingHttpResponse((writer.writerow(r) for r in rows), content_type="text/csv",
//!         headers={"Content-Disposition": 'attachment; filename="somefilename.csv"'})
//! ```
//!
//! Try it (`cargo run --example streaming_csv`):
//! ```sh
//! curl -i http://127.0.0.1:8000/csv?rows=5
//! curl -s http://127.0.0.1:8000/csv | wc -l       # 10001 lines (header + 10,000 rows)
//! ```

use std::borrow::Cow;

use nuages::urls::path;
use nuages::{App, BadRequest, Bytes, HttpRequest, HttpResponse, Result, Settings};

/// The most rows one request may ask for.
pub const MAX_ROWS: u64 = 1_000_000;

/// One field as `csv.writer` (`QUOTE_MINIMAL`) writes it: quoted, with `"` doubled, when it
/// holds the delimiter, a quote or a line break.
fn field(value: &str) -> Cow<'_, str> {
    if value.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", value.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(value)
    }
}

/// `writer.writerow(row)`: the fields joined by commas, ended by `\r\n` (csv's default).
pub fn writerow(row: &[&str]) -> String {
    let mut line = row.iter().map(|v| field(v)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// `?rows=N` (default 10,000) rows after a header, generated lazily.
async fn big_csv(req: HttpRequest) -> Result<HttpResponse> {
    let rows: u64 = match req.query()?.get("rows") {
        None => 10_000,
        Some(n) => n
            .parse()
            .ok()
            .filter(|n| *n <= MAX_ROWS)
            .ok_or_else(|| BadRequest::new("rows must be a number up to 1000000"))?,
    };
    let header = std::iter::once(writerow(&["Name", "Square", "Note"]));
    let body = (0..rows).map(|i| {
        let name = format!("Row {i}");
        let square = (i * i).to_string();
        writerow(&[&name, &square, "say \"hi\", twice"])
    });
    let response = HttpResponse::streaming_iter(header.chain(body).map(Bytes::from))
        .with_content_type("text/csv")
        .with_header(
            "Content-Disposition",
            "attachment; filename=\"somefilename.csv\"",
        );
    Ok(response)
}

/// The application.
pub fn app() -> App {
    App::builder()
        .settings(Settings {
            debug: true,
            ..Settings::default()
        })
        .urls(vec![path("csv", big_csv)])
        .build()
        .expect("valid configuration")
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .skip_while(|a| a != "--addr")
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8000".into());
    eprintln!("streaming_csv: http://{addr}/csv?rows=5");
    nuages::server::Server::bind(&addr)
        .await?
        .dev_log(true)
        .serve(app())
        .await
}
