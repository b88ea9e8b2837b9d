//! Watching the editor's process, so the server does not outlive it.
//!
//! Editors pass the process id of their client either on the command line
//! (`--clientProcessId N`, as vscode-languageclient does for Node servers and as
//! `vscode-languageserver` servers accept) or in `initialize`'s `processId`. The LSP
//! specification asks the server to exit when that process is gone: an editor that crashes
//! cannot send `exit`, and its server's standard input may stay open (inherited by a
//! grandchild), so without this a crashed editor leaves a server behind for ever.
//!
//! [`Watched::first_gone`] polls every [`POLL`]; on Unix a process "exists" while `kill(pid, 0)`
//! succeeds or fails with `EPERM` (it exists but belongs to someone else). On other systems
//! the process cannot be watched, which [`watch_supported`] reports so the caller can say so.

use std::time::Duration;

use tokio::sync::mpsc;

/// How often the client process is checked. Two seconds: a left-over server costs nothing
/// meanwhile, and a check is one system call.
pub const POLL: Duration = Duration::from_secs(2);

/// Whether this platform can tell if a process is alive (Unix only for now).
pub const fn watch_supported() -> bool {
    cfg!(unix)
}

/// Whether the process `pid` is alive. `None` where the platform cannot tell.
pub fn is_alive(pid: u32) -> Option<bool> {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return Some(false);
        };
        if pid <= 0 {
            // 0 and negative ids name process groups, not a client process.
            return Some(false);
        }
        // SAFETY: signal 0 sends nothing; kill only checks that the process exists.
        let rc = unsafe { libc::kill(pid, 0) };
        if rc == 0 {
            return Some(true);
        }
        Some(std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM))
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        None
    }
}

/// The server's side of the watch: `initialize` hands the client's `processId` to it.
#[derive(Clone, Debug)]
pub struct ClientWatch {
    pids: mpsc::UnboundedSender<u32>,
}

impl ClientWatch {
    /// Watches `pid` from now on (the command line's id, if any, stays watched too).
    pub fn watch(&self, pid: u32) {
        // The receiver lives as long as the serving loop; after that nothing needs watching.
        let _ = self.pids.send(pid);
    }
}

/// The serving loop's side: [`Watched::first_gone`] resolves when a watched process is gone.
#[derive(Debug)]
pub struct Watched {
    pids: Vec<u32>,
    incoming: mpsc::UnboundedReceiver<u32>,
}

/// A watch starting with `initial` (the `--clientProcessId` of the command line, if any).
pub fn watch(initial: Option<u32>) -> (ClientWatch, Watched) {
    let (tx, rx) = mpsc::unbounded_channel();
    (
        ClientWatch { pids: tx },
        Watched {
            pids: initial.into_iter().collect(),
            incoming: rx,
        },
    )
}

impl Watched {
    /// Resolves with the id of the first watched process found gone; never resolves while none
    /// is watched or where the platform cannot tell.
    pub async fn first_gone(mut self) -> u32 {
        let mut open = true;
        loop {
            if let Some(pid) = self
                .pids
                .iter()
                .copied()
                .find(|&p| is_alive(p) == Some(false))
            {
                return pid;
            }
            if open {
                tokio::select! {
                    pid = self.incoming.recv() => match pid {
                        Some(pid) => self.pids.push(pid),
                        None => open = false,
                    },
                    _ = tokio::time::sleep(POLL) => {}
                }
            } else {
                tokio::time::sleep(POLL).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive() {
        if watch_supported() {
            assert_eq!(is_alive(std::process::id()), Some(true));
        } else {
            assert_eq!(is_alive(std::process::id()), None);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_reaped_child_is_gone() {
        let mut child = std::process::Command::new("true")
            .spawn()
            .expect("spawn true");
        let pid = child.id();
        child.wait().expect("wait");
        assert_eq!(is_alive(pid), Some(false));
    }

    #[cfg(unix)]
    #[tokio::test(start_paused = true)]
    async fn a_pid_from_initialize_is_watched() {
        let (watch, watched) = watch(None);
        let mut child = std::process::Command::new("true")
            .spawn()
            .expect("spawn true");
        let pid = child.id();
        child.wait().expect("wait");
        watch.watch(std::process::id());
        watch.watch(pid);
        assert_eq!(watched.first_gone().await, pid);
    }

    #[cfg(unix)]
    #[test]
    fn ids_that_name_no_single_process_are_gone() {
        assert_eq!(is_alive(0), Some(false));
        assert_eq!(is_alive(u32::MAX), Some(false));
    }
}
