//! A progress bar on stderr for long loads (indicatif): it appears once a load has run for a
//! second, and never when stderr is not a terminal (indicatif draws nothing then), so piped
//! and CI output stay clean.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use j1ql_graph::Progress;

/// How long a load runs before its bar appears.
const DELAY: Duration = Duration::from_secs(1);

/// A [`Progress`] callback drawing a bytes bar labelled `what`.
pub fn bar(what: &'static str) -> Progress {
    let started = Instant::now();
    let bar: Mutex<Option<ProgressBar>> = Mutex::new(None);
    Progress(Arc::new(move |done, total| {
        if started.elapsed() < DELAY {
            return;
        }
        let mut bar = bar.lock().unwrap_or_else(|e| e.into_inner());
        let bar = bar.get_or_insert_with(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(
                "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(what);
            bar
        });
        bar.set_length(total);
        bar.set_position(done);
        if done >= total {
            bar.finish_and_clear();
        }
    }))
}
