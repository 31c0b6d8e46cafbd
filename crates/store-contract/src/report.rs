use serde::Serialize;

/// The outcome of one contract case against one backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseReport {
    /// `kv` or `sql`.
    pub store: &'static str,
    /// The case's name.
    pub name: &'static str,
    /// True when the backend behaved as the contract says.
    pub passed: bool,
    /// Why it failed (absent when it passed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl CaseReport {
    pub(crate) fn new(store: &'static str, name: &'static str, outcome: Result<(), String>) -> Self {
        Self {
            store,
            name,
            passed: outcome.is_ok(),
            detail: outcome.err(),
        }
    }
}

/// Counts of a contract run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
}

/// Counts passed and failed cases.
pub fn summarize(reports: &[CaseReport]) -> Summary {
    let passed = reports.iter().filter(|r| r.passed).count();
    Summary {
        passed,
        failed: reports.len() - passed,
    }
}
