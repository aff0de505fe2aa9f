//! The equivalent of `django/views/csrf.py`: the page answered when a request fails CSRF
//! protection ([`csrf_failure`], Django's default `CSRF_FAILURE_VIEW`).
//!
//! The page is Django 5.2's built-in `csrf_403.html` template rendered with its context
//! (English texts, autoescaped), byte for byte: with DEBUG off it names no reason (only the
//! explanations for a missing cookie or a missing Referer); with DEBUG on it adds the help
//! section and the escaped reason.

use crate::middleware::csrf::reasons::{REASON_NO_CSRF_COOKIE, REASON_NO_REFERER};
use crate::views::defaults::escape;
use crate::{HttpRequest, HttpResponse};

/// `get_docs_version()` of Django 5.2.
const DOCS_VERSION: &str = "5.2";

/// From the top of the template to the end of `<p>{{ main }}</p>`.
const HEAD: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
  <meta http-equiv="content-type" content="text/html; charset=utf-8">
  <meta name="robots" content="NONE,NOARCHIVE">
  <title>403 Forbidden</title>
  <style>
    html * { padding:0; margin:0; }
    body * { padding:10px 20px; }
    body * * { padding:0; }
    body { font-family: sans-serif; background:#eee; color:#000; }
    body>div { border-bottom:1px solid #ddd; }
    h1 { font-weight:normal; margin-bottom:.4em; }
    h1 span { font-size:60%; color:#666; font-weight:normal; }
    #info { background:#f6f6f6; }
    #info ul { margin: 0.5em 4em; }
    #info p, #summary p { padding-top:10px; }
    #summary { background: #ffc; }
    #explanation { background:#eee; border-bottom: 0px none; }
  </style>
</head>
<body>
<div id="summary">
  <h1>Forbidden <span>(403)</span></h1>
  <p>CSRF verification failed. Request aborted.</p>
"#;

/// The `{% if no_referer %}` block (`no_referer1..3`, autoescaped).
const NO_REFERER: &str = "
  <p>You are seeing this message because this HTTPS site requires a “Referer header” to be sent by your web browser, but none was sent. This header is required for security reasons, to ensure that your browser is not being hijacked by third parties.</p>
  <p>If you have configured your browser to disable “Referer” headers, please re-enable them, at least for this site, or for HTTPS connections, or for “same-origin” requests.</p>
  <p>If you are using the &lt;meta name=&quot;referrer&quot; content=&quot;no-referrer&quot;&gt; tag or including the “Referrer-Policy: no-referrer” header, please remove them. The CSRF protection requires the “Referer” header to do strict referer checking. If you’re concerned about privacy, use alternatives like &lt;a rel=&quot;noreferrer&quot; …&gt; for links to third-party sites.</p>
";

/// The `{% if no_cookie %}` block (`no_cookie1..2`).
const NO_COOKIE: &str = "
  <p>You are seeing this message because this site requires a CSRF cookie when submitting forms. This cookie is required for security reasons, to ensure that your browser is not being hijacked by third parties.</p>
  <p>If you have configured your browser to disable cookies, please re-enable them, at least for this site, or for “same-origin” requests.</p>
";

/// `{% if reason %}` inside the DEBUG section, before and after `{{ reason }}`.
const REASON_BEFORE: &str = "
    <p>Reason given for failure:</p>
    <pre>
    ";
const REASON_AFTER: &str = "
    </pre>
    ";

/// The DEBUG help section after the reason, up to (excluding) the docs version placeholders.
const HELP_1: &str = "

  <p>In general, this can occur when there is a genuine Cross Site Request Forgery, or when
  <a
  href=\"https://docs.djangoproject.com/en/";
const HELP_2: &str = "/ref/csrf/\">Django’s
  CSRF mechanism</a> has not been used correctly.  For POST forms, you need to
  ensure:</p>

  <ul>
    <li>Your browser is accepting cookies.</li>

    <li>The view function passes a <code>request</code> to the template’s <a
    href=\"https://docs.djangoproject.com/en/";
const HELP_3: &str =
    "/topics/templates/#django.template.backends.base.Template.render\"><code>render</code></a>
    method.</li>

    <li>In the template, there is a <code>{% csrf_token
    %}</code> template tag inside each POST form that
    targets an internal URL.</li>

    <li>If you are not using <code>CsrfViewMiddleware</code>, then you must use
    <code>csrf_protect</code> on any views that use the <code>csrf_token</code>
    template tag, as well as those that accept the POST data.</li>

    <li>The form has a valid CSRF token. After logging in in another browser
    tab or hitting the back button after a login, you may need to reload the
    page with the form, because the token is rotated after a login.</li>
  </ul>

  <p>You’re seeing the help section of this page because you have <code>DEBUG =
  True</code> in your Django settings file. Change that to <code>False</code>,
  and only the initial error message will be displayed.  </p>

  <p>You can customize this page using the CSRF_FAILURE_VIEW setting.</p>
</div>
";

/// The `{% else %}` branch (DEBUG off).
const EXPLANATION: &str = "
<div id=\"explanation\">
  <p><small>More information is available with DEBUG=True.</small></p>
</div>
";

const TAIL: &str = "
</body>
</html>
";

/// The body of Django's CSRF failure page (`csrf_403.html`) for `reason`, with or without the
/// DEBUG help section.
///
/// # Examples
/// ```
/// use nuages::views::csrf::csrf_failure_body;
/// let page = csrf_failure_body("CSRF cookie not set.", false);
/// assert_eq!(page.len(), 1367);
/// assert!(page.contains("<h1>Forbidden <span>(403)</span></h1>"));
/// assert!(csrf_failure_body("CSRF token missing.", true).contains("    CSRF token missing.\n"));
/// ```
pub fn csrf_failure_body(reason: &str, debug: bool) -> String {
    let mut out = String::with_capacity(if debug { 3000 } else { 1900 });
    out.push_str(HEAD);
    if reason == REASON_NO_REFERER {
        out.push_str(NO_REFERER);
    }
    out.push('\n');
    if reason == REASON_NO_CSRF_COOKIE {
        out.push_str(NO_COOKIE);
    }
    out.push_str("\n</div>\n");
    if debug {
        out.push_str("\n<div id=\"info\">\n  <h2>Help</h2>\n    ");
        if !reason.is_empty() {
            out.push_str(REASON_BEFORE);
            out.push_str(&escape(reason));
            out.push_str(REASON_AFTER);
        }
        out.push_str(HELP_1);
        out.push_str(DOCS_VERSION);
        out.push_str(HELP_2);
        out.push_str(DOCS_VERSION);
        out.push_str(HELP_3);
    } else {
        out.push_str(EXPLANATION);
    }
    out.push_str(TAIL);
    out
}

/// Django's `csrf_failure(request, reason)`: a `403 Forbidden` HTML page (DEBUG read from the
/// request's settings). The default `CSRF_FAILURE_VIEW` of
/// [`CsrfViewMiddleware`](crate::middleware::csrf::CsrfViewMiddleware).
///
/// # Examples
/// ```
/// let req = nuages::test::RequestFactory::new().post("/x", "").build();
/// let resp = nuages::views::csrf::csrf_failure(&req, "CSRF token missing.");
/// assert_eq!(resp.status_code(), 403);
/// assert_eq!(resp.header("content-type").as_deref(), Some("text/html; charset=utf-8"));
/// ```
pub fn csrf_failure(request: &HttpRequest, reason: &str) -> HttpResponse {
    HttpResponse::forbidden(csrf_failure_body(reason, request.settings().debug))
}
