//! `j1ql completions` and `j1ql manpage` (docs/releasing.md): the scripts complete real
//! command lines in a real bash, and the manual pages name every command.

use std::process::{Command, Stdio};

fn j1ql(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_j1ql"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run j1ql")
}

/// Every subcommand name, from `j1ql --help`.
fn subcommands() -> Vec<String> {
    let help = String::from_utf8(j1ql(&["--help"]).stdout).unwrap();
    let commands: Vec<String> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 10, "{help}");
    commands
}

/// What bash's completion of `words` (the last one being completed) offers, using the script
/// `j1ql completions bash` prints.
fn bash_complete(words: &[&str]) -> Vec<String> {
    let script = String::from_utf8(j1ql(&["completions", "bash"]).stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j1ql.bash");
    std::fs::write(&path, script).unwrap();
    let line = words.join(" ");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{line}'; COMP_POINT={}; \
         _j1ql j1ql '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        path.display(),
        quoted.join(" "),
        words.len() - 1,
        line.len(),
        words[words.len() - 1],
        words[words.len().saturating_sub(2)],
    );
    let out = Command::new("bash")
        .args(["-c", &program])
        .output()
        .expect("run bash");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_commands_and_flags() {
    assert_eq!(bash_complete(&["j1ql", "ch"]), ["check"]);
    let all = bash_complete(&["j1ql", ""]);
    for command in subcommands() {
        assert!(all.contains(&command), "{command} missing from {all:?}");
    }
    assert_eq!(
        bash_complete(&["j1ql", "lsp", "--cl"]),
        ["--clientProcessId"]
    );
    let formats = bash_complete(&["j1ql", "check", "--format", ""]);
    assert!(formats.contains(&"json".to_string()), "{formats:?}");
}

#[test]
fn every_shell_gets_a_script_naming_every_command() {
    let commands = subcommands();
    for (shell, marker) in [
        ("bash", "complete -F _j1ql"),
        ("zsh", "#compdef j1ql"),
        ("fish", "complete -c j1ql"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[j1ql]"),
    ] {
        let out = j1ql(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains(marker), "{shell}: no `{marker}`");
        for command in &commands {
            assert!(script.contains(command.as_str()), "{shell}: no {command}");
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = j1ql(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tcsh"));
}

#[test]
fn manpage_on_stdout_names_every_command() {
    let out = j1ql(&["manpage"]);
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH j1ql 1"), "{page}");
    for command in subcommands() {
        // roff escapes `-` as `\-`: `j1ql\-corpus\-check(1)`.
        let reference = format!("j1ql-{command}(1)").replace('-', "\\-");
        assert!(page.contains(&reference), "no {reference} in j1ql(1)");
    }
}

#[test]
fn manpage_out_writes_one_page_per_command() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("man1");
    let out = j1ql(&["manpage", "--out", out_dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = std::fs::read_to_string(out_dir.join("j1ql-run.1")).unwrap();
    assert!(run.contains(".TH j1ql-run 1"), "{run}");
    assert!(
        run.contains("j1ql run"),
        "the synopsis names `j1ql run`: {run}"
    );
    for command in subcommands() {
        assert!(
            out_dir.join(format!("j1ql-{command}.1")).is_file(),
            "no page for {command}"
        );
    }
    assert!(out_dir.join("j1ql.1").is_file());
}
