//! The live JupiterOne account's connection settings, resolved from the environment and
//! `[remote]` of `j1ql.toml` (docs/remote.md, "Settings"). They are resolved here, like every
//! other setting, so that the command line and the language server reach the same account.

use std::fmt;

use crate::{Project, ProjectError};

/// The environment variable holding the API key (the only place a key is read from, besides
/// `remote.key-command`).
pub const ENV_API_KEY: &str = "JUPITERONE_API_KEY";
/// The environment variable naming the account (`JupiterOne-Account`).
pub const ENV_ACCOUNT: &str = "JUPITERONE_ACCOUNT_ID";
/// The environment variable choosing the region (`us`, the default, or `eu`).
pub const ENV_REGION: &str = "JUPITERONE_REGION";
/// The environment variable giving any GraphQL URL (wins over the region).
pub const ENV_API_URL: &str = "JUPITERONE_API_URL";

/// Where the live account is and how to authenticate: everything a request needs. `Debug`
/// never prints the key.
#[derive(Clone, PartialEq, Eq)]
pub struct RemoteSettings {
    /// The GraphQL endpoint requests are POSTed to.
    pub url: String,
    /// The account id, sent as `JupiterOne-Account`.
    pub account: String,
    /// Where each setting came from (`JUPITERONE_API_URL`, `[remote] url of j1ql.toml`,
    /// ...), for messages that must name the setting to fix.
    pub origins: RemoteOrigins,
    key: String,
}

/// Which setting each value of [`RemoteSettings`] came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteOrigins {
    /// The URL's (an environment variable, `j1ql.toml`, or the default region).
    pub url: String,
    /// The account's.
    pub account: String,
    /// The key's.
    pub key: String,
}

impl fmt::Debug for RemoteSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteSettings")
            .field("url", &self.url)
            .field("account", &self.account)
            .field("key", &"<redacted>")
            .field("origins", &self.origins)
            .finish()
    }
}

impl RemoteSettings {
    /// Settings given directly (tests, the language server's explicit profile).
    pub fn new(url: String, account: String, key: String) -> RemoteSettings {
        RemoteSettings {
            url,
            account,
            origins: RemoteOrigins {
                url: "the given URL".into(),
                account: "the given account".into(),
                key: "the given key".into(),
            },
            key,
        }
    }

    /// The API key, sent as `Authorization: Bearer KEY`.
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// The GraphQL URL of a JupiterOne region.
pub fn region_url(region: &str) -> String {
    format!("https://graphql.{region}.jupiterone.io")
}

impl Project {
    /// The live account's settings from the process environment and `[remote]`.
    pub fn remote_settings(&self) -> Result<RemoteSettings, ProjectError> {
        self.remote_settings_with(&|name| std::env::var(name).ok())
    }

    /// The live account's settings, reading environment variables through `env` (an empty
    /// value counts as unset). The environment wins over `[remote]`; the URL is
    /// `JUPITERONE_API_URL`, else `remote.url`, else the region's (`JUPITERONE_REGION`, else
    /// `remote.region`, else `us`). The key is `JUPITERONE_API_KEY`, else what
    /// `remote.key-command` prints.
    pub fn remote_settings_with(
        &self,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<RemoteSettings, ProjectError> {
        let env = |name: &str| {
            env(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let remote = &self.config().remote;
        let file = |key: &str| format!("`remote.{key}` of {}", self.origin());
        let (url, url_origin) = if let Some(url) = env(ENV_API_URL) {
            (url, ENV_API_URL.to_string())
        } else if let Some(url) = &remote.url {
            (url.clone(), file("url"))
        } else if let Some(region) = env(ENV_REGION) {
            if region != "us" && region != "eu" {
                return Err(ProjectError(format!(
                    "{ENV_REGION} `{region}`: expected `us` or `eu` (or set {ENV_API_URL})"
                )));
            }
            (region_url(&region), ENV_REGION.to_string())
        } else if let Some(region) = &remote.region {
            (region_url(region), file("region"))
        } else {
            (region_url("us"), "the default region (us)".to_string())
        };
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(ProjectError(format!(
                "{url_origin}: `{url}` is not an http:// or https:// URL"
            )));
        }
        let (account, account_origin) = match (env(ENV_ACCOUNT), &remote.account) {
            (Some(a), _) => (a, ENV_ACCOUNT.to_string()),
            (None, Some(a)) if !a.trim().is_empty() => (a.trim().to_string(), file("account")),
            _ => {
                return Err(ProjectError(format!(
                    "no JupiterOne account: set {ENV_ACCOUNT} or `account` in [remote] of {}",
                    self.origin()
                )))
            }
        };
        let (key, key_origin) = match (env(ENV_API_KEY), &remote.key_command) {
            (Some(k), _) => (k, ENV_API_KEY.to_string()),
            (None, Some(command)) => (self.run_key_command(command)?, file("key-command")),
            (None, None) => {
                return Err(ProjectError(format!(
                    "no API key: set {ENV_API_KEY} or `key-command` in [remote] of {} \
                     (the key itself is never kept in j1ql.toml)",
                    self.origin()
                )))
            }
        };
        Ok(RemoteSettings {
            url,
            account,
            origins: RemoteOrigins {
                url: url_origin,
                account: account_origin,
                key: key_origin,
            },
            key,
        })
    }

    /// Runs `remote.key-command` with the shell, in the project's folder; its trimmed
    /// standard output is the key.
    fn run_key_command(&self, command: &str) -> Result<String, ProjectError> {
        let what = format!("`remote.key-command` of {} (`{command}`)", self.origin());
        let mut shell = if cfg!(windows) {
            let mut c = std::process::Command::new("cmd");
            c.arg("/C");
            c
        } else {
            let mut c = std::process::Command::new("sh");
            c.arg("-c");
            c
        };
        let output = shell
            .arg(command)
            .current_dir(self.root())
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| ProjectError(format!("{what}: cannot start: {e}")))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(ProjectError(format!(
                "{what} failed ({}){}",
                output.status,
                if stderr.trim().is_empty() {
                    String::new()
                } else {
                    format!(": {}", stderr.trim())
                }
            )));
        }
        let key = String::from_utf8(output.stdout)
            .map_err(|_| ProjectError(format!("{what} printed something that is not UTF-8")))?;
        let key = key.trim();
        if key.is_empty() {
            return Err(ProjectError(format!("{what} printed no key")));
        }
        Ok(key.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn project(toml: &str) -> Project {
        let config = j1ql_config::Config::from_toml(toml).unwrap();
        Project::from_config(std::env::temp_dir(), None, config, "j1ql.toml".into()).unwrap()
    }

    fn resolve(toml: &str, env: &[(&str, &str)]) -> Result<RemoteSettings, String> {
        let env: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        project(toml)
            .remote_settings_with(&|name| env.get(name).cloned())
            .map_err(|e| e.0)
    }

    #[test]
    fn environment_only_defaults_to_the_us_region() {
        let s = resolve("", &[(ENV_API_KEY, "k1"), (ENV_ACCOUNT, "acc")]).unwrap();
        assert_eq!(s.url, "https://graphql.us.jupiterone.io");
        assert_eq!(s.account, "acc");
        assert_eq!(s.key(), "k1");
        assert_eq!(s.origins.key, ENV_API_KEY);
        assert!(
            !format!("{s:?}").contains("k1"),
            "Debug must not print the key"
        );
    }

    #[test]
    fn region_and_url_choose_the_endpoint() {
        let base = [(ENV_API_KEY, "k"), (ENV_ACCOUNT, "a")];
        let eu = resolve("", &[base[0], base[1], (ENV_REGION, "eu")]).unwrap();
        assert_eq!(eu.url, "https://graphql.eu.jupiterone.io");
        let file_eu = resolve("[remote]\nregion = \"eu\"\n", &base).unwrap();
        assert_eq!(file_eu.url, "https://graphql.eu.jupiterone.io");
        assert!(file_eu.origins.url.contains("remote.region"));
        let url = resolve(
            "[remote]\nregion = \"eu\"\n",
            &[
                base[0],
                base[1],
                (ENV_API_URL, "http://127.0.0.1:9/graphql"),
            ],
        )
        .unwrap();
        assert_eq!(url.url, "http://127.0.0.1:9/graphql");
        let file_url = resolve("[remote]\nurl = \"http://localhost:1/graphql\"\n", &base).unwrap();
        assert_eq!(file_url.url, "http://localhost:1/graphql");
        let e = resolve("", &[base[0], base[1], (ENV_REGION, "ap")]).unwrap_err();
        assert!(e.contains("JUPITERONE_REGION `ap`"), "{e}");
        let e = resolve("", &[base[0], base[1], (ENV_API_URL, "ftp://x")]).unwrap_err();
        assert!(e.starts_with("JUPITERONE_API_URL"), "{e}");
    }

    #[test]
    fn missing_settings_are_named() {
        let e = resolve("", &[(ENV_API_KEY, "k")]).unwrap_err();
        assert!(e.contains("JUPITERONE_ACCOUNT_ID"), "{e}");
        let e = resolve("", &[(ENV_ACCOUNT, "a"), (ENV_API_KEY, "  ")]).unwrap_err();
        assert!(
            e.contains("no API key") && e.contains("JUPITERONE_API_KEY"),
            "{e}"
        );
        assert!(e.contains("key-command"), "{e}");
    }

    #[test]
    fn the_account_can_come_from_the_file_and_the_key_from_a_command() {
        let s = resolve(
            "[remote]\naccount = \"file-acc\"\nkey-command = \"echo ' from-command '\"\n",
            &[],
        )
        .unwrap();
        assert_eq!(s.account, "file-acc");
        assert_eq!(s.key(), "from-command");
        assert!(s.origins.key.contains("key-command"));
        let env_wins = resolve(
            "[remote]\naccount = \"file-acc\"\nkey-command = \"exit 3\"\n",
            &[(ENV_ACCOUNT, "env-acc"), (ENV_API_KEY, "env-key")],
        )
        .unwrap();
        assert_eq!(
            (env_wins.account.as_str(), env_wins.key()),
            ("env-acc", "env-key")
        );
    }

    #[test]
    fn a_failing_key_command_is_reported() {
        let e = resolve(
            "[remote]\naccount = \"a\"\nkey-command = \"echo nope >&2; exit 3\"\n",
            &[],
        )
        .unwrap_err();
        assert!(
            e.contains("`remote.key-command`") && e.contains("nope"),
            "{e}"
        );
        let e = resolve("[remote]\naccount = \"a\"\nkey-command = \"true\"\n", &[]).unwrap_err();
        assert!(e.contains("printed no key"), "{e}");
    }
}
