//! The Bot API's method URLs (`{base}/bot{token}/{method}`), parsed once per method.
//!
//! reqwest parses a URL given as text on every request (host normalisation included: ~3% of the
//! webhook server's CPU under load); a parsed [`Url`] costs one clone.

use std::sync::{Arc, Mutex, PoisonError};

use miti99bot_core::telegram::{method_url, BotToken};
use reqwest::Url;

/// Methods remembered at most (a bot calls a handful; raw calls may name any).
const MAX_METHODS: usize = 32;

/// The parsed URLs of the methods called so far. Cheap to clone (shared).
#[derive(Clone, Default)]
pub(crate) struct MethodUrls {
    parsed: Arc<Mutex<Vec<(String, Url)>>>,
}

impl MethodUrls {
    /// The URL of `method`: parsed, or the text when it does not parse (reqwest then reports
    /// the error, as for any URL).
    pub(crate) fn get(&self, base: &str, token: &BotToken, method: &str) -> Result<Url, String> {
        let mut parsed = self.parsed.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, url)) = parsed.iter().find(|(name, _)| name == method) {
            return Ok(url.clone());
        }
        let text = method_url(base, token, method);
        let url = Url::parse(&text).map_err(|_| text)?;
        if parsed.len() < MAX_METHODS {
            parsed.push((method.to_owned(), url.clone()));
        }
        Ok(url)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_method_url_is_the_one_reqwest_would_parse_and_is_parsed_once() {
        let urls = MethodUrls::default();
        let token = BotToken::new("123:ABC");
        for _ in 0..2 {
            let url = urls.get("http://127.0.0.1:8081/", &token, "sendMessage").unwrap();
            assert_eq!(url.as_str(), "http://127.0.0.1:8081/bot123:ABC/sendMessage");
        }
        assert_eq!(urls.parsed.lock().unwrap().len(), 1);
        assert_eq!(
            urls.get("not a url", &token, "getMe").unwrap_err(),
            "not a url/bot123:ABC/getMe"
        );
        for i in 0..(MAX_METHODS + 5) {
            urls.get("http://h", &token, &format!("m{i}")).unwrap();
        }
        assert_eq!(urls.parsed.lock().unwrap().len(), MAX_METHODS);
    }
}
