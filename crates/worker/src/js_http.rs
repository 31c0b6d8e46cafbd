//! The Fetch API's `Request` and `Response`, bound directly: the few members the `fetch` event
//! reads and writes. (workers-rs's wrappers convert through `url`, `http` and its own header
//! and body types, which cost the wasm more than everything else this Worker does with them.)

use js_sys::{Object, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::js_object;

#[wasm_bindgen]
extern "C" {
    /// A Fetch API request (the `fetch` event's).
    #[wasm_bindgen(extends = Object, js_name = Request)]
    #[derive(Debug, Clone)]
    pub type HttpRequest;

    /// `request.method`.
    #[wasm_bindgen(method, getter)]
    pub fn method(this: &HttpRequest) -> String;

    /// `request.url`.
    #[wasm_bindgen(method, getter)]
    pub fn url(this: &HttpRequest) -> String;

    /// `request.headers`.
    #[wasm_bindgen(method, getter)]
    fn headers(this: &HttpRequest) -> HttpHeaders;

    /// `request.arrayBuffer()`.
    #[wasm_bindgen(method, catch, js_name = arrayBuffer)]
    fn array_buffer(this: &HttpRequest) -> Result<Promise, JsValue>;

    /// A Fetch API `Headers`.
    #[wasm_bindgen(extends = Object, js_name = Headers)]
    type HttpHeaders;

    /// `headers.get(name)`: the value, or `null`.
    #[wasm_bindgen(method)]
    fn get(this: &HttpHeaders, name: &str) -> Option<String>;

    /// A Fetch API response.
    #[wasm_bindgen(extends = Object, js_name = Response)]
    #[derive(Debug, Clone)]
    pub type HttpResponse;

    /// `response.status`.
    #[wasm_bindgen(method, getter)]
    pub fn status(this: &HttpResponse) -> u16;

    /// `new Response(body, init)`.
    #[wasm_bindgen(constructor, js_class = Response, catch)]
    fn new_response(body: &JsValue, init: &Object) -> Result<HttpResponse, JsValue>;
}

impl HttpRequest {
    /// The header `name`'s value, if the request has it.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers().get(name)
    }

    /// The whole body, read into the wasm.
    pub async fn bytes(&self) -> Result<Vec<u8>, String> {
        let read = async { JsFuture::from(self.array_buffer()?).await };
        match read.await {
            Ok(buffer) => Ok(Uint8Array::new(&buffer).to_vec()),
            Err(error) => Err(js_object::error_text(&error)),
        }
    }
}

/// A response with `status`, a text `body` (none when `None`) and its `content_type`.
pub fn response(status: u16, body: Option<&str>, content_type: Option<&str>) -> Result<HttpResponse, JsValue> {
    let init = Object::new();
    js_object::set(&init, "status", &JsValue::from(status))?;
    if let Some(content_type) = content_type {
        let headers = Object::new();
        js_object::set(&headers, "content-type", &JsValue::from_str(content_type))?;
        js_object::set(&init, "headers", &headers)?;
    }
    let body = body.map_or(JsValue::NULL, JsValue::from_str);
    HttpResponse::new_response(&body, &init)
}
