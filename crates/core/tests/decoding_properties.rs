//! Properties of update decoding (a webhook body into an update) and command parsing, for any
//! bytes, any JSON and any entities.
#![allow(clippy::unwrap_used)]

use miti99bot_core::command_parse::{command_entities, parse_command};
use miti99bot_core::telegram::synthetic::private_text_update;
use miti99bot_core::telegram::MessageEntity;
use miti99bot_core::webhook::{parse_update_body, BodyError};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Any JSON, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        "\\PC{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::hash_map("[a-z_]{1,12}", inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A JSON object shaped like an update, with fields of any type.
fn update_like() -> impl Strategy<Value = Value> {
    (any_json(), any_json(), any_json(), any_json()).prop_map(|(id, message, text, entities)| {
        json!({ "update_id": id, "message": { "message_id": 1, "date": 0, "chat": { "id": 1, "type": "private" }, "text": text, "entities": entities }, "edited_message": message })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_decode_or_are_refused_with_a_4xx_or_acknowledged(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Err(error) = parse_update_body(&bytes) {
            prop_assert!(matches!(error.status(), 200 | 400 | 413), "{error:?}");
        }
    }

    #[test]
    fn update_shaped_json_never_gets_a_5xx(value in update_like()) {
        let body = value.to_string();
        match parse_update_body(body.as_bytes()) {
            Ok(update) => prop_assert_eq!(Some(update.update_id), value["update_id"].as_i64()),
            Err(error) => {
                prop_assert!(matches!(error.status(), 200 | 400), "{error:?}");
                // A numeric id is never refused: Telegram would retry it forever.
                if value["update_id"].is_number() {
                    prop_assert_eq!(error.status(), 200, "{:?}", error);
                }
                if let BodyError::Unreadable { update_id, .. } = error {
                    prop_assert_eq!(Some(update_id), value["update_id"].as_i64());
                }
            }
        }
    }

    #[test]
    fn a_text_update_round_trips(id in any::<i64>(), chat in any::<i64>(), text in "\\PC{0,80}") {
        let update = private_text_update(id, 1, chat, 7, 1_700_000_000, &text);
        let body = serde_json::to_vec(&update).unwrap();
        let decoded = parse_update_body(&body).unwrap();
        prop_assert_eq!(decoded, update);
    }

    #[test]
    fn command_parsing_never_panics_on_any_entities(
        text in "\\PC{0,40}",
        entities in prop::collection::vec((0usize..60, 0usize..60), 0..4),
        username in prop::option::of("[a-z_]{1,10}"),
    ) {
        let mut update = private_text_update(1, 1, 1, 1, 0, &text);
        let message = update.message.as_mut().unwrap();
        message.entities = Some(
            entities.into_iter().map(|(offset, length)| MessageEntity { kind: "bot_command".into(), offset, length }).collect(),
        );
        if let Some(parsed) = parse_command(message, username.as_deref()) {
            prop_assert!(!parsed.name.is_empty());
            prop_assert!(text.starts_with('/'));
            prop_assert_eq!(parsed.args.trim(), parsed.args.as_str());
        }
    }

    #[test]
    fn a_typed_command_is_found_with_its_arguments(name in "[a-z_][a-z0-9_]{0,15}", args in "[^\\s/][^/]{0,40}") {
        let text = format!("/{name} {args}");
        let mut update = private_text_update(1, 1, 1, 1, 0, &text);
        let message = update.message.as_mut().unwrap();
        message.entities = Some(command_entities(&text));
        let parsed = parse_command(message, None).unwrap();
        prop_assert_eq!(parsed.name, name);
        prop_assert_eq!(parsed.args, args.trim().to_owned());
    }
}
