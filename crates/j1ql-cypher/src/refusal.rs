//! Why a query is not translated.

/// A construct that has no exact openCypher counterpart (docs/cypher.md, "Refused"): the
/// translator refuses the whole query rather than emit Cypher with another meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The construct, as the user writes it (`RETURN TREE`, `>` comparison, ...); the
    /// differential report groups refusals by it.
    pub construct: String,
    /// Where it is in this query, as written (`#CriticalAsset`), when that says more.
    pub instance: Option<String>,
    /// Why its J1 meaning cannot be written in openCypher.
    pub why: String,
}

impl Refusal {
    /// A refusal of `construct` because of `why`.
    pub fn new(construct: impl Into<String>, why: impl Into<String>) -> Refusal {
        Refusal {
            construct: construct.into(),
            instance: None,
            why: why.into(),
        }
    }

    /// The same refusal, naming the instance in this query.
    pub fn at(mut self, instance: impl Into<String>) -> Refusal {
        self.instance = Some(instance.into());
        self
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot translate {}", self.construct)?;
        if let Some(instance) = &self.instance {
            write!(f, " ({instance})")?;
        }
        write!(f, " to Cypher: {}", self.why)
    }
}

impl std::error::Error for Refusal {}
