//! `j1ql test --review`: walk the pending `.snap.new` files, showing each diff, and accept,
//! reject or skip them.

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use crate::report::colour_diff;
use crate::{snapshot, Suite};

/// The `.snap.new` files in the `snapshots/` folders beside the suites' files, sorted.
pub fn pending(suites: &[Suite]) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = suites
        .iter()
        .flat_map(|s| s.files.iter().map(|f| snapshot::folder(f)))
        .collect();
    folders.sort();
    folders.dedup();
    let mut out = Vec::new();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        out.extend(
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.to_string_lossy().ends_with(".snap.new")),
        );
    }
    out.sort();
    out
}

/// What the review did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reviewed {
    /// Snapshots accepted (`.snap.new` moved to `.snap`).
    pub accepted: usize,
    /// Snapshots rejected (`.snap.new` deleted).
    pub rejected: usize,
    /// Left as they are.
    pub skipped: usize,
}

fn snap_of(pending: &Path) -> PathBuf {
    let s = pending.to_string_lossy();
    PathBuf::from(s.strip_suffix(".new").unwrap_or(&s).to_string())
}

/// Accepts one pending snapshot: its text is written to the `.snap` the safe way (atomically,
/// never through a link leaving the repository), then the `.snap.new` is removed.
pub fn accept(pending: &Path) -> io::Result<()> {
    let text = std::fs::read_to_string(pending)?;
    crate::write(&snap_of(pending), &text).map_err(io::Error::other)?;
    std::fs::remove_file(pending)
}

/// Rejects one pending snapshot.
pub fn reject(pending: &Path) -> io::Result<()> {
    std::fs::remove_file(pending)
}

/// Asks about each pending snapshot: `a` accept, `r` reject, `s` (or an empty line) skip;
/// `A`/`R` accept or reject it and every one after it. The end of the input skips the rest.
pub fn review(
    pending: &[PathBuf],
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    color: bool,
) -> io::Result<Reviewed> {
    let mut done = Reviewed::default();
    let mut all: Option<char> = None;
    for (i, path) in pending.iter().enumerate() {
        let new_text = std::fs::read_to_string(path)?;
        let snap = snap_of(path);
        let old_text = std::fs::read_to_string(&snap).ok();
        writeln!(
            out,
            "\nSnapshot {} of {}: {}",
            i + 1,
            pending.len(),
            snap.display()
        )?;
        for field in ["source: ", "description: ", "expression: "] {
            if let Some(line) = new_text
                .lines()
                .skip(1)
                .take_while(|l| *l != "---")
                .find(|l| l.starts_with(field))
            {
                writeln!(out, "  {line}")?;
            }
        }
        if old_text.is_none() {
            writeln!(out, "  (new snapshot)")?;
        }
        let d = crate::diff(
            old_text.as_deref().map(snapshot::content).unwrap_or(""),
            snapshot::content(&new_text),
        );
        write!(out, "{}", colour_diff(&d, color))?;
        let answer = match all {
            Some(c) => c,
            None => {
                write!(
                    out,
                    "accept (a), reject (r), skip (s), accept all (A), reject all (R)? "
                )?;
                out.flush()?;
                let mut line = String::new();
                if input.read_line(&mut line)? == 0 {
                    writeln!(out)?;
                    done.skipped += pending.len() - i;
                    break;
                }
                writeln!(out)?;
                let c = line.trim().chars().next().unwrap_or('s');
                if c == 'A' || c == 'R' {
                    all = Some(c);
                }
                c
            }
        };
        match answer {
            'a' | 'A' | 'y' => {
                accept(path)?;
                writeln!(out, "  accepted")?;
                done.accepted += 1;
            }
            'r' | 'R' | 'n' => {
                reject(path)?;
                writeln!(out, "  rejected")?;
                done.rejected += 1;
            }
            _ => {
                writeln!(out, "  skipped")?;
                done.skipped += 1;
            }
        }
    }
    writeln!(
        out,
        "{} accepted, {} rejected, {} skipped",
        done.accepted, done.rejected, done.skipped
    )?;
    Ok(done)
}
