//! Splits a SQL script (a migration file) into single statements.
//!
//! D1 prepares one statement at a time and a batch is a list of statements, so a migration file
//! is split here, respecting quotes, comments and `CREATE TRIGGER … BEGIN … END` bodies.

use super::SqlError;

/// The statements of `script`, trimmed, without empty ones (comment-only pieces are dropped).
pub fn split_statements(script: &str) -> Result<Vec<String>, SqlError> {
    let bytes = script.as_bytes();
    let mut statements = Vec::new();
    let mut start = 0;
    let mut i = 0;
    // Depth of BEGIN … END blocks inside CREATE TRIGGER.
    let mut block_depth = 0usize;
    // Depth of CASE … END expressions inside such a block (their END closes the CASE).
    let mut case_depth = 0usize;
    let mut word_start: Option<usize> = None;
    let mut words_in_statement: Vec<String> = Vec::new();

    let finish_word =
        |ws: &mut Option<usize>, end: usize, words: &mut Vec<String>, depth: &mut usize, cases: &mut usize| {
            if let Some(s) = ws.take() {
                let word = script[s..end].to_ascii_uppercase();
                let is_trigger =
                    words.first().map(String::as_str) == Some("CREATE") && words.iter().take(4).any(|w| w == "TRIGGER");
                if is_trigger && word == "BEGIN" {
                    *depth += 1;
                } else if is_trigger && *depth > 0 && word == "CASE" {
                    *cases += 1;
                } else if is_trigger && word == "END" && *cases > 0 {
                    *cases -= 1;
                } else if is_trigger && word == "END" && *depth > 0 {
                    *depth -= 1;
                }
                if words.len() < 8 {
                    words.push(word);
                }
            }
        };

    while i < bytes.len() {
        let c = bytes[i];
        let is_word = c.is_ascii_alphanumeric() || c == b'_';
        if is_word {
            if word_start.is_none() {
                word_start = Some(i);
            }
            i += 1;
            continue;
        }
        finish_word(
            &mut word_start,
            i,
            &mut words_in_statement,
            &mut block_depth,
            &mut case_depth,
        );
        match c {
            b'\'' | b'"' | b'`' => {
                i = skip_quoted(bytes, i, c)?;
            }
            b'[' => {
                i = bytes[i..]
                    .iter()
                    .position(|&b| b == b']')
                    .map(|p| i + p + 1)
                    .ok_or_else(|| SqlError::InvalidStatement("unterminated [identifier]".into()))?;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = bytes[i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |p| i + p + 1);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = script[i + 2..]
                    .find("*/")
                    .map(|p| i + 2 + p + 2)
                    .ok_or_else(|| SqlError::InvalidStatement("unterminated /* comment".into()))?;
            }
            b';' if block_depth == 0 => {
                push_statement(&mut statements, &script[start..i]);
                start = i + 1;
                words_in_statement.clear();
                case_depth = 0;
                i += 1;
            }
            _ => i += 1,
        }
    }
    finish_word(
        &mut word_start,
        bytes.len(),
        &mut words_in_statement,
        &mut block_depth,
        &mut case_depth,
    );
    if block_depth != 0 {
        return Err(SqlError::InvalidStatement(
            "CREATE TRIGGER body has no matching END".into(),
        ));
    }
    push_statement(&mut statements, &script[start..]);
    Ok(statements)
}

fn skip_quoted(bytes: &[u8], open: usize, quote: u8) -> Result<usize, SqlError> {
    let mut i = open + 1;
    while i < bytes.len() {
        if bytes[i] == quote {
            // A doubled quote is an escaped quote.
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return Ok(i + 1);
        }
        i += 1;
    }
    Err(SqlError::InvalidStatement(format!(
        "unterminated {} quote",
        quote as char
    )))
}

fn push_statement(statements: &mut Vec<String>, piece: &str) {
    let trimmed = piece.trim();
    if !super::rules::skip_space_and_comments(trimmed).is_empty() {
        statements.push(trimmed.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::split_statements;

    #[test]
    fn splits_on_semicolons_outside_quotes_and_comments() {
        let script = "-- header; with semicolon\nCREATE TABLE a (x TEXT DEFAULT ';');\n/* ; */ INSERT INTO a VALUES ('it''s; fine');\n\n";
        let got = split_statements(script).unwrap();
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].ends_with("DEFAULT ';')"));
        assert!(got[1].contains("'it''s; fine'"));
    }

    #[test]
    fn keeps_trigger_bodies_whole() {
        let script = "CREATE TABLE t (x);\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE t SET x = 1;\n  DELETE FROM t WHERE x = 2;\nEND;\nSELECT 1";
        let got = split_statements(script).unwrap();
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[1].starts_with("CREATE TRIGGER") && got[1].ends_with("END"));
    }

    #[test]
    fn case_end_inside_a_trigger_does_not_close_the_body() {
        let script = "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE t SET x = CASE WHEN x > 1 THEN 1 ELSE 0 END;\n  DELETE FROM t WHERE x = 2;\nEND;\nSELECT CASE WHEN 1 THEN 2 END;";
        let got = split_statements(script).unwrap();
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].ends_with("END") && got[0].contains("DELETE"));
    }

    #[test]
    fn comment_only_script_is_empty_and_bad_quotes_fail() {
        assert!(split_statements("-- nothing\n/* here */").unwrap().is_empty());
        assert!(split_statements("SELECT 'open").is_err());
    }
}
