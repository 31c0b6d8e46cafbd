//! Routing and webhook request checks, in plain Rust (no JS types), shared by the fetch event.
//!
//! Same routes and answers as the native `serve`: `GET /` health, `POST /webhook` guarded by the
//! secret header, everything else 404. The test-only routes `POST /__test/*` exist only in the
//! e2e build (cargo feature `e2e`, `scripts/build-worker.sh --e2e`), and there only when the
//! Worker runs with `MITI99BOT_TEST_ROUTES=1` (set by the test harness, never in `wrangler.toml`).
//! The production build has neither their code nor their paths: they are 404 like any other.

use miti99bot_core::webhook::constant_time_eq;
pub use miti99bot_core::webhook::{HEALTH_BODY, MAX_BODY_BYTES, SECRET_HEADER};

/// What a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// `GET /`.
    Health,
    /// `POST /webhook`.
    Webhook,
    /// `POST /__test/contract`: the store contract against D1 and KV (e2e build only).
    #[cfg(feature = "e2e")]
    TestContract,
    /// `POST /__test/migrate`: applies every module's migrations to D1 (e2e build only).
    #[cfg(feature = "e2e")]
    TestMigrate,
    /// Anything else.
    NotFound,
}

/// The route of `method` and `path` (the query string is ignored); `test_routes` enables the
/// test routes, which only the e2e build has (without the `e2e` feature it changes nothing).
pub fn route(
    method: &str,
    path: &str,
    #[cfg_attr(not(feature = "e2e"), allow(unused_variables))] test_routes: bool,
) -> Route {
    match (method, path) {
        ("GET", "/") => Route::Health,
        ("POST", "/webhook") => Route::Webhook,
        #[cfg(feature = "e2e")]
        ("POST", "/__test/contract") if test_routes => Route::TestContract,
        #[cfg(feature = "e2e")]
        ("POST", "/__test/migrate") if test_routes => Route::TestMigrate,
        _ => Route::NotFound,
    }
}

/// Why a webhook request is refused before any handler runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// Wrong or missing secret header: 401.
    Unauthorized,
    /// Body over [`MAX_BODY_BYTES`]: 413.
    TooLarge,
    /// Not an update: 400.
    BadRequest(String),
    /// The Worker lacks a required setting: 500 (logged, never shown).
    Misconfigured(String),
}

impl Rejection {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            Rejection::Unauthorized => 401,
            Rejection::TooLarge => 413,
            Rejection::BadRequest(_) => 400,
            Rejection::Misconfigured(_) => 500,
        }
    }

    /// The response body (never the reason of a misconfiguration).
    pub fn body(&self) -> &'static str {
        match self {
            Rejection::Unauthorized => "unauthorized",
            Rejection::TooLarge => "payload too large",
            Rejection::BadRequest(_) => "bad request",
            Rejection::Misconfigured(_) => "internal error",
        }
    }
}

/// Checks the secret header against the configured secret, in constant time.
pub fn check_secret(expected: Option<&str>, given: Option<&str>) -> Result<(), Rejection> {
    let Some(expected) = expected.filter(|s| !s.is_empty()) else {
        return Err(Rejection::Misconfigured("TELEGRAM_WEBHOOK_SECRET is not set".into()));
    };
    match given {
        Some(given) if constant_time_eq(given.as_bytes(), expected.as_bytes()) => Ok(()),
        _ => Err(Rejection::Unauthorized),
    }
}

/// Refuses a declared `Content-Length` over the limit before the body is read.
pub fn check_declared_length(content_length: Option<&str>) -> Result<(), Rejection> {
    match content_length.and_then(|v| v.trim().parse::<u64>().ok()) {
        Some(n) if n > MAX_BODY_BYTES as u64 => Err(Rejection::TooLarge),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match_serve() {
        assert_eq!(route("GET", "/", false), Route::Health);
        assert_eq!(route("POST", "/webhook", false), Route::Webhook);
        for (m, p) in [
            ("GET", "/webhook"),
            ("POST", "/"),
            ("PUT", "/webhook"),
            ("GET", "/x"),
            ("POST", "/webhook/"),
        ] {
            assert_eq!(route(m, p, true), Route::NotFound, "{m} {p}");
        }
        assert_eq!(route("POST", "/__test/contract", false), Route::NotFound);
        #[cfg(feature = "e2e")]
        {
            assert_eq!(route("POST", "/__test/contract", true), Route::TestContract);
            assert_eq!(route("POST", "/__test/migrate", true), Route::TestMigrate);
        }
        // The production build has no test routes, whatever the flag says.
        #[cfg(not(feature = "e2e"))]
        for p in ["/__test/contract", "/__test/migrate"] {
            assert_eq!(route("POST", p, true), Route::NotFound, "{p}");
        }
    }

    #[test]
    fn secret_checks() {
        assert_eq!(check_secret(Some("s"), Some("s")), Ok(()));
        assert_eq!(check_secret(Some("s"), Some("t")), Err(Rejection::Unauthorized));
        assert_eq!(check_secret(Some("s"), None), Err(Rejection::Unauthorized));
        assert_eq!(check_secret(None, Some("s")).map_err(|r| r.status()), Err(500));
        assert_eq!(check_secret(Some(""), Some("")).map_err(|r| r.status()), Err(500));
    }

    #[test]
    fn declared_sizes() {
        assert_eq!(check_declared_length(Some("1048577")), Err(Rejection::TooLarge));
        assert_eq!(check_declared_length(Some("1048576")), Ok(()));
        assert_eq!(check_declared_length(None), Ok(()));
    }
}
