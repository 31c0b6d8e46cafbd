//! A wordle guess as plain text: the squares, then the letters upper-cased, each as
//! space + letter + space (` C  R  A  N  E `).

use super::marking::{mark, Mark};

/// The two-line block of `guess` against `target`.
pub fn render_guess(guess: &str, target: &str) -> String {
    let marks = mark(guess, target);
    let squares: String = marks
        .iter()
        .map(|(_, m)| match m {
            Mark::Correct => '🟩',
            Mark::Partial => '🟨',
            Mark::Wrong => '⬜',
        })
        .collect();
    let letters: String = marks
        .iter()
        .map(|(l, _)| format!(" {} ", l.to_ascii_uppercase()))
        .collect();
    format!("{squares}\n{letters}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crane_against_cloud() {
        assert_eq!(render_guess("crane", "cloud"), "🟩⬜⬜⬜⬜\n C  R  A  N  E ");
        assert_eq!(render_guess("slate", "shale"), "🟩🟨🟩⬜🟩\n S  L  A  T  E ");
    }
}
