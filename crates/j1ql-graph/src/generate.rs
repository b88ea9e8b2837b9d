//! Synthetic accounts for benchmarks and for testing at scale: AWS accounts (buckets,
//! instances, security groups, roles, policies, IAM users), identity-provider users related to
//! `Person`s, devices with host agents, code repositories with findings. About 1.6
//! relationships per entity; the same `(entities, seed)` always gives the same bytes.
//!
//! Each file is one bulk-upload payload (`source: integration-managed`, scope `aws-N`) of about
//! [`UNIT`] entities; people live in the `api` / `hr` subgraph and identity-provider users in
//! `integration-managed` / `okta` (per-item `_source` / `_scope` overrides), so relationships
//! exercise every endpoint form: bare keys, key + source + scope, and `_id`.
//!
//! [`GenerateOptions::relationships`] asks for more relationships than the shapes make on their
//! own (a denser account, e.g. 1 M entities with 2 M relationships): each file then gets extra
//! `aws_instance CONNECTS aws_instance` and `okta_user ASSIGNED aws_iam_role` relationships,
//! drawn from a random stream of their own, so the rest of the data is the same bytes as
//! without the option.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// Entities per generated file.
pub const UNIT: usize = 5_000;

/// One generated payload file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// File name (`aws-0000.json`, ...), sorted in generation order.
    pub name: String,
    /// The payload, JSON text.
    pub text: String,
    /// Entities in it.
    pub entities: usize,
    /// Relationships in it.
    pub relationships: usize,
}

/// Totals of a generation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenerateStats {
    /// Files written.
    pub files: usize,
    /// Entities.
    pub entities: usize,
    /// Relationships.
    pub relationships: usize,
    /// Bytes of JSON.
    pub bytes: usize,
}

/// A small, fast, deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 * 1.0 < p
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const REGIONS: &[&str] = &[
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-2",
];
const ENVS: &[&str] = &["production", "staging", "development", "test"];
const FIRST: &[&str] = &[
    "ada", "alan", "grace", "linus", "margaret", "ken", "barbara", "dennis", "frances", "edsger",
    "radia", "donald", "sophie", "tim", "hedy", "john",
];
const LAST: &[&str] = &[
    "lovelace", "turing", "hopper", "torvalds", "hamilton", "thompson", "liskov", "ritchie",
    "allen", "dijkstra", "perlman", "knuth", "wilson", "berners", "lamarr", "backus",
];
const DEPTS: &[&str] = &[
    "engineering",
    "security",
    "finance",
    "sales",
    "support",
    "it",
];
const OS: &[&str] = &["macos", "windows", "linux"];
const SEVERITIES: &[&str] = &["critical", "high", "medium", "low"];
const INSTANCE_TYPES: &[&str] = &[
    "t3.micro",
    "t3.large",
    "m5.xlarge",
    "c5.2xlarge",
    "r5.large",
];

struct Unit {
    n: usize,
    entities: String,
    relationships: String,
    ecount: usize,
    rcount: usize,
    rel_seq: usize,
}

impl Unit {
    fn entity(&mut self, body: &str) {
        if self.ecount > 0 {
            self.entities.push_str(",\n");
        }
        self.entities.push_str("    {");
        self.entities.push_str(body);
        self.entities.push('}');
        self.ecount += 1;
    }

    /// A relationship; `from_extra` / `to_extra` add `_…EntitySource/_…EntityScope/_…EntityId`.
    fn rel(&mut self, class: &str, from: &str, from_extra: &str, to: &str, to_extra: &str) {
        if self.rcount > 0 {
            self.relationships.push_str(",\n");
        }
        self.rel_seq += 1;
        let _ = write!(
            self.relationships,
            "    {{\"_key\": \"r{}-{}\", \"_class\": \"{}\", \"_fromEntityKey\": \"{}\"{}, \
             \"_toEntityKey\": \"{}\"{}}}",
            self.n, self.rel_seq, class, from, from_extra, to, to_extra
        );
        self.rcount += 1;
    }
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateOptions {
    /// Entities in all (rounded to whole kinds per file).
    pub entities: usize,
    /// The same seed gives the same bytes.
    pub seed: u64,
    /// At least this many relationships in all (about 1.6 per entity come by themselves; more
    /// are added evenly over the files when this asks for more). `None`: the shapes' own.
    pub relationships: Option<usize>,
}

impl GenerateOptions {
    /// `entities` entities for `seed`, with the shapes' own relationships.
    pub fn new(entities: usize, seed: u64) -> GenerateOptions {
        GenerateOptions {
            entities,
            seed,
            relationships: None,
        }
    }
}

/// Generates `entities` entities (rounded to whole kinds per file) for `seed`, calling `sink`
/// with each file in order.
pub fn generate_each(
    entities: usize,
    seed: u64,
    sink: impl FnMut(GeneratedFile) -> io::Result<()>,
) -> io::Result<GenerateStats> {
    generate_with(GenerateOptions::new(entities, seed), sink)
}

/// Like [`generate_each`], with every option.
pub fn generate_with(
    options: GenerateOptions,
    mut sink: impl FnMut(GeneratedFile) -> io::Result<()>,
) -> io::Result<GenerateStats> {
    let GenerateOptions { entities, seed, .. } = options;
    let mut rng = Rng(seed ^ 0x6a09_e667_f3bc_c908);
    let mut stats = GenerateStats::default();
    let mut remaining = entities;
    let mut n = 0;
    while remaining > 0 {
        let size = remaining.min(UNIT);
        remaining -= size;
        // This file's share of the requested relationships (the last files take the rest).
        let wanted = options.relationships.map(|total| {
            let done_entities = entities - remaining;
            ((total as u128 * done_entities as u128 / entities as u128) as usize)
                .saturating_sub(stats.relationships)
        });
        let file = unit(&mut rng, n, size, wanted, seed);
        stats.files += 1;
        stats.entities += file.entities;
        stats.relationships += file.relationships;
        stats.bytes += file.text.len();
        sink(file)?;
        n += 1;
    }
    Ok(stats)
}

/// Generates the files in memory (fine for small sizes; see [`write_dir`] for large ones).
pub fn generate(entities: usize, seed: u64) -> Vec<GeneratedFile> {
    let mut out = Vec::new();
    let _ = generate_each(entities, seed, |f| {
        out.push(f);
        Ok(())
    });
    out
}

/// Writes the files into `dir` (created if needed), one at a time.
pub fn write_dir(entities: usize, seed: u64, dir: &Path) -> io::Result<GenerateStats> {
    write_dir_with(GenerateOptions::new(entities, seed), dir)
}

/// Like [`write_dir`], with every option.
pub fn write_dir_with(options: GenerateOptions, dir: &Path) -> io::Result<GenerateStats> {
    std::fs::create_dir_all(dir)?;
    generate_with(options, |f| std::fs::write(dir.join(&f.name), f.text))
}

/// One file: `size` entities of every kind, with at least `wanted` relationships when given.
fn unit(rng: &mut Rng, n: usize, size: usize, wanted: Option<usize>, seed: u64) -> GeneratedFile {
    let mut u = Unit {
        n,
        entities: String::with_capacity(size * 260),
        relationships: String::with_capacity(size * 190),
        ecount: 0,
        rcount: 0,
        rel_seq: 0,
    };
    // Shares of the unit, in per-mille.
    let share = |p: usize| (size * p / 1000).max(1);
    let account = format!("aws-account-{n}");
    let acct_id = 100_000_000_000u64 + n as u64;
    let region = rng.pick(REGIONS);
    u.entity(&format!(
        "\"_key\": \"{account}\", \"_type\": \"aws_account\", \"_class\": \"Account\", \
         \"name\": \"account-{n}\", \"displayName\": \"Account {n}\", \"accountId\": \"{acct_id}\", \
         \"tag.Environment\": \"{}\"",
        rng.pick(ENVS)
    ));
    let (policies, roles, users) = (share(60), share(60), share(30));
    let (buckets, sgs, instances) = (share(150), share(80), share(190));
    let (people, okta, devices, agents) = (share(100), share(100), share(80), share(60));
    let (repos, findings) = (share(30), share(59));
    let hr = ", \"_toEntitySource\": \"api\", \"_toEntityScope\": \"hr\"";
    let hr_from = ", \"_fromEntitySource\": \"api\", \"_fromEntityScope\": \"hr\"";
    for i in 0..policies {
        let admin = rng.chance(0.1);
        u.entity(&format!(
            "\"_key\": \"policy-{n}-{i}\", \"_type\": \"aws_iam_policy\", \"_class\": \
             \"AccessPolicy\", \"name\": \"policy-{i}\", \"displayName\": \"policy-{i}\", \
             \"arn\": \"arn:aws:iam::{acct_id}:policy/policy-{i}\", \"admin\": {admin}"
        ));
        u.rel("HAS", &account, "", &format!("policy-{n}-{i}"), "");
    }
    for i in 0..roles {
        u.entity(&format!(
            "\"_key\": \"role-{n}-{i}\", \"_type\": \"aws_iam_role\", \"_class\": \
             \"AccessRole\", \"name\": \"role-{i}\", \"displayName\": \"role-{i}\", \
             \"arn\": \"arn:aws:iam::{acct_id}:role/role-{i}\", \"tag.Team\": \"{}\"",
            rng.pick(DEPTS)
        ));
        u.rel("HAS", &account, "", &format!("role-{n}-{i}"), "");
        let p = rng.below(policies);
        u.rel(
            "ASSIGNED",
            &format!("role-{n}-{i}"),
            "",
            &format!("policy-{n}-{p}"),
            "",
        );
    }
    for i in 0..users {
        let mfa = rng.chance(0.7);
        u.entity(&format!(
            "\"_key\": \"iam-user-{n}-{i}\", \"_type\": \"aws_iam_user\", \"_class\": \"User\", \
             \"name\": \"svc-{i}\", \"username\": \"svc-{n}-{i}\", \"mfaEnabled\": {mfa}, \
             \"active\": true"
        ));
        u.rel("HAS", &account, "", &format!("iam-user-{n}-{i}"), "");
        let p = rng.below(policies);
        u.rel(
            "ASSIGNED",
            &format!("iam-user-{n}-{i}"),
            "",
            &format!("policy-{n}-{p}"),
            "",
        );
    }
    for i in 0..buckets {
        let (enc, public) = (rng.chance(0.8), rng.chance(0.05));
        let class = if rng.chance(0.1) {
            "[\"DataStore\", \"Resource\"]"
        } else {
            "\"DataStore\""
        };
        u.entity(&format!(
            "\"_key\": \"bucket-{n}-{i}\", \"_type\": \"aws_s3_bucket\", \"_class\": {class}, \
             \"name\": \"bucket-{n}-{i}\", \"displayName\": \"bucket-{n}-{i}\", \"region\": \
             \"{region}\", \"encrypted\": {enc}, \"public\": {public}, \"classification\": \
             \"{}\", \"tag\": {{\"Production\": {}}}",
            rng.pick(&["confidential", "internal", "public"]),
            rng.chance(0.4)
        ));
        u.rel("HAS", &account, "", &format!("bucket-{n}-{i}"), "");
        if rng.chance(0.7) {
            let r = rng.below(roles);
            u.rel(
                "ALLOWS",
                &format!("role-{n}-{r}"),
                "",
                &format!("bucket-{n}-{i}"),
                "",
            );
        }
    }
    for i in 0..sgs {
        u.entity(&format!(
            "\"_key\": \"sg-{n}-{i}\", \"_type\": \"aws_security_group\", \"_class\": \
             \"Firewall\", \"name\": \"sg-{i}\", \"displayName\": \"sg-{i}\", \"vpcId\": \
             \"vpc-{n}\", \"region\": \"{region}\""
        ));
        u.rel("HAS", &account, "", &format!("sg-{n}-{i}"), "");
    }
    for i in 0..instances {
        let ty = rng.pick(INSTANCE_TYPES);
        let state = if rng.chance(0.85) {
            "running"
        } else {
            "stopped"
        };
        let (a, b) = (rng.below(256), rng.below(256));
        u.entity(&format!(
            "\"_key\": \"i-{n}-{i}\", \"_type\": \"aws_instance\", \"_class\": \"Host\", \
             \"name\": \"web-{i}\", \"displayName\": \"web-{n}-{i}\", \"instanceType\": \"{ty}\", \
             \"state\": \"{state}\", \"region\": \"{region}\", \"privateIpAddress\": \
             \"10.{}.{a}.{b}\", \"publicIpAddress\": null, \"platform\": \"{}\", \
             \"tag.Environment\": \"{}\"",
            n % 256,
            rng.pick(OS),
            rng.pick(ENVS)
        ));
        u.rel("HAS", &account, "", &format!("i-{n}-{i}"), "");
        let s = rng.below(sgs);
        u.rel(
            "PROTECTS",
            &format!("sg-{n}-{s}"),
            "",
            &format!("i-{n}-{i}"),
            "",
        );
        if rng.chance(0.5) {
            let r = rng.below(roles);
            u.rel(
                "USES",
                &format!("i-{n}-{i}"),
                "",
                &format!("role-{n}-{r}"),
                "",
            );
        }
        if i > 0 {
            let o = rng.below(i);
            u.rel(
                "CONNECTS",
                &format!("i-{n}-{i}"),
                "",
                &format!("i-{n}-{o}"),
                "",
            );
        }
    }
    for i in 0..people {
        let (f, l) = (rng.pick(FIRST), rng.pick(LAST));
        u.entity(&format!(
            "\"_key\": \"person-{n}-{i}\", \"_type\": \"employee\", \"_class\": \"Person\", \
             \"_source\": \"api\", \"_scope\": \"hr\", \"name\": \"{f} {l}\", \"displayName\": \
             \"{f} {l}\", \"firstName\": \"{f}\", \"lastName\": \"{l}\", \"email\": \
             \"{f}.{l}.{n}.{i}@example.com\", \"department\": \"{}\", \"employeeType\": \
             \"{}\", \"active\": {}",
            rng.pick(DEPTS),
            rng.pick(&["employee", "contractor"]),
            rng.chance(0.95)
        ));
    }
    for i in 0..okta {
        let p = i % people;
        let mfa = rng.chance(0.8);
        u.entity(&format!(
            "\"_key\": \"okta-{n}-{i}\", \"_type\": \"okta_user\", \"_class\": \"User\", \
             \"_scope\": \"okta\", \"username\": \"user{n}x{i}\", \"email\": \
             \"user{n}x{i}@example.com\", \"status\": \"{}\", \"mfaEnabled\": {mfa}, \
             \"lastLogin\": {}",
            rng.pick(&["ACTIVE", "ACTIVE", "ACTIVE", "SUSPENDED"]),
            1_700_000_000_000u64 + rng.below(30_000_000_000) as u64
        ));
        u.rel(
            "IS",
            &format!("okta-{n}-{i}"),
            ", \"_fromEntitySource\": \"integration-managed\", \"_fromEntityScope\": \"okta\"",
            &format!("person-{n}-{p}"),
            hr,
        );
    }
    for i in 0..devices {
        let p = rng.below(people);
        u.entity(&format!(
            "\"_key\": \"device-{n}-{i}\", \"_type\": \"user_endpoint\", \"_class\": \
             \"Device\", \"hostname\": \"laptop-{n}-{i}\", \"serial\": \"SN{n:04}{i:06}\", \
             \"platform\": \"{}\", \"encrypted\": {}, \"lastSeenOn\": {}",
            rng.pick(OS),
            rng.chance(0.9),
            1_700_000_000_000u64 + rng.below(30_000_000_000) as u64
        ));
        u.rel(
            "OWNS",
            &format!("person-{n}-{p}"),
            hr_from,
            &format!("device-{n}-{i}"),
            "",
        );
    }
    for i in 0..agents {
        let d = i % devices;
        u.entity(&format!(
            "\"_key\": \"agent-{n}-{i}\", \"_type\": \"crowdstrike_sensor\", \"_class\": \
             \"HostAgent\", \"agentVersion\": \"7.{}.{}\", \"active\": {}, \"serial\": \
             \"SN{n:04}{d:06}\"",
            rng.below(20),
            rng.below(100),
            rng.chance(0.9)
        ));
        u.rel(
            "PROTECTS",
            &format!("agent-{n}-{i}"),
            "",
            &format!("device-{n}-{d}"),
            "",
        );
    }
    for i in 0..repos {
        u.entity(&format!(
            "\"_key\": \"repo-{n}-{i}\", \"_type\": \"github_repo\", \"_class\": \"CodeRepo\", \
             \"name\": \"service-{i}\", \"fullName\": \"org-{n}/service-{i}\", \"public\": {}, \
             \"archived\": {}",
            rng.chance(0.1),
            rng.chance(0.05)
        ));
        u.rel("HAS", &account, "", &format!("repo-{n}-{i}"), "");
    }
    for i in 0..findings {
        let r = rng.below(repos);
        let sev = rng.pick(SEVERITIES);
        let score = (rng.below(100) as f64) / 10.0;
        u.entity(&format!(
            "\"_key\": \"finding-{n}-{i}\", \"_type\": \"snyk_finding\", \"_class\": \"Finding\", \
             \"name\": \"CVE-2024-{:05}\", \"severity\": \"{sev}\", \"score\": {score}, \"open\": \
             {}, \"targets\": [\"service-{r}\"]",
            rng.below(100_000),
            rng.chance(0.7)
        ));
        u.rel(
            "HAS",
            &format!("repo-{n}-{r}"),
            "",
            &format!("finding-{n}-{i}"),
            "",
        );
    }
    if let Some(wanted) = wanted {
        // A stream of its own, so that the data above is the same with or without extras.
        let mut extra = Rng(seed ^ 0xbb67_ae85_84ca_a73b ^ (n as u64).wrapping_mul(0x9e37_79b9));
        let mut i = 0;
        while u.rcount < wanted {
            if i % 2 == 0 && instances > 1 {
                let (a, b) = (extra.below(instances), extra.below(instances));
                u.rel(
                    "CONNECTS",
                    &format!("i-{n}-{a}"),
                    "",
                    &format!("i-{n}-{b}"),
                    "",
                );
            } else {
                let (o, r) = (extra.below(okta), extra.below(roles));
                u.rel(
                    "ASSIGNED",
                    &format!("okta-{n}-{o}"),
                    ", \"_fromEntitySource\": \"integration-managed\", \"_fromEntityScope\": \"okta\"",
                    &format!("role-{n}-{r}"),
                    "",
                );
            }
            i += 1;
        }
    }
    let mut text = String::with_capacity(u.entities.len() + u.relationships.len() + 128);
    let _ = write!(
        text,
        "{{\n  \"source\": \"integration-managed\",\n  \"scope\": \"aws-{n}\",\n  \"entities\": \
         [\n{}\n  ],\n  \"relationships\": [\n{}\n  ]\n}}\n",
        u.entities, u.relationships
    );
    GeneratedFile {
        name: format!("aws-{n:04}.json"),
        text,
        entities: u.ecount,
        relationships: u.rcount,
    }
}
