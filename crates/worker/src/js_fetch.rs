//! One HTTP exchange over the Workers Fetch API, with a timeout: the global `fetch` bound
//! directly (workers-rs's `Request`/`Response` wrappers cost the wasm ~15 KB for what is two
//! calls here).

use std::time::Duration;

use js_sys::{Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::js_object;

#[wasm_bindgen]
extern "C" {
    /// `AbortSignal.timeout(ms)`: a signal that aborts by itself.
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout)]
    fn abort_signal_timeout(ms: u32) -> JsValue;

    /// The global `fetch(url, init)`.
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(url: &str, init: &Object) -> Result<Promise, JsValue>;

    /// A Fetch API response.
    #[wasm_bindgen(extends = js_sys::Object)]
    type FetchResponse;

    /// `response.status`.
    #[wasm_bindgen(method, getter)]
    fn status(this: &FetchResponse) -> u16;

    /// `response.text()`.
    #[wasm_bindgen(method, catch)]
    fn text(this: &FetchResponse) -> Result<Promise, JsValue>;
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

fn failed(error: JsValue) -> FetchFailure {
    FetchFailure::Failed(js_object::error_text(&error))
}

fn set(object: &Object, key: &str, value: &JsValue) -> Result<(), FetchFailure> {
    js_object::set(object, key, value).map_err(failed)
}

/// Sends `method url` (with a JSON `body` when given) and reads the whole answer as text.
pub async fn fetch_text(
    method: Method,
    url: &str,
    json_body: Option<String>,
    timeout: Duration,
) -> Result<(u16, String), FetchFailure> {
    let ms = u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX);
    let signal = abort_signal_timeout(ms);
    let init = Object::new();
    let name = match method {
        Method::Get => "GET",
        Method::Post => "POST",
    };
    set(&init, "method", &JsValue::from_str(name))?;
    set(&init, "signal", &signal)?;
    if let Some(body) = json_body {
        let headers = Object::new();
        set(&headers, "content-type", &JsValue::from_str("application/json"))?;
        set(&init, "headers", &headers)?;
        set(&init, "body", &JsValue::from_str(&body))?;
    }
    let outcome = async {
        let response: FetchResponse = JsFuture::from(global_fetch(url, &init)?).await?.unchecked_into();
        let status = response.status();
        let text = JsFuture::from(response.text()?).await?;
        Ok::<_, JsValue>((status, text.as_string().unwrap_or_default()))
    }
    .await;
    let aborted = js_object::get(&signal, "aborted").as_bool().unwrap_or(false);
    match outcome {
        Ok(answer) => Ok(answer),
        Err(_) if aborted => Err(FetchFailure::Timeout),
        Err(e) => Err(failed(e)),
    }
}
