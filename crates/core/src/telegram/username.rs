//! Learning the bot's username from `getMe`, the same way in every runtime.

use std::future::Future;

use super::{TelegramApi, TelegramError};

/// `getMe` attempts in all: a network failure is retried twice, an answer from Telegram (an
/// error included) is final.
pub const GET_ME_ATTEMPTS: u32 = 3;

/// The bot's `@username` (without the `@`; `None` when Telegram names none), from `getMe`.
///
/// A [`TelegramError::Network`] failure is retried at once, at most twice; any other error is
/// returned as is (a rate limit was already waited on by a client that waits). Runtimes that
/// can sleep between attempts use [`lookup_username_pausing`].
pub async fn lookup_username(api: &dyn TelegramApi) -> Result<Option<String>, TelegramError> {
    lookup_username_pausing(api, |_| std::future::ready(())).await
}

/// [`lookup_username`], awaiting `pause(failures)` before each retry (`failures` counts the
/// failed attempts so far, from 1), e.g. a runtime's sleep with a growing delay.
pub async fn lookup_username_pausing<F, P>(api: &dyn TelegramApi, mut pause: F) -> Result<Option<String>, TelegramError>
where
    F: FnMut(u32) -> P,
    P: Future<Output = ()>,
{
    let mut failures = 0;
    loop {
        match api.get_me().await {
            Ok(me) => return Ok(me.username),
            Err(error @ TelegramError::Network { .. }) if failures + 1 < GET_ME_ATTEMPTS => {
                failures += 1;
                crate::warn!(%error, attempt = failures, "getMe failed; retrying");
                pause(failures).await;
            }
            Err(error) => return Err(error),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Mutex;

    use serde_json::{json, Value};

    use super::*;
    use crate::telegram::ApiRequest;

    /// Answers `getMe` from a script of outcomes, then with the last one.
    struct Script(Mutex<Vec<Result<Value, TelegramError>>>, Mutex<u32>);

    fn network() -> Result<Value, TelegramError> {
        Err(TelegramError::Network {
            method: "getMe".into(),
            reason: "could not connect".into(),
        })
    }

    fn me() -> Result<Value, TelegramError> {
        Ok(json!({ "id": 1, "is_bot": true, "first_name": "B", "username": "the_bot" }))
    }

    #[cfg_attr(not(target_arch = "wasm32"), async_trait::async_trait)]
    #[cfg_attr(target_arch = "wasm32", async_trait::async_trait(?Send))]
    impl TelegramApi for Script {
        async fn call(&self, request: &ApiRequest) -> Result<Value, TelegramError> {
            assert_eq!(request, &ApiRequest::GetMe);
            *self.1.lock().unwrap() += 1;
            let mut script = self.0.lock().unwrap();
            if script.len() > 1 {
                script.remove(0)
            } else {
                match &script[0] {
                    Ok(value) => Ok(value.clone()),
                    Err(_) => network(),
                }
            }
        }
    }

    fn script(outcomes: Vec<Result<Value, TelegramError>>) -> Script {
        Script(Mutex::new(outcomes), Mutex::new(0))
    }

    #[tokio::test]
    async fn network_failures_are_retried_twice() {
        let api = script(vec![network(), network(), me()]);
        let mut pauses = Vec::new();
        let username = lookup_username_pausing(&api, |n| {
            pauses.push(n);
            std::future::ready(())
        })
        .await;
        assert_eq!(username.unwrap().as_deref(), Some("the_bot"));
        assert_eq!(pauses, [1, 2]);

        let api = script(vec![network()]);
        assert!(matches!(
            lookup_username(&api).await,
            Err(TelegramError::Network { .. })
        ));
        assert_eq!(*api.1.lock().unwrap(), GET_ME_ATTEMPTS);
    }

    #[tokio::test]
    async fn telegram_errors_are_final() {
        let api = script(vec![
            Err(TelegramError::Api {
                method: "getMe".into(),
                status: 401,
                description: "Unauthorized".into(),
                migrate_to_chat_id: None,
            }),
            me(),
        ]);
        assert!(matches!(
            lookup_username(&api).await,
            Err(TelegramError::Api { status: 401, .. })
        ));
        assert_eq!(*api.1.lock().unwrap(), 1);
    }

    #[tokio::test]
    async fn no_username_is_none() {
        let api = script(vec![Ok(json!({ "id": 1, "is_bot": true, "first_name": "B" }))]);
        assert_eq!(lookup_username(&api).await.unwrap(), None);
    }
}
