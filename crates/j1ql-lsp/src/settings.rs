//! Editor settings: a `j1ql.toml`-shaped object the client sends (`initializationOptions.config`
//! at start, `workspace/didChangeConfiguration` later) holding only the keys the user set. It
//! is merged over the `j1ql.toml` of each workspace, key by key, so that a setting wins over the
//! file and an unset one leaves the file in charge.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The editor settings the server was given.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The settings as a TOML table (relative `data` paths already resolved).
    pub config: toml::Table,
    /// Why the settings the client sent cannot be used (shown as a `config` diagnostic).
    pub problem: Option<String>,
}

impl Settings {
    /// Settings from the `config` value the client sent. `null` values are left out (unset);
    /// relative `data` paths are resolved against `root` (the first workspace folder), when
    /// there is one.
    pub fn from_json(config: Option<&Value>, root: Option<&Path>) -> Settings {
        match config {
            None | Some(Value::Null) => Settings::default(),
            Some(Value::Object(_)) => {
                let Some(toml::Value::Table(mut config)) = config.and_then(to_toml) else {
                    return Settings::default();
                };
                if let (Some(toml::Value::Array(data)), Some(root)) = (config.get_mut("data"), root)
                {
                    for item in data.iter_mut() {
                        if let toml::Value::String(p) = item {
                            if Path::new(p.as_str()).is_relative() {
                                *p = root.join(&*p).to_string_lossy().into_owned();
                            }
                        }
                    }
                }
                Settings {
                    config,
                    problem: None,
                }
            }
            Some(other) => Settings {
                config: toml::Table::new(),
                problem: Some(format!(
                    "editor settings: `config` must be an object shaped like j1ql.toml, got {other}"
                )),
            },
        }
    }

    /// Whether the user set anything (or sent something unusable).
    pub fn is_empty(&self) -> bool {
        self.config.is_empty() && self.problem.is_none()
    }

    /// `base` (a parsed `j1ql.toml`) with the settings merged over it.
    pub fn over(&self, mut base: toml::Table) -> toml::Table {
        merge(&mut base, &self.config);
        base
    }
}

/// The settings object of a `workspace/didChangeConfiguration`: `settings.j1ql.config` (the
/// `j1ql` section, as VS Code-style clients send it) or `settings.config` (the shape of
/// `initializationOptions`); `null` clears the settings. `None`: the notification holds
/// neither (a `j1ql` section of raw editor settings without `config` is not this shape, and
/// leaves the settings as they are).
pub fn changed_config(settings: &Value) -> Option<&Value> {
    settings
        .get("j1ql")
        .and_then(|section| section.get("config"))
        .or_else(|| settings.get("config"))
}

/// The first workspace folder: what relative `data` paths of the settings resolve against.
pub fn root(roots: &[PathBuf]) -> Option<&Path> {
    roots.first().map(PathBuf::as_path)
}

/// Tables merge key by key, recursively; anything else (values, arrays) is replaced.
fn merge(base: &mut toml::Table, overlay: &toml::Table) {
    for (key, value) in overlay {
        match (base.get_mut(key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            _ => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
}

/// JSON → TOML; `null` (no TOML form) is dropped.
fn to_toml(value: &Value) -> Option<toml::Value> {
    Some(match value {
        Value::Null => return None,
        Value::Bool(b) => toml::Value::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64()?),
        },
        Value::String(s) => toml::Value::String(s.clone()),
        Value::Array(items) => toml::Value::Array(items.iter().filter_map(to_toml).collect()),
        Value::Object(map) => toml::Value::Table(
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), to_toml(v)?)))
                .collect(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_win_key_by_key() {
        let base: toml::Table =
            toml::from_str("data = [\"a\"]\n[params]\nx = 1\ny = 2\n[lint]\nignore = [\"L001\"]\n")
                .unwrap();
        let s = Settings::from_json(
            Some(
                &json!({"params": {"y": 3, "z": null}, "lint": {"select": ["S"]},
                         "data": ["fixtures", "/abs"]}),
            ),
            Some(Path::new("/root")),
        );
        let merged = s.over(base);
        assert_eq!(merged["params"]["x"].as_integer(), Some(1));
        assert_eq!(merged["params"]["y"].as_integer(), Some(3));
        assert!(merged["params"].get("z").is_none());
        assert_eq!(merged["lint"]["ignore"][0].as_str(), Some("L001"));
        assert_eq!(merged["lint"]["select"][0].as_str(), Some("S"));
        let data: Vec<&str> = merged["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(data, ["/root/fixtures", "/abs"]);
        let config = j1ql_config::Config::from_table(merged).unwrap();
        assert_eq!(config.lint.select, ["S"]);
    }

    #[test]
    fn unusable_settings_and_change_shapes() {
        assert!(Settings::from_json(None, None).is_empty());
        assert!(Settings::from_json(Some(&json!({})), None).is_empty());
        let bad = Settings::from_json(Some(&json!([1])), None);
        assert!(bad.problem.unwrap().contains("must be an object"));
        let c = json!({"params": {}});
        let s = json!({"j1ql": {"config": c}});
        assert_eq!(changed_config(&s), Some(&c));
        assert_eq!(changed_config(&json!({"config": c})), Some(&c));
        assert_eq!(changed_config(&json!({"j1ql": {"params": {}}})), None);
        assert_eq!(changed_config(&json!({"other": 1})), None);
        let cleared = json!({"j1ql": {"config": null}});
        assert!(Settings::from_json(changed_config(&cleared), None).is_empty());
    }
}
