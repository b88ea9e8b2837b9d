//! "Did you mean": the closest known name to a misspelt one — the one rule every suggestion of
//! the toolkit uses (classes, types, verbs, aliases, columns, functions, parameters, lint codes).
//!
//! Names are compared case-insensitively. A candidate qualifies when its edit distance
//! (optimal string alignment: Levenshtein where a swap of two neighbours counts as one edit)
//! is at most a third of the typed name's length (at least 1). Among qualifying candidates the
//! smallest distance wins, then the higher Jaro-Winkler similarity (which favours a shared
//! beginning), then the name that sorts first. Edit distance rather than Jaro-Winkler alone
//! keeps long shared prefixes such as `aws_` from making unrelated types look alike.

/// The closest of `candidates` to `name`, or `None` when none is a plausible typo. A
/// candidate equal to `name` ignoring case is returned at once, unless it is spelled exactly
/// like `name` (an exact match is no suggestion).
pub fn best_match<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let wanted: Vec<char> = name.chars().flat_map(char::to_lowercase).collect();
    if wanted.len() < 2 {
        return None;
    }
    let limit = (wanted.len() / 3).max(1);
    let wanted_text: String = wanted.iter().collect();

    let mut best: Option<(&'a str, usize, f64)> = None;
    let mut buffer = String::new();
    for candidate in candidates {
        let lower: &str = if candidate
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        {
            candidate
        } else {
            buffer.clear();
            buffer.extend(candidate.chars().flat_map(char::to_lowercase));
            &buffer
        };
        if lower == wanted_text {
            return (candidate != name).then_some(candidate);
        }
        let length = lower.chars().count();
        if length < 2 || length.abs_diff(wanted.len()) > limit {
            continue;
        }
        let distance = strsim::osa_distance(&wanted_text, lower);
        if distance > limit {
            continue;
        }
        let similarity = strsim::jaro_winkler(&wanted_text, lower);
        let better = match best {
            None => true,
            Some((name, d, s)) => {
                distance < d
                    || (distance == d && (similarity > s || (similarity == s && candidate < name)))
            }
        };
        if better {
            best = Some((candidate, distance, similarity));
        }
    }
    best.map(|(candidate, _, _)| candidate)
}

#[cfg(test)]
mod tests {
    use super::best_match;

    #[test]
    fn typos_and_case() {
        let words = [
            "User",
            "UserGroup",
            "DataStore",
            "Host",
            "HostAgent",
            "Person",
        ];
        assert_eq!(best_match("Usr", words), Some("User"));
        assert_eq!(best_match("Datastore", words), Some("DataStore"));
        assert_eq!(best_match("Hsot", words), Some("Host"));
        assert_eq!(best_match("Persn", words), Some("Person"));
        assert_eq!(best_match("Xyzzy", words), None);
        assert_eq!(best_match("U", words), None);
        assert_eq!(
            best_match("User", words),
            None,
            "an exact match is no suggestion"
        );
    }

    #[test]
    fn long_shared_prefixes_are_not_enough() {
        let types = ["aws_iam_user", "aws_s3_bucket"];
        assert_eq!(best_match("aws_iam_usr", types), Some("aws_iam_user"));
        assert_eq!(best_match("aws_lambda", types), None);
    }
}
