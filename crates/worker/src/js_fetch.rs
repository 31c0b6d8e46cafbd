//! One HTTP exchange over the Workers Fetch API, with a timeout.

use std::time::Duration;

use wasm_bindgen::prelude::*;
use worker::{AbortSignal, Fetch, Headers, Method, Request, RequestInit};

#[wasm_bindgen]
extern "C" {
    /// `AbortSignal.timeout(ms)`: a signal that aborts by itself.
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout)]
    fn abort_signal_timeout(ms: u32) -> worker::web_sys::AbortSignal;
}

/// Why an exchange produced no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchFailure {
    /// No complete answer within the timeout.
    Timeout,
    /// Anything else; the text may contain the URL, so callers redact it.
    Failed(String),
}

/// Sends `method url` (with a JSON `body` when given) and reads the whole answer as text.
pub async fn fetch_text(
    method: Method,
    url: &str,
    json_body: Option<String>,
    timeout: Duration,
) -> Result<(u16, String), FetchFailure> {
    let failed = |e: worker::Error| FetchFailure::Failed(e.to_string());
    let mut init = RequestInit::new();
    init.with_method(method);
    if let Some(body) = json_body {
        let headers = Headers::new();
        headers.set("content-type", "application/json").map_err(failed)?;
        init.with_headers(headers).with_body(Some(body.into()));
    }
    let request = Request::new_with_init(url, &init).map_err(failed)?;
    let ms = u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX);
    let signal: AbortSignal = abort_signal_timeout(ms).into();
    let outcome = async {
        let mut response = Fetch::Request(request).send_with_signal(&signal).await?;
        let status = response.status_code();
        let text = response.text().await?;
        Ok::<_, worker::Error>((status, text))
    }
    .await;
    match outcome {
        Ok(answer) => Ok(answer),
        Err(_) if signal.aborted() => Err(FetchFailure::Timeout),
        Err(e) => Err(failed(e)),
    }
}
