//! The editor-registry files the release publishes (docs/releasing.md) are well formed and name
//! the version being released: the mason-registry draft, the nvim-lspconfig config, the
//! pre-commit mirror and the VS Code extension.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const VERSION: &str = env!("CARGO_PKG_VERSION");

#[test]
fn mason_package_installs_this_version_from_pypi() {
    let yaml: serde_yaml::Value = serde_yaml::from_str(&read("editors/mason/package.yaml"))
        .expect("editors/mason/package.yaml is YAML");
    assert_eq!(yaml["name"].as_str(), Some("j1ql"));
    assert_eq!(
        yaml["source"]["id"].as_str(),
        Some(format!("pkg:pypi/j1ql@{VERSION}").as_str())
    );
    assert_eq!(yaml["bin"]["j1ql"].as_str(), Some("pypi:j1ql"));
    assert_eq!(yaml["neovim"]["lspconfig"].as_str(), Some("j1ql"));
    let categories: Vec<&str> = yaml["categories"]
        .as_sequence()
        .expect("categories")
        .iter()
        .filter_map(|c| c.as_str())
        .collect();
    assert!(categories.contains(&"LSP"), "{categories:?}");
    assert_eq!(yaml["licenses"][0].as_str(), Some("Apache-2.0"));
}

#[test]
fn the_wheel_and_the_pre_commit_mirror_name_this_version() {
    let pyproject: toml::Value = toml::from_str(&read("pyproject.toml")).expect("pyproject.toml");
    assert_eq!(pyproject["project"]["name"].as_str(), Some("j1ql"));
    assert_eq!(
        pyproject["tool"]["maturin"]["bindings"].as_str(),
        Some("bin")
    );
    let mirror: toml::Value =
        toml::from_str(&read("editors/pre-commit/pyproject.toml")).expect("mirror pyproject");
    assert_eq!(mirror["project"]["version"].as_str(), Some(VERSION));
    let deps = mirror["project"]["dependencies"].as_array().expect("deps");
    assert_eq!(deps[0].as_str(), Some(format!("j1ql=={VERSION}").as_str()));
}

#[test]
fn vscode_extension_and_changelog_carry_this_version() {
    let package: serde_json::Value =
        serde_json::from_str(&read("editors/vscode/package.json")).expect("package.json");
    assert_eq!(package["version"].as_str(), Some(VERSION));
    let changelog = read("CHANGELOG.md");
    assert!(
        changelog.contains(&format!("## {VERSION}")),
        "CHANGELOG.md has no `## {VERSION}` section"
    );
    let readme = read("README.md");
    assert!(
        readme.contains(&format!("rev: v{VERSION}")),
        "the README's pre-commit snippet does not pin rev: v{VERSION}"
    );
}

#[test]
fn lspconfig_file_has_the_fields_nvim_lspconfig_reads() {
    let lua = read("editors/neovim/lspconfig/j1ql.lua");
    assert!(lua.contains("---@type vim.lsp.Config"), "{lua}");
    for field in [
        "cmd = { 'j1ql', 'lsp' }",
        "filetypes = { 'j1ql' }",
        "root_markers = { 'j1ql.toml', '.git' }",
    ] {
        assert!(lua.contains(field), "missing {field}");
    }
}
