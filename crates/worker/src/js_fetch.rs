//! One HTTP exchange over the Workers Fetch API, with a timeout: one call into a few lines of
//! JS that build the request, `fetch` it and read the answer's text, and one promise back.
//!
//! Building the request from Rust took a dozen crossings into JS (an object per option, a
//! `Reflect.set` and a decoded key string per member, a promise per step), which a V8 profile
//! of `/ping` showed as the glue's largest share; workers-rs's `Request`/`Response` wrappers
//! cost the wasm ~15 KB for the same two calls.

use std::time::Duration;

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::js_object;

#[wasm_bindgen(inline_js = r#"
export function fetchText(method, url, body, ms) {
  const signal = AbortSignal.timeout(ms);
  const init = body ? { method, signal, headers: { "content-type": "application/json" }, body } : { method, signal };
  return fetch(url, init).then(
    (response) => response.text().then((text) => [response.status, text]),
  ).catch((error) => [signal.aborted ? -1 : -2, error]);
}
"#)]
extern "C" {
    /// `fetch(url, {method, signal: AbortSignal.timeout(ms), body})` (a JSON body when not
    /// empty), read to its text: resolves to `[status, text]`, `[-1, error]` once the timeout
    /// aborted it, `[-2, error]` on any other failure. Never rejects.
    #[wasm_bindgen(js_name = fetchText)]
    fn fetch_text_js(method: &str, url: &str, body: &str, ms: u32) -> Promise;
}

/// Why an exchange produced no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchFailure {
    /// No complete answer within the timeout.
    Timeout,
    /// Anything else; the text may contain the URL, so callers redact it.
    Failed(String),
}

/// An HTTP method of [`fetch_text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
}

/// Sends `method url` (with a JSON `body` when given) and reads the whole answer as text.
pub async fn fetch_text(
    method: Method,
    url: &str,
    json_body: Option<String>,
    timeout: Duration,
) -> Result<(u16, String), FetchFailure> {
    let ms = u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX);
    let name = match method {
        Method::Get => "GET",
        Method::Post => "POST",
    };
    let body = json_body.unwrap_or_default();
    let answer = match JsFuture::from(fetch_text_js(name, url, &body, ms)).await {
        Ok(answer) => Array::from(&answer),
        Err(error) => return Err(FetchFailure::Failed(js_object::error_text(&error))),
    };
    let outcome = answer.get(0).as_f64().unwrap_or(-2.0);
    if outcome == -1.0 {
        return Err(FetchFailure::Timeout);
    }
    match u16::try_from(outcome as i64) {
        Ok(status) if outcome >= 0.0 => Ok((status, answer.get(1).as_string().unwrap_or_default())),
        _ => Err(FetchFailure::Failed(js_object::error_text(&answer.get(1)))),
    }
}
