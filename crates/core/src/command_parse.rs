//! Finding the command in a message, as Telegram marks it.

use crate::telegram::Message;

/// A command found at the start of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCommand {
    /// The name without slash and `@bot`.
    pub name: String,
    /// The rest of the text, trimmed.
    pub args: String,
}

/// The command of `message`, when its text starts with a `bot_command` entity.
///
/// Offsets and lengths are UTF-16 code units. `/cmd@Bot` matches only when `Bot` equals
/// `bot_username` (case-insensitively); with no username known, addressed commands never match.
/// Captions are never commands.
pub fn parse_command(message: &Message, bot_username: Option<&str>) -> Option<ParsedCommand> {
    let text = message.text.as_deref()?;
    let entity = message
        .entities
        .as_deref()?
        .iter()
        .find(|e| e.kind == "bot_command" && e.offset == 0)?;
    let end = byte_index_of_utf16(text, entity.length)?;
    let token = text.get(..end)?.strip_prefix('/')?;
    let (name, target) = match token.split_once('@') {
        Some((name, target)) => (name, Some(target)),
        None => (token, None),
    };
    if let Some(target) = target {
        let mine = bot_username?.trim_start_matches('@');
        if !target.eq_ignore_ascii_case(mine) {
            return None;
        }
    }
    if name.is_empty() {
        return None;
    }
    Some(ParsedCommand {
        name: name.to_owned(),
        args: text[end..].trim().to_owned(),
    })
}

/// The byte index in `text` of UTF-16 offset `units`, if it falls on a character boundary.
fn byte_index_of_utf16(text: &str, units: usize) -> Option<usize> {
    let mut seen = 0;
    for (i, c) in text.char_indices() {
        if seen == units {
            return Some(i);
        }
        if seen > units {
            return None;
        }
        seen += c.len_utf16();
    }
    (seen == units).then_some(text.len())
}

/// Entities Telegram would attach to `text`: a `bot_command` for each `/word` that starts the
/// text or follows white space. Used by the offline console to build realistic messages.
pub fn command_entities(text: &str) -> Vec<crate::telegram::MessageEntity> {
    let mut entities = Vec::new();
    let mut units = 0usize;
    let mut prev_is_space = true;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '/' && prev_is_space {
            let start = units;
            let mut j = i + 1;
            let mut len = 1usize;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_' || chars[j] == '@') {
                len += chars[j].len_utf16();
                j += 1;
            }
            if len > 1 {
                entities.push(crate::telegram::MessageEntity {
                    kind: "bot_command".into(),
                    offset: start,
                    length: len,
                });
                units += len;
                i = j;
                prev_is_space = false;
                continue;
            }
        }
        prev_is_space = c.is_whitespace();
        units += c.len_utf16();
        i += 1;
    }
    entities
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::{Chat, MessageEntity};

    fn msg(text: &str, entities: Vec<MessageEntity>) -> Message {
        Message {
            message_id: 1,
            message_thread_id: None,
            is_topic_message: None,
            from: None,
            chat: Chat {
                id: 1,
                kind: "private".into(),
                title: None,
                username: None,
                first_name: None,
            },
            date: 0,
            text: Some(text.into()),
            entities: Some(entities),
            caption: None,
            caption_entities: None,
            reply_to_message: None,
            reply_markup: None,
        }
    }

    fn cmd(offset: usize, length: usize) -> MessageEntity {
        MessageEntity {
            kind: "bot_command".into(),
            offset,
            length,
        }
    }

    #[test]
    fn plain_and_addressed_commands() {
        let p = parse_command(&msg("/history  25 ", vec![cmd(0, 8)]), Some("MitiBot")).unwrap();
        assert_eq!((p.name.as_str(), p.args.as_str()), ("history", "25"));
        let p = parse_command(&msg("/ping@mitibot", vec![cmd(0, 13)]), Some("MitiBot")).unwrap();
        assert_eq!(p.name, "ping");
        assert!(parse_command(&msg("/ping@OtherBot", vec![cmd(0, 14)]), Some("MitiBot")).is_none());
        assert!(parse_command(&msg("/ping@MitiBot", vec![cmd(0, 13)]), None).is_none());
    }

    #[test]
    fn emoji_before_or_in_arguments_uses_utf16_offsets() {
        // "😀 /help": the command entity starts at UTF-16 offset 3, not 0: not a command.
        assert!(parse_command(&msg("😀 /help", vec![cmd(3, 5)]), None).is_none());
        let p = parse_command(&msg("/buy 😀 VNM", vec![cmd(0, 4)]), None).unwrap();
        assert_eq!(p.args, "😀 VNM");
        // An entity length that splits a surrogate pair is rejected, not panicked on.
        assert!(parse_command(&msg("/a😀", vec![cmd(0, 3)]), None).is_none());
        assert!(parse_command(&msg("/a", vec![cmd(0, 40)]), None).is_none());
    }

    #[test]
    fn computed_entities_match_telegram() {
        assert_eq!(command_entities("/help"), vec![cmd(0, 5)]);
        assert_eq!(command_entities("😀 /help x"), vec![cmd(3, 5)]);
        assert_eq!(command_entities("/ping@bot hi /x"), vec![cmd(0, 9), cmd(13, 2)]);
        assert!(command_entities("a/b hello").is_empty());
    }
}
