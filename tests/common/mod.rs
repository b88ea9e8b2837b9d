//! Helpers shared by the CLI integration tests: run the built `j1ql` binary and read its output.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `j1ql ARGS` in `dir`, feeding `stdin`.
pub fn j1ql_in(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_j1ql"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the j1ql binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Standard output as text.
#[allow(dead_code)] // not every test file reads both streams
pub fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// Standard error as text.
#[allow(dead_code)]
pub fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}
