//! Text cells of CSV files meant for spreadsheets (the commune tables, the API's CSV).

use std::borrow::Cow;

/// A text cell as written to a CSV for spreadsheets: one starting like a formula (`=`, `+`,
/// `-`, `@`, a tab or a carriage return) gets a leading apostrophe, so that Excel and Calc
/// show it as text instead of evaluating it (`=HYPERLINK(...)` in a commune's name). No
/// published name, code or label starts that way; numbers are not text cells.
pub fn cellule(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::cellule;

    #[test]
    fn formula_like_cells_are_neutralised() {
        assert_eq!(cellule("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cellule("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cellule("+1"), "'+1");
        assert_eq!(cellule("-1+2"), "'-1+2");
        assert_eq!(cellule("\t=1"), "'\t=1");
        assert_eq!(cellule("Saint-Denis"), "Saint-Denis");
        assert_eq!(cellule("L'Haÿ-les-Roses"), "L'Haÿ-les-Roses");
    }
}
