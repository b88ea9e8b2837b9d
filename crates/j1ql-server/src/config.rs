//! What `j1ql serve` is started with, and the checks made before it listens.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use j1ql_project::Project;

/// The server's settings (the options of `j1ql serve`).
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address to listen on; loopback unless a token is set.
    pub listen: SocketAddr,
    /// The account id clients must send (`JupiterOne-Account` / `LifeOmic-Account`); `None`:
    /// any account is accepted.
    pub account: Option<String>,
    /// The API token clients must send as `Authorization: Bearer`; `None`: any token (or none)
    /// is accepted, and only loopback addresses may be used.
    pub token: Option<String>,
    /// Requests allowed per period and client, if limited.
    pub rate_limit: Option<RateLimit>,
    /// The project whose data, clock, parameters, smart classes and lint settings are served
    /// (built as `j1ql run` builds it: the nearest `j1ql.toml`, with the command line over it).
    pub project: Arc<Project>,
    /// Folder that keeps uploaded subgraphs across restarts; `None`: memory only.
    pub state_dir: Option<PathBuf>,
    /// Folder of question YAML files the questions API loads and keeps; `None`: memory only.
    pub questions_dir: Option<PathBuf>,
    /// Largest request body in bytes (413 beyond).
    pub max_body_bytes: usize,
    /// Largest J1QL text in bytes (a GraphQL error beyond).
    pub max_query_bytes: usize,
}

impl ServeConfig {
    /// Settings for `project` with the defaults of `j1ql serve`.
    pub fn new(project: Project) -> ServeConfig {
        ServeConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            account: None,
            token: None,
            rate_limit: None,
            project: Arc::new(project),
            state_dir: None,
            questions_dir: None,
            max_body_bytes: 32 * 1024 * 1024,
            max_query_bytes: 64 * 1024,
        }
    }

    /// Refuses settings that would expose the account: a non-loopback address needs a token.
    pub fn check(&self) -> Result<(), String> {
        if !self.listen.ip().is_loopback() && self.token.is_none() {
            return Err(format!(
                "--listen {}: not a loopback address; serving beyond this machine needs --token",
                self.listen
            ));
        }
        Ok(())
    }
}

/// `--rate-limit N/PERIOD`: at most `requests` requests per `period` per client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per period.
    pub requests: u32,
    /// The period.
    pub period: Duration,
}

impl std::str::FromStr for RateLimit {
    type Err = String;

    /// `100/s`, `600/min`, `5000/h`, `10/5s`.
    fn from_str(text: &str) -> Result<RateLimit, String> {
        let bad = || format!("`{text}`: expected N/PERIOD, e.g. 100/s, 600/min, 5000/h or 10/5s");
        let (n, period) = text.split_once('/').ok_or_else(bad)?;
        let requests: u32 = n.trim().parse().map_err(|_| bad())?;
        if requests == 0 {
            return Err(format!(
                "`{text}`: the number of requests must be at least 1"
            ));
        }
        let period = period.trim();
        let digits: String = period.chars().take_while(|c| c.is_ascii_digit()).collect();
        let count: u64 = if digits.is_empty() {
            1
        } else {
            digits.parse().map_err(|_| bad())?
        };
        let unit = match &period[digits.len()..] {
            "s" | "sec" | "second" => 1,
            "m" | "min" | "minute" => 60,
            "h" | "hour" => 3600,
            _ => return Err(bad()),
        };
        if count == 0 {
            return Err(bad());
        }
        Ok(RateLimit {
            requests,
            period: Duration::from_secs(count * unit),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits_parse() {
        let r: RateLimit = "100/s".parse().unwrap();
        assert_eq!((r.requests, r.period), (100, Duration::from_secs(1)));
        let r: RateLimit = "600/min".parse().unwrap();
        assert_eq!(r.period, Duration::from_secs(60));
        let r: RateLimit = "10/5s".parse().unwrap();
        assert_eq!((r.requests, r.period), (10, Duration::from_secs(5)));
        assert!("10".parse::<RateLimit>().unwrap_err().contains("N/PERIOD"));
        assert!("0/s".parse::<RateLimit>().is_err());
        assert!("5/week".parse::<RateLimit>().is_err());
    }

    #[test]
    fn non_loopback_needs_a_token() {
        let project = Project::from_config(
            std::env::temp_dir(),
            None,
            Default::default(),
            "(test)".into(),
        )
        .unwrap();
        let mut config = ServeConfig::new(project);
        assert!(config.check().is_ok());
        config.listen = "0.0.0.0:8080".parse().unwrap();
        assert!(config.check().unwrap_err().contains("--token"));
        config.token = Some("secret".into());
        assert!(config.check().is_ok());
    }
}
