//! Cryptographic signing: `set_signed_cookie`/`get_signed_cookie` with a salt and a max age,
//! `Signer.sign`/`unsign` for one value, and `signing.dumps`/`loads` for a timestamped,
//! compressed token — all keyed on SECRET_KEY and byte-compatible with Django's.
//!
//! Django:
//! ```python
//! def set_color(req):
//!     r = HttpResponse('Signed cookie set.'); r.set_signed_cookie('color', 'blue', salt='prefs', max_age=3600)
//!     return r
//! def read_color(req):
//!     try: return HttpResponse(f"The value is {req.get_signed_cookie('color', salt='prefs', max_age=3600)}")
//!     except KeyError: return HttpResponse('No color yet.')
//!     except BadSignature: return HttpResponseBadRequest('Invalid signed cookie.')
//! def token(req): return HttpResponse(signing.dumps({'user': req.GET['user']}, salt='tokens', compress=True))
//! def verify(req): return JsonResponse(signing.loads(req.GET['token'], salt='tokens', max_age=600))
//! ```
//!
//! Try it (`cargo run --example signing`):
//! ```sh
//! curl -i -c jar.txt http://127.0.0.1:8000/color/set      # color=blue:…:…
//! curl -i -b jar.txt http://127.0.0.1:8000/color/read     # The value is blue
//! curl -i -b 'color=red:forged' http://127.0.0.1:8000/color/read   # 400
//! curl -i 'http://127.0.0.1:8000/sign?value=hello'        # hello:<signature>
//! TOKEN=$(curl -s 'http://127.0.0.1:8000/token?user=ann')
//! curl -i "http://127.0.0.1:8000/verify?token=$TOKEN"     # {"user": "ann"}
//! ```

use nuages::http::cookie::SetCookie;
use nuages::signing::{self, MaxAge, Signer};
use nuages::urls::path;
use nuages::{App, HttpRequest, HttpResponse, JsonResponse, Result, Settings};

/// The salt of the cookie and of the tokens: a value signed for one use is refused by another.
const COOKIE_SALT: &str = "prefs";
const TOKEN_SALT: &str = "tokens";

async fn set_color(req: HttpRequest) -> Result<HttpResponse> {
    let mut response = HttpResponse::new("Signed cookie set.");
    response.set_signed_cookie(
        req.settings(),
        SetCookie::new("color", "blue").max_age(3600),
        COOKIE_SALT,
    )?;
    Ok(response)
}

async fn read_color(req: HttpRequest) -> HttpResponse {
    match req.get_signed_cookie("color", COOKIE_SALT, Some(MaxAge::Seconds(3600))) {
        Ok(Some(value)) => HttpResponse::new(format!("The value is {value}")),
        Ok(None) => HttpResponse::new("No color yet."),
        Err(_) => HttpResponse::bad_request("Invalid signed cookie."),
    }
}

/// `Signer().sign(value)`: the value, `:`, its HMAC.
async fn sign(req: HttpRequest) -> Result<HttpResponse> {
    let value = req.query()?.get("value").unwrap_or("").to_owned();
    Ok(HttpResponse::new(
        Signer::from_settings(req.settings()).sign(&value),
    ))
}

/// `signing.dumps({'user': ...}, salt='tokens', compress=True)`.
async fn token(req: HttpRequest) -> Result<HttpResponse> {
    let user = req.query()?.get("user").unwrap_or("").to_owned();
    let data = serde_json::json!({ "user": user });
    let token = signing::dumps(&data, &req.settings().secret_key, TOKEN_SALT, true)?;
    Ok(HttpResponse::new(token).with_content_type("text/plain"))
}

/// `signing.loads(token, salt='tokens', max_age=600)`: 400 if forged or older than 10 minutes.
async fn verify(req: HttpRequest) -> Result<HttpResponse> {
    let token = req.query()?.get("token").unwrap_or("").to_owned();
    let settings = req.settings();
    let loaded: std::result::Result<serde_json::Value, _> = signing::loads(
        &token,
        &settings.secret_key,
        TOKEN_SALT,
        Some(MaxAge::Seconds(600)),
        &settings.secret_key_fallbacks,
    );
    Ok(match loaded {
        Ok(data) => JsonResponse::value(data),
        Err(e) if e.is_expired() => HttpResponse::bad_request("Token expired."),
        Err(_) => HttpResponse::bad_request("Bad token."),
    })
}

/// The application.
pub fn app() -> App {
    App::builder()
        .settings(Settings {
            debug: true,
            secret_key: "examples-signing-secret-key".into(),
            ..Settings::default()
        })
        .urls(vec![
            path("color/set", set_color),
            path("color/read", read_color),
            path("sign", sign),
            path("token", token),
            path("verify", verify),
        ])
        .build()
        .expect("valid configuration")
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .skip_while(|a| a != "--addr")
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8000".into());
    eprintln!("signing: http://{addr}/color/set");
    nuages::server::Server::bind(&addr)
        .await?
        .dev_log(true)
        .serve(app())
        .await
}
