//! Routing, in plain Rust (no JS types), for the fetch event.
//!
//! Same routes and answers as the native `serve`: `GET /` health, `POST /webhook` guarded by the
//! secret header, everything else 404. The test-only routes `POST /__test/*` exist only in the
//! e2e build (cargo feature `e2e`, `scripts/build-worker.sh --e2e`), and there only when the
//! Worker runs with `MITI99BOT_TEST_ROUTES=1` (set by the test harness, never in `wrangler.toml`).
//! The production build has neither their code nor their paths: they are 404 like any other.

pub use miti99bot_core::webhook::HEALTH_BODY;

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

/// The path of an absolute request URL (`https://host/path?query` → `/path`), as the routes
/// compare it: percent-escapes kept, query and fragment dropped; `/` when the URL has none.
pub fn path_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(url, |i| &url[i + 3..]);
    let Some(start) = after_scheme.find(['/', '?', '#']) else {
        return "/";
    };
    let rest = &after_scheme[start..];
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    match &rest[..end] {
        "" => "/",
        path => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_of_takes_the_path_of_an_absolute_url() {
        for (url, path) in [
            ("https://bot.example.workers.dev/webhook", "/webhook"),
            ("http://localhost/webhook?x=1", "/webhook"),
            ("http://localhost:8787/", "/"),
            ("http://localhost", "/"),
            ("http://localhost?q", "/"),
            ("http://localhost/#frag", "/"),
            ("http://localhost/__test/contract#x", "/__test/contract"),
            ("http://localhost/a%2Fb", "/a%2Fb"),
            ("http://user@host/webhook/", "/webhook/"),
        ] {
            assert_eq!(path_of(url), path, "{url}");
        }
    }

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
}
