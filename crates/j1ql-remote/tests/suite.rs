//! `test --remote`'s comparison against a real `j1ql serve`: a suite whose fixtures were
//! pulled agrees with the account; an edited fixture shows up as row differences.

mod common;

use common::{device_data, guarded, Served};
use j1ql_remote::pull::{pull, PullOptions};
use j1ql_remote::suite::{compare_suites, human, json, Outcome};
use j1ql_remote::{block_on, QueryOptions};
use serde_json::Value;

const SUITE: &str = "\
// name: linux devices
FIND Device WITH platform = 'linux' LIMIT 1000

// name: owners
FIND Person AS p THAT HAS Device AS d RETURN p.email AS email, count(d) AS devices

// name: parameter
FIND Person WITH email = {{who}}
";

fn suite(dir: &std::path::Path) -> Vec<j1ql_test::Suite> {
    std::fs::write(
        dir.join("j1ql.toml"),
        "data = [\"fixtures\"]\n[params]\nwho = \"p2@example.com\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("devices.j1ql"), SUITE).unwrap();
    j1ql_test::discover(&[dir.to_path_buf()]).unwrap()
}

#[test]
fn pulled_suites_agree_and_edits_show_as_row_diffs() {
    let data = device_data(60);
    let server = Served::start(guarded(vec![data.path().into()]));
    let client = server.client();
    let dir = tempfile::tempdir().unwrap();
    let suites = suite(dir.path());
    let queries =
        j1ql_remote::pull::queries_of(dir.path().join("devices.j1ql").to_str().unwrap()).unwrap();
    assert_eq!(queries.len(), 3);
    let mut options = PullOptions::default();
    options
        .query
        .variables
        .insert("who".into(), "p2@example.com".into());
    let recording = block_on(pull(&client, &queries, &options)).unwrap();
    let fixture = recording.write(&dir.path().join("fixtures"), None).unwrap();

    let mut seen = Vec::new();
    let report = block_on(compare_suites(
        &client,
        &suites,
        None,
        &QueryOptions::default(),
        &mut |c| seen.push(c.name.clone()),
    ))
    .unwrap();
    assert_eq!(seen, ["linux devices", "owners", "parameter"]);
    for c in &report {
        assert!(matches!(c.outcome, Outcome::Same { .. }), "{c:?}");
    }
    assert_eq!(report[0].outcome, Outcome::Same { rows: 30 });
    assert_eq!(report[2].outcome, Outcome::Same { rows: 1 });
    assert_eq!(json(&report)["failed"], 0);

    // Drop one linux device from the fixture and change a person's email.
    let mut file: Value =
        serde_json::from_str(&std::fs::read_to_string(&fixture).unwrap()).unwrap();
    let entities = file["entities"].as_array_mut().unwrap();
    entities.retain(|e| e["_key"] != "device-0004");
    for e in entities.iter_mut() {
        if e["_key"] == "person-2" {
            e["email"] = "changed@example.com".into();
        }
    }
    file["relationships"]
        .as_array_mut()
        .unwrap()
        .retain(|r| !r["_key"].as_str().unwrap_or("").ends_with("device-0004"));
    std::fs::write(&fixture, file.to_string()).unwrap();
    let report = block_on(compare_suites(
        &client,
        &suites,
        None,
        &QueryOptions::default(),
        &mut |_| {},
    ))
    .unwrap();
    let Outcome::Differ(d) = &report[0].outcome else {
        panic!("{:?}", report[0]);
    };
    assert_eq!(
        (d.same, d.only_local.len(), d.only_remote.len()),
        (29, 0, 1)
    );
    assert_eq!(d.only_remote[0]["_key"], "device-0004");
    let Outcome::Differ(d) = &report[1].outcome else {
        panic!("{:?}", report[1]);
    };
    // person-2's row has the new email locally; person-4 owns devices 4, 14, ..., 54 on the
    // account (6) and one fewer in the edited fixture.
    assert!(
        d.lines()
            .iter()
            .any(|l| l.starts_with("- ") && l.contains("changed@example.com")),
        "{:?}",
        d.lines()
    );
    assert!(
        d.lines()
            .iter()
            .any(|l| l.starts_with("+ ") && l.contains("p2@example.com")),
        "{:?}",
        d.lines()
    );
    assert!(
        d.lines().iter().any(|l| l.starts_with("- ")
            && l.contains("p4@example.com")
            && l.contains("\"devices\":5")),
        "{:?}",
        d.lines()
    );
    // The parameter query finds nobody locally now.
    let Outcome::Differ(d) = &report[2].outcome else {
        panic!("{:?}", report[2]);
    };
    assert_eq!((d.only_local.len(), d.only_remote.len()), (0, 1));
    let text = human(&report);
    assert!(text.contains("DIFF "), "{text}");
    assert!(
        text.contains("3 queries compared: 0 same, 3 different or failed"),
        "{text}"
    );

    // --filter picks queries by name.
    let only = block_on(compare_suites(
        &client,
        &suites,
        Some("OWNERS"),
        &QueryOptions::default(),
        &mut |_| {},
    ))
    .unwrap();
    assert_eq!(only.len(), 1);
}
