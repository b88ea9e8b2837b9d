//! The walker ends on symbolic-link cycles, lists each real file once, stays in its root and
//! refuses pseudo filesystems.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use j1ql_fs::{FsError, SkipReason, Walker};

fn json_only(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "json")
}

fn names(root: &Path, files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .map(|f| f.strip_prefix(root).unwrap().display().to_string())
        .collect()
}

#[test]
fn a_link_to_its_own_folder_is_a_reported_cycle() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    fs::create_dir(&d).unwrap();
    fs::write(d.join("a.json"), "{}").unwrap();
    symlink(".", d.join("self")).unwrap();
    let walk = Walker::new(&d).keep_file(json_only).run().unwrap();
    assert_eq!(names(&d, &walk.files), ["a.json"]);
    assert_eq!(walk.skipped.len(), 1, "{:?}", walk.skipped);
    assert!(matches!(
        walk.skipped[0].reason,
        SkipReason::AlreadyVisited { .. }
    ));
    assert!(walk.skipped[0].to_string().contains("cycle"));
}

#[test]
fn two_links_pointing_at_each_other_end() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("x")).unwrap();
    fs::create_dir_all(root.join("y")).unwrap();
    fs::write(root.join("x/1.json"), "{}").unwrap();
    fs::write(root.join("y/2.json"), "{}").unwrap();
    symlink("../y", root.join("x/to_y")).unwrap();
    symlink("../x", root.join("y/to_x")).unwrap();
    let walk = Walker::new(root).keep_file(json_only).run().unwrap();
    assert_eq!(names(root, &walk.files), ["x/1.json", "y/2.json"]);
    assert_eq!(walk.skipped.len(), 2, "{:?}", walk.skipped);
}

#[test]
fn a_file_reached_twice_is_listed_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("a.json"), "{}").unwrap();
    symlink("a.json", root.join("b.json")).unwrap();
    let walk = Walker::new(root).keep_file(json_only).run().unwrap();
    assert_eq!(names(root, &walk.files), ["a.json"]);
    assert!(matches!(
        walk.skipped[0].reason,
        SkipReason::AlreadyVisited { .. }
    ));
}

#[test]
fn links_leaving_the_root_are_not_followed_unless_asked() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.json"), "{}").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    symlink(outside.path(), root.join("elsewhere")).unwrap();
    symlink(outside.path().join("secret.json"), root.join("file.json")).unwrap();
    let walk = Walker::new(root).keep_file(json_only).run().unwrap();
    assert!(walk.files.is_empty(), "{:?}", walk.files);
    assert_eq!(walk.skipped.len(), 2);
    assert!(walk
        .skipped
        .iter()
        .all(|s| matches!(s.reason, SkipReason::LeavesRoot { .. })));

    let walk = Walker::new(root)
        .keep_file(json_only)
        .follow_links_out_of_root(true)
        .run()
        .unwrap();
    assert_eq!(
        names(root, &walk.files),
        ["file.json"],
        "a folder's files come before its subfolders; the second way to a file is a duplicate"
    );
}

#[test]
fn links_are_ignored_when_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join("sub")).unwrap();
    fs::write(root.join("sub/a.json"), "{}").unwrap();
    symlink("sub", root.join("link")).unwrap();
    let walk = Walker::new(root).follow_links(false).run().unwrap();
    assert_eq!(names(root, &walk.files), ["sub/a.json"]);
    assert!(walk.skipped.is_empty());
}

#[test]
fn filtered_folders_are_not_entered() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("target/deep")).unwrap();
    fs::write(root.join("target/deep/a.json"), "{}").unwrap();
    fs::write(root.join("b.json"), "{}").unwrap();
    let walk = Walker::new(root)
        .enter_dir(|p| p.file_name().is_some_and(|n| n != "target"))
        .run()
        .unwrap();
    assert_eq!(names(root, &walk.files), ["b.json"]);
}

#[test]
fn a_fifo_with_a_kept_name_is_reported_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let status = std::process::Command::new("mkfifo")
        .arg(root.join("pipe.json"))
        .status()
        .unwrap();
    assert!(status.success());
    let walk = Walker::new(root).keep_file(json_only).run().unwrap();
    assert!(walk.files.is_empty());
    assert_eq!(walk.skipped[0].reason, SkipReason::NotARegularFile);
}

#[test]
fn proc_self_is_refused() {
    let err = Walker::new("/proc/self").run().unwrap_err();
    assert!(matches!(err, FsError::PseudoFilesystem { .. }), "{err}");
    // And a link into /proc from a normal folder is reported, not followed.
    let dir = tempfile::tempdir().unwrap();
    symlink("/proc/self", dir.path().join("proc")).unwrap();
    let walk = Walker::new(dir.path())
        .follow_links_out_of_root(true)
        .run()
        .unwrap();
    assert!(walk.files.is_empty());
    assert!(matches!(
        walk.skipped[0].reason,
        SkipReason::PseudoFilesystem { .. }
    ));
}

#[test]
fn a_file_root_yields_itself() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.json");
    fs::write(&path, "{}").unwrap();
    let walk = Walker::new(&path).run().unwrap();
    assert_eq!(walk.files, [path]);
}

#[test]
fn a_deep_tree_does_not_grow_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let mut deep = dir.path().to_path_buf();
    for _ in 0..200 {
        deep.push("d");
    }
    fs::create_dir_all(&deep).unwrap();
    fs::write(deep.join("leaf.json"), "{}").unwrap();
    let walk = Walker::new(dir.path()).run().unwrap();
    assert_eq!(walk.files.len(), 1);
}
