//! Parsing `MODULES`, the comma list that selects and orders modules.

use crate::wiring_error::WiringError;

/// Splits `MODULES` on commas, trims, drops empties and keeps the first of duplicates, in order.
pub fn parse_module_list(raw: Option<&str>) -> Result<Vec<String>, WiringError> {
    let raw = raw
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or(WiringError::ModulesEmpty)?;
    let mut names: Vec<String> = Vec::new();
    for name in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    }
    if names.is_empty() {
        return Err(WiringError::ModulesEmptyAfterTrim);
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_dedupes_and_keeps_order() {
        assert_eq!(
            parse_module_list(Some(" misc, util ,misc,,trading ")).unwrap(),
            ["misc", "util", "trading"]
        );
    }

    #[test]
    fn empty_lists_are_errors() {
        assert!(matches!(parse_module_list(None), Err(WiringError::ModulesEmpty)));
        assert!(matches!(parse_module_list(Some("  ")), Err(WiringError::ModulesEmpty)));
        assert!(matches!(
            parse_module_list(Some(" , ,")),
            Err(WiringError::ModulesEmptyAfterTrim)
        ));
        assert_eq!(
            parse_module_list(Some(" , ,")).unwrap_err().to_string(),
            "MODULES env var is empty after trim/dedupe"
        );
    }
}
