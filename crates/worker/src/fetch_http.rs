//! The Worker's [`HttpGet`] over the Workers Fetch API: the client every module reaches as
//! `ctx.http()` (trading's price API among them).

use std::time::Duration;

use miti99bot_core::http::{HttpError, HttpGet, HttpResponse};

use crate::js_fetch::{fetch_text, FetchFailure, Method};

/// `GET` through `fetch`, aborted after the timeout.
#[derive(Debug, Clone, Copy, Default)]
pub struct FetchHttp;

#[async_trait::async_trait(?Send)]
impl HttpGet for FetchHttp {
    async fn get(&self, url: &str, timeout: Duration) -> Result<HttpResponse, HttpError> {
        match fetch_text(Method::Get, url, None, timeout).await {
            Ok((status, body)) => Ok(HttpResponse { status, body }),
            Err(FetchFailure::Timeout) => Err(HttpError::Timeout),
            Err(FetchFailure::Failed(reason)) => Err(HttpError::Failed(reason)),
        }
    }
}
