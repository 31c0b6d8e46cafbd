//! The modules' HTTP client natively: reqwest (rustls) behind the core's [`HttpGet`], the
//! client handlers reach as `ctx.http()` (trading's price API among them).
//!
//! One [`reqwest::Client`] (and its connection pool) serves every request. Each request gets
//! the timeout its caller passes, covering connecting, sending and reading the whole body, and
//! ends in [`HttpError::Timeout`] past it. Bodies larger than [`MAX_BODY_BYTES`] or not UTF-8
//! are [`HttpError::Failed`]. Errors never carry the request URL, which may hold a secret (an
//! API key in a query).

use std::time::Duration;

use miti99bot_core::http::{HttpError, HttpGet, HttpResponse};

use crate::telegram_client::describe_without_url;

/// The largest body a request reads; a longer answer is an error, not an allocation.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How long connecting may take (a request's own timeout, when shorter, wins).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// `GET` over one shared reqwest client.
#[derive(Debug, Clone)]
pub struct ReqwestHttp {
    client: reqwest::Client,
}

impl ReqwestHttp {
    /// A client with rustls, [`CONNECT_TIMEOUT`] and a `miti99bot/<version>` user agent.
    ///
    /// Fails only when reqwest cannot set up TLS or the resolver.
    pub fn new() -> Result<Self, HttpError> {
        reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!("miti99bot/", env!("CARGO_PKG_VERSION")))
            .build()
            .map(|client| Self { client })
            .map_err(|e| HttpError::Failed(describe_without_url(e)))
    }

    async fn exchange(&self, url: &str, timeout: Duration) -> Result<HttpResponse, HttpError> {
        let mut response = self.client.get(url).timeout(timeout).send().await.map_err(failure)?;
        let status = response.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(failure)? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(HttpError::Failed(format!(
                    "HTTP {status} answer is larger than {MAX_BODY_BYTES} bytes"
                )));
            }
            body.extend_from_slice(&chunk);
        }
        let body = String::from_utf8(body)
            .map_err(|_| HttpError::Failed(format!("HTTP {status} answer is not UTF-8 text")))?;
        Ok(HttpResponse { status, body })
    }
}

#[async_trait::async_trait]
impl HttpGet for ReqwestHttp {
    async fn get(&self, url: &str, timeout: Duration) -> Result<HttpResponse, HttpError> {
        // reqwest's timeout covers the body too; the outer one makes the contract hold whatever
        // happens inside.
        tokio::time::timeout(timeout, self.exchange(url, timeout))
            .await
            .unwrap_or(Err(HttpError::Timeout))
    }
}

fn failure(error: reqwest::Error) -> HttpError {
    if error.is_timeout() {
        HttpError::Timeout
    } else {
        HttpError::Failed(describe_without_url(error))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use std::time::Instant;

    use miti99bot_testkit::{FakeHttp, FakeReply};

    use super::*;

    #[tokio::test]
    async fn answers_with_status_and_body_and_fails_without_panicking() {
        let server = FakeHttp::start(|path| match path {
            "/VNM" => FakeReply::new(200, r#"{"price_vnd":1}"#),
            "/binary" => FakeReply::new(200, vec![0xff, 0xfe]),
            "/big" => FakeReply::new(200, vec![b'x'; MAX_BODY_BYTES + 1]),
            "/SLOW" => FakeReply::new(200, "late").after(Duration::from_secs(3)),
            _ => FakeReply::new(404, "no"),
        })
        .await
        .unwrap();
        let base = server.base_url();
        let http = ReqwestHttp::new().unwrap();
        let second = Duration::from_secs(2);
        assert_eq!(
            http.get(&format!("{base}/VNM"), second).await,
            Ok(HttpResponse {
                status: 200,
                body: r#"{"price_vnd":1}"#.to_owned()
            })
        );
        assert_eq!(http.get(&format!("{base}/X"), second).await.unwrap().status, 404);
        for (path, expected) in [("binary", "not UTF-8"), ("big", "larger than")] {
            match http.get(&format!("{base}/{path}"), second).await {
                Err(HttpError::Failed(reason)) => assert!(reason.contains(expected), "{reason}"),
                other => panic!("{expected}: {other:?}"),
            }
        }
        let started = Instant::now();
        assert_eq!(
            http.get(&format!("{base}/SLOW"), Duration::from_millis(200)).await,
            Err(HttpError::Timeout)
        );
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
        for bad in [
            "not a url",
            "ftp://127.0.0.1/x",
            "http://127.0.0.1:9/refused?key=secret",
        ] {
            match http.get(bad, second).await {
                Err(HttpError::Failed(reason)) => assert!(!reason.contains("secret"), "{reason}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
