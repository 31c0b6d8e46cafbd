/// The words of a command's arguments, taken one at a time (whitespace separates them).
#[derive(Debug, Clone)]
pub struct Words<'a> {
    rest: &'a str,
}

impl<'a> Words<'a> {
    /// The words of `args`.
    pub fn new(args: &'a str) -> Self {
        Self { rest: args }
    }

    /// Takes the next word, `None` when none is left.
    fn next_word(&mut self) -> Option<&'a str> {
        let trimmed = self.rest.trim_start();
        if trimmed.is_empty() {
            self.rest = trimmed;
            return None;
        }
        let end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
        let (word, rest) = trimmed.split_at(end);
        self.rest = rest;
        Some(word)
    }

    /// Takes everything left, as written (inner spacing kept), trimmed; empty when none.
    pub fn rest(&mut self) -> &'a str {
        let rest = self.rest.trim();
        self.rest = "";
        rest
    }
}

/// One word at a time.
impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        self.next_word()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_then_the_rest() {
        let mut words = Words::new("  a\tbb \n c  d  ");
        assert_eq!(words.next(), Some("a"));
        assert_eq!(words.next(), Some("bb"));
        assert_eq!(words.rest(), "c  d");
        assert_eq!(words.next(), None);
        assert_eq!(words.rest(), "");
    }
}
