//! "Did you mean": the closest candidate to a misspelt name.

/// The candidate most similar to `name` (case-insensitive Jaro-Winkler), if similar enough to
/// be a plausible typo. An exact case-insensitive match wins outright.
pub fn best_match<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted = name.to_lowercase();
    let mut best: Option<(&str, f64)> = None;
    for candidate in candidates {
        let lower = candidate.to_lowercase();
        if lower == wanted {
            return (candidate != name).then_some(candidate);
        }
        let score = strsim::jaro_winkler(&wanted, &lower);
        if best.is_none_or(|(_, s)| score > s) {
            best = Some((candidate, score));
        }
    }
    best.filter(|(_, s)| *s >= 0.85).map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::best_match;

    #[test]
    fn finds_typos_and_case_mistakes() {
        let words = ["User", "DataStore", "Person", "Host"];
        assert_eq!(best_match("Usr", words), Some("User"));
        assert_eq!(best_match("Datastore", words), Some("DataStore"));
        assert_eq!(best_match("Persn", words), Some("Person"));
        assert_eq!(best_match("Xyzzy", words), None);
        assert_eq!(
            best_match("User", words),
            None,
            "an exact match is no suggestion"
        );
    }
}
