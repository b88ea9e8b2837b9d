//! `j1ql serve`'s command line: the checks made before it listens.

use std::process::Command;

fn j1ql(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_j1ql"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_public_address_needs_a_token() {
    let (code, stderr) = j1ql(&["serve", "--listen", "0.0.0.0:0"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("needs --token"), "{stderr}");
}

#[test]
fn bad_options_are_refused_with_what_was_expected() {
    let (code, stderr) = j1ql(&["serve", "--rate-limit", "lots"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("N/PERIOD"), "{stderr}");
    let (code, stderr) = j1ql(&["serve", "--now", "yesterday"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("RFC 3339"), "{stderr}");
    let (code, stderr) = j1ql(&["serve", "--data", "/no/such/folder"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("/no/such/folder"), "{stderr}");
}
