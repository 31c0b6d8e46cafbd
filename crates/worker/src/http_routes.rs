//! Routing, in plain Rust (no JS types), for the fetch event.
//!
//! Same routes and answers as the native `serve`: `GET /` health, `POST /webhook` guarded by the
//! secret header, everything else 404. The test-only routes exist only when the Worker runs with
//! `MITI99BOT_TEST_ROUTES=1` (set by the test configuration, never in `wrangler.toml`).

pub use miti99bot_core::webhook::HEALTH_BODY;

/// What a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// `GET /`.
    Health,
    /// `POST /webhook`.
    Webhook,
    /// `POST /__test/contract`: the store contract against D1 and KV (test builds only).
    TestContract,
    /// `POST /__test/migrate`: applies every module's migrations to D1 (test builds only).
    TestMigrate,
    /// Anything else.
    NotFound,
}

/// The route of `method` and `path` (the query string is ignored).
pub fn route(method: &str, path: &str, test_routes: bool) -> Route {
    match (method, path) {
        ("GET", "/") => Route::Health,
        ("POST", "/webhook") => Route::Webhook,
        ("POST", "/__test/contract") if test_routes => Route::TestContract,
        ("POST", "/__test/migrate") if test_routes => Route::TestMigrate,
        _ => Route::NotFound,
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
        assert_eq!(route("POST", "/__test/contract", true), Route::TestContract);
        assert_eq!(route("POST", "/__test/migrate", true), Route::TestMigrate);
    }
}
