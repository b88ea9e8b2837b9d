//! Size-bounded reads refuse oversized and endless files with a clear error.

use std::fs;

use j1ql_fs::{read_bounded, read_to_string_bounded, FsError};

#[test]
fn reads_a_file_within_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.j1ql");
    fs::write(&path, "FIND User").unwrap();
    assert_eq!(read_to_string_bounded(&path, 9).unwrap(), "FIND User");
}

#[test]
fn refuses_a_file_over_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.j1ql");
    fs::write(&path, "FIND User").unwrap();
    let err = read_bounded(&path, 8).unwrap_err();
    assert!(matches!(err, FsError::TooLarge { limit: 8, .. }), "{err}");
    assert!(err.to_string().contains("limit of 8 bytes"), "{err}");
}

#[test]
fn refuses_an_endless_device() {
    let err = read_bounded(std::path::Path::new("/dev/zero"), 1 << 16).unwrap_err();
    assert!(matches!(err, FsError::TooLarge { .. }), "{err}");
}

#[test]
fn bounds_proc_files_that_report_no_size() {
    // `/proc` files have a size of 0 in their metadata; the bound is enforced while reading.
    let path = std::path::Path::new("/proc/self/maps");
    assert_eq!(fs::metadata(path).unwrap().len(), 0);
    let err = read_bounded(path, 4).unwrap_err();
    assert!(matches!(err, FsError::TooLarge { .. }), "{err}");
}

#[test]
fn refuses_folders_and_invalid_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let err = read_bounded(dir.path(), 100).unwrap_err();
    assert!(matches!(err, FsError::NotAFile { .. }), "{err}");
    let path = dir.path().join("bad.j1ql");
    fs::write(&path, b"FIND \xff").unwrap();
    let err = read_to_string_bounded(&path, 100).unwrap_err();
    assert!(
        matches!(err, FsError::NotUtf8 { valid_up_to: 5, .. }),
        "{err}"
    );
}
