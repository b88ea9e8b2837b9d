//! Atomic writes: the original survives a failed or killed write, permissions are kept, and
//! links leaving the root are refused.

use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;
use std::process::Command;

use j1ql_fs::{atomic_write, atomic_write_within, FsError};

const ORIGINAL: &str = "FIND User\n";

fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".j1ql-tmp"))
        .collect()
}

#[test]
fn replaces_contents_and_keeps_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.j1ql");
    fs::write(&path, ORIGINAL).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    atomic_write(&path, b"FIND Device\n").unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "FIND Device\n");
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn creates_a_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.j1ql");
    atomic_write_within(dir.path(), &path, b"FIND Host\n").unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "FIND Host\n");
}

#[test]
fn writes_through_a_link_inside_the_root_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("real.j1ql");
    let link = dir.path().join("link.j1ql");
    fs::write(&target, ORIGINAL).unwrap();
    symlink("real.j1ql", &link).unwrap();
    atomic_write_within(dir.path(), &link, b"FIND Device\n").unwrap();
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_to_string(&target).unwrap(), "FIND Device\n");
}

#[test]
fn refuses_a_link_leaving_the_root() {
    let outside = tempfile::tempdir().unwrap();
    let repo = tempfile::tempdir().unwrap();
    let victim = outside.path().join("outside.j1ql");
    fs::write(&victim, ORIGINAL).unwrap();
    let link = repo.path().join("link.j1ql");
    symlink(&victim, &link).unwrap();
    let err = atomic_write_within(repo.path(), &link, b"overwritten").unwrap_err();
    assert!(matches!(err, FsError::OutsideRoot { .. }), "{err}");
    assert!(err.to_string().contains("outside"), "{err}");
    assert_eq!(fs::read_to_string(&victim).unwrap(), ORIGINAL);
    // A linked parent folder leaving the root is caught the same way.
    let linked_dir = repo.path().join("snapshots");
    symlink(outside.path(), &linked_dir).unwrap();
    let err = atomic_write_within(repo.path(), &linked_dir.join("x.snap"), b"x").unwrap_err();
    assert!(matches!(err, FsError::OutsideRoot { .. }), "{err}");
    assert!(!outside.path().join("x.snap").exists());
}

#[test]
fn refuses_folders_and_broken_links() {
    let dir = tempfile::tempdir().unwrap();
    let err = atomic_write(dir.path(), b"x").unwrap_err();
    assert!(matches!(err, FsError::NotAFile { .. }), "{err}");
    let link = dir.path().join("dangling.j1ql");
    symlink("missing.j1ql", &link).unwrap();
    let err = atomic_write(&link, b"x").unwrap_err();
    assert!(matches!(err, FsError::BrokenLink { .. }), "{err}");
    assert!(!dir.path().join("missing.j1ql").exists());
}

/// Runs [`child_writes_past_the_file_size_limit`] in a child process under `ulimit -f 64`
/// (64 blocks of at most 1 KiB), with SIGXFSZ ignored (`trap_signal`) or not.
fn run_child_over_the_limit(trap_signal: bool) -> (std::process::ExitStatus, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.j1ql");
    fs::write(&path, ORIGINAL).unwrap();
    let trap = if trap_signal { "trap '' XFSZ; " } else { "" };
    let script = format!(
        "{trap}ulimit -f 64; exec \"$0\" --ignored --exact child_writes_past_the_file_size_limit --nocapture"
    );
    // The child's output goes to pipes: when the test's own output is a file already larger
    // than the limit (a CI log), writing to it would fail with EFBIG too.
    let output = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(std::env::current_exe().unwrap())
        .env("J1QL_FS_CHILD_PATH", &path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    if !output.status.success() {
        eprintln!(
            "child output:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    (output.status, dir)
}

#[test]
fn a_write_killed_by_the_file_size_limit_leaves_the_original_intact() {
    let (status, dir) = run_child_over_the_limit(false);
    assert!(
        !status.success(),
        "the child should have been killed by SIGXFSZ"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("big.j1ql")).unwrap(),
        ORIGINAL
    );
}

#[test]
fn a_write_failing_on_the_file_size_limit_is_reported_and_cleaned_up() {
    let (status, dir) = run_child_over_the_limit(true);
    assert!(status.success(), "the child's assertions failed: {status}");
    assert_eq!(
        fs::read_to_string(dir.path().join("big.j1ql")).unwrap(),
        ORIGINAL
    );
    assert!(leftovers(dir.path()).is_empty());
}

/// The child half of the two tests above (ignored in normal runs; they start it).
#[test]
#[ignore = "run by the ulimit tests in a child process"]
fn child_writes_past_the_file_size_limit() {
    let path = std::path::PathBuf::from(std::env::var_os("J1QL_FS_CHILD_PATH").unwrap());
    let big = vec![b'x'; 1 << 20];
    let err = atomic_write(&path, &big).unwrap_err();
    assert!(err.to_string().contains("cannot write"), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), ORIGINAL);
    assert!(leftovers(path.parent().unwrap()).is_empty());
}
