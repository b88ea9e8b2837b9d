//! Every tuning constant of the evaluator, in one place: thresholds that change how fast a
//! query runs, never what it returns (the planner proptest forces each choice they steer).
//!
//! Why two parallel thresholds: a starting entity of the walk costs a whole sub-walk (several
//! adjacency lookups and checks), so splitting pays off from a few thousand of them; checking
//! one candidate against a pattern costs a property read or two, so splitting a candidate list
//! only pays off from tens of thousands (below that, starting the thread costs more).

/// Starting entities at least this many are walked on two threads ([`crate::exec`]).
pub(crate) const WALK_PARALLEL_MIN_STARTS: usize = 4_096;

/// A semi-join step expands from at least this many entities on two threads, each into its
/// own set ([`crate::exec::reduce`]). An entity costs an adjacency lookup (a cache miss or
/// two), like a candidate checked against a pattern, so the threshold is the same: below it
/// the thread costs more than it saves, and on a loaded machine, where the second thread
/// waits for a core, measurably so (a one-hop query reducing from 10,082 roles ran 2–4×
/// slower with a threshold of 4,096).
pub(crate) const REDUCE_PARALLEL_MIN: usize = 32_768;

/// Candidate lists at least this long are filtered on two threads ([`crate::pattern`]).
pub(crate) const FILTER_PARALLEL_MIN_CANDIDATES: usize = 32_768;

/// A semi-join step tests its neighbours against the slot's exact set (one bit lookup each)
/// when the slot's selectors hold at most this many entities per entity it expands from
/// (building the set touches each of them once) ([`crate::exec::reduce`]).
pub(crate) const ADMIT_RATIO: usize = 8;

/// How many candidates the selectivity sample tests per slot
/// ([`crate::optimize::semijoin`]).
pub(crate) const ESTIMATE_SAMPLE: usize = 256;
