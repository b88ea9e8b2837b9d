#!/usr/bin/env python3
"""Writes the demo account built into `j1ql run` (crates/j1ql-eval/data/demo/*.json).

A small, realistic JupiterOne account in bulk-upload form (docs/contracts.md#fixture-data): an Okta identity
provider with users and groups, the people behind them, two AWS accounts with buckets,
instances, security groups, IAM roles and policies, GitHub repositories, laptops with endpoint
agents, and findings. Each payload is its own subgraph (source/scope). Hand-designed; the
script only keeps the JSON tidy and deterministic. Run it after editing, and commit the output.
"""
import json
import os
import sys

DAY = 86_400_000
NOW = 1_763_683_200_000  # 2025-11-21T00:00:00Z, a fixed "now" for reproducible dates

OUT = os.path.join(os.path.dirname(__file__), "..", "crates", "j1ql-eval", "data", "demo")


def ent(key, typ, cls, display, **props):
    e = {"_key": key, "_type": typ, "_class": cls, "displayName": display}
    e.update(props)
    return e


def rel(frm, verb, to, **props):
    r = {"_key": f"{frm}|{verb.lower()}|{to}", "_type": props.pop("_type", None) or f"{verb.lower()}",
         "_class": verb, "_fromEntityKey": frm, "_toEntityKey": to}
    r.update(props)
    return r


def xrel(frm, frm_src, frm_scope, verb, to, **props):
    r = rel(frm, verb, to, **props)
    r["_fromEntitySource"] = frm_src
    r["_fromEntityScope"] = frm_scope
    return r


people = [
    # key, first, last, email, title, age, manager
    ("alice", "Alice", "Smith", "alice@acme.com", "Security Engineer", 34, None),
    ("bob", "Bob", "Jones", "bob@acme.com", "Software Engineer", 28, "alice"),
    ("carol", "Carol", "White", "carol@acme.com", "CTO", 45, None),
    ("dave", "Dave", "Brown", "dave@acme.com", "SRE", 39, "carol"),
    ("frank", "Frank", "Green", "frank@acme.com", "Contractor", 51, "carol"),
]

okta = {
    "source": "integration-managed", "scope": "okta",
    "entities": [
        ent("okta-account", "okta_account", "Account", "acme.okta.com", accountId="acme"),
        ent("okta-group-eng", "okta_user_group", "UserGroup", "Engineering"),
        ent("okta-group-admins", "okta_user_group", "UserGroup", "Administrators", admin=True),
        ent("okta-app-aws", "okta_application", "Application", "AWS SSO",
            signOnMode="SAML_2_0", **{"tag.AccountName": "prod"}),
    ],
    "relationships": [],
}
for key, first, last, email, title, age, _ in people:
    okta["entities"].append(ent(
        f"okta-user-{key}", "okta_user", "User", f"{first} {last}",
        username=email, email=email, active=key != "frank", mfaEnabled=key not in ("bob", "frank"),
        employeeType="contractor" if key == "frank" else "employee",
        createdOn=NOW - (400 if key != "bob" else 20) * DAY, lastLoginOn=NOW - (1 if key != "frank" else 200) * DAY))
    okta["relationships"].append(rel("okta-account", "HAS", f"okta-user-{key}"))
okta["entities"].append(ent("okta-user-deploybot", "okta_user", "User", "deploy-bot",
                            username="deploybot@acme.com", email="deploybot@acme.com", active=True,
                            mfaEnabled=False, employeeType="service"))
okta["relationships"] += [
    rel("okta-account", "HAS", "okta-user-deploybot"),
    rel("okta-group-eng", "HAS", "okta-user-bob"),
    rel("okta-group-eng", "HAS", "okta-user-dave"),
    rel("okta-group-eng", "HAS", "okta-user-alice"),
    rel("okta-group-admins", "HAS", "okta-user-alice"),
    rel("okta-group-admins", "HAS", "okta-user-carol"),
    rel("okta-user-alice", "ASSIGNED", "okta-app-aws"),
    rel("okta-user-dave", "ASSIGNED", "okta-app-aws"),
    rel("okta-account", "HAS", "okta-group-eng"),
    rel("okta-account", "HAS", "okta-group-admins"),
]

hr = {"source": "api", "scope": "hr", "entities": [], "relationships": []}
for key, first, last, email, title, age, manager in people:
    p = ent(f"person-{key}", "employee", "Person", f"{first} {last}", firstName=first, lastName=last,
            email=email, title=title, age=age, tags=["Employee"] if key != "frank" else ["Contractor"])
    if manager:
        p["manager"] = f"person-{manager}"
    hr["entities"].append(p)
    # The user accounts are owned by the Okta subgraph: name it (key + source + scope).
    hr["relationships"].append(xrel(f"okta-user-{key}", "integration-managed", "okta", "IS", f"person-{key}"))

aws = {
    "source": "integration-managed", "scope": "aws",
    "entities": [
        ent("aws-prod", "aws_account", "Account", "acme-prod", accountId="111111111111",
            **{"tag.AccountName": "prod", "tag.Production": True}),
        ent("aws-dev", "aws_account", "Account", "acme-dev", accountId="222222222222",
            **{"tag.AccountName": "dev", "tag.Production": False}),
        ent("s3-customer-data", "aws_s3_bucket", "DataStore", "customer-data", encrypted=True,
            public=False, classification="critical", bucketSizeBytes=52_000_000_000, accountId="111111111111",
            region="us-east-1", createdOn=NOW - 700 * DAY, **{"tag.Production": True, "tag.AccountName": "prod"}),
        ent("s3-web-assets", "aws_s3_bucket", "DataStore", "web-assets", encrypted=False, public=True,
            classification="public", bucketSizeBytes=1_200_000_000, accountId="111111111111",
            region="us-east-1", createdOn=NOW - 300 * DAY, **{"tag.Production": True, "tag.AccountName": "prod"}),
        ent("s3-logs", "aws_s3_bucket", ["DataStore", "Logs"], "acme-logs", encrypted=True, public=False,
            classification="internal", bucketSizeBytes=9_800_000_000, accountId="111111111111",
            region="eu-central-1", createdOn=NOW - 5 * DAY, **{"tag.AccountName": "prod"}),
        ent("s3-dev-scratch", "aws_s3_bucket", "DataStore", "dev-scratch", encrypted=False, public=False,
            bucketSizeBytes=3_000_000, accountId="222222222222", region="us-west-2",
            createdOn=NOW - 2 * DAY, **{"tag.AccountName": "dev", "tag.Production": False}),
        ent("i-web-1", "aws_instance", "Host", "web-1", public=True, platform="linux",
            publicIpAddress="54.0.0.10", privateIpAddress="10.0.1.10", instanceType="t3.large",
            **{"tag.Production": True, "tag.AccountName": "prod", "tag.Environment": "prod"}),
        ent("i-web-2", "aws_instance", "Host", "web-2", public=True, platform="linux",
            publicIpAddress="54.0.0.11", privateIpAddress="10.0.1.11", instanceType="t3.large",
            **{"tag.Production": True, "tag.AccountName": "prod", "tag.Environment": "staging"}),
        ent("i-batch-1", "aws_instance", "Host", "batch-1", public=False, platform="windows",
            privateIpAddress="10.0.2.20", instanceType="m5.xlarge",
            **{"tag.AccountName": "dev", "tag.Environment": "dev"}),
        ent("sg-web", "aws_security_group", "Firewall", "web-sg", groupId="sg-0001", vpcId="vpc-1"),
        ent("sg-internal", "aws_security_group", "Firewall", "internal-sg", groupId="sg-0002", vpcId="vpc-1"),
        ent("vol-web-1", "aws_ebs_volume", ["DataStore", "Disk"], "vol-web-1", encrypted=True, size=100),
        ent("vol-orphan", "aws_ebs_volume", ["DataStore", "Disk"], "vol-orphan", encrypted=False, size=500),
        ent("role-admin", "aws_iam_role", "AccessRole", "OrganizationAdmin", roleName="OrganizationAdmin"),
        ent("role-readonly", "aws_iam_role", "AccessRole", "ReadOnly", roleName="ReadOnly"),
        ent("policy-admin", "aws_iam_policy", "AccessPolicy", "AdministratorAccess", admin=True,
            name="AdministratorAccess"),
        ent("policy-s3-read", "aws_iam_policy", "AccessPolicy", "S3ReadOnly", admin=False, name="S3ReadOnly"),
        ent("snap-db-1", "aws_db_snapshot", ["DataStore", "Backup"], "db-snap-1", allocatedStorage=200,
            encrypted=True, **{"tag.AccountName": "prod"}),
        ent("snap-db-2", "aws_db_snapshot", ["DataStore", "Backup"], "db-snap-2", allocatedStorage=50,
            encrypted=False, **{"tag.AccountName": "dev"}),
        ent("internet", "internet", ["Internet", "Network"], "Internet", CIDR="0.0.0.0/0", public=True),
    ],
    "relationships": [
        rel("aws-prod", "HAS", "s3-customer-data"), rel("aws-prod", "HAS", "s3-web-assets"),
        rel("aws-prod", "HAS", "s3-logs"), rel("aws-dev", "HAS", "s3-dev-scratch"),
        rel("aws-prod", "HAS", "i-web-1"), rel("aws-prod", "HAS", "i-web-2"), rel("aws-dev", "HAS", "i-batch-1"),
        rel("aws-prod", "HAS", "sg-web"), rel("aws-prod", "HAS", "sg-internal"),
        rel("aws-prod", "HAS", "role-admin"), rel("aws-prod", "HAS", "role-readonly"),
        rel("sg-web", "PROTECTS", "i-web-1"), rel("sg-web", "PROTECTS", "i-web-2"),
        rel("sg-internal", "PROTECTS", "i-batch-1"),
        rel("sg-web", "ALLOWS", "internet", _type="aws_security_group_rule", ingress=True, egress=False,
            fromPort=443, toPort=443, ipProtocol="tcp"),
        rel("sg-internal", "ALLOWS", "internet", _type="aws_security_group_rule", ingress=False, egress=True,
            fromPort=0, toPort=65535, ipProtocol="all"),
        rel("i-web-1", "USES", "vol-web-1"), rel("i-web-1", "USES", "sg-web"),
        rel("role-admin", "ASSIGNED", "policy-admin"), rel("role-readonly", "ASSIGNED", "policy-s3-read"),
        rel("policy-admin", "ALLOWS", "aws-prod", admin=True, permission="FULL_CONTROL"),
        rel("policy-s3-read", "ALLOWS", "s3-customer-data", admin=False, permission="READ",
            actions=["s3:GetObject", "s3:ListBucket"]),
        rel("aws-prod", "HAS", "snap-db-1"), rel("aws-dev", "HAS", "snap-db-2"),
    ],
}
# SSO: the Okta application connects to the prod account (owned by another subgraph).
okta["relationships"].append({**rel("okta-app-aws", "CONNECTS", "aws-prod"),
                              "_toEntitySource": "integration-managed", "_toEntityScope": "aws"})

github = {
    "source": "integration-managed", "scope": "github",
    "entities": [
        ent("gh-org", "github_account", "Account", "acme-corp", accountType="Organization"),
        ent("gh-repo-api", "github_repo", "CodeRepo", "api", public=False, archived=False, language="Rust",
            **{"tag.Production": True}),
        ent("gh-repo-web", "github_repo", "CodeRepo", "web", public=True, archived=False, language="TypeScript"),
        ent("gh-repo-old", "github_repo", "CodeRepo", "legacy-scripts", public=True, archived=True,
            language="Python"),
        ent("gh-user-bob", "github_user", "User", "bob-dev", username="bob-dev", email="bob@acme.com",
            mfaEnabled=False, role="MEMBER"),
        ent("gh-user-alice", "github_user", "User", "alice-sec", username="alice-sec", email="alice@acme.com",
            mfaEnabled=True, role="OWNER"),
        ent("npm-serde", "npm_package", "CodeModule", "left-pad", version="1.3.0", license="MIT"),
    ],
    "relationships": [
        rel("gh-org", "HAS", "gh-repo-api"), rel("gh-org", "HAS", "gh-repo-web"), rel("gh-org", "HAS", "gh-repo-old"),
        rel("gh-org", "HAS", "gh-user-bob"), rel("gh-org", "HAS", "gh-user-alice"),
        rel("gh-user-bob", "OWNS", "gh-repo-web"), rel("gh-user-alice", "OWNS", "gh-repo-api"),
        rel("gh-repo-web", "USES", "npm-serde", version="1.3.0"),
        xrel("gh-user-bob", "integration-managed", "github", "IS", "person-bob", _toEntitySource="api"),
        xrel("gh-user-alice", "integration-managed", "github", "IS", "person-alice"),
    ],
}
for r in github["relationships"]:
    if r["_class"] == "IS":
        r["_toEntitySource"] = "api"
        r["_toEntityScope"] = "hr"

endpoints = {
    "source": "integration-managed", "scope": "jamf",
    "entities": [
        ent("mac-alice", "user_endpoint", "Device", "alice-mbp", platform="darwin", osVersion="15.1",
            encrypted=True, macAddress="aa:bb:cc:00:00:01"),
        ent("mac-bob", "user_endpoint", "Device", "bob-mbp", platform="darwin", osVersion="14.6",
            encrypted=False, macAddress="aa:bb:cc:00:00:02"),
        ent("linux-dave", "user_endpoint", "Device", "dave-thinkpad", platform="linux", osVersion="24.04",
            encrypted=True, macAddress="aa:bb:cc:00:00:03"),
        ent("win-carol", "user_endpoint", "Device", "carol-surface", platform="windows", osVersion="11",
            encrypted=True, macAddress="aa:bb:cc:00:00:04"),
        ent("agent-alice", "crowdstrike_sensor", "HostAgent", "falcon-alice", active=True,
            lastSeenOn=NOW - 1 * DAY, platformName="Mac"),
        ent("agent-dave", "crowdstrike_sensor", "HostAgent", "falcon-dave", active=True,
            lastSeenOn=NOW - 10 * DAY, platformName="Linux"),
        ent("agent-carol", "crowdstrike_sensor", "HostAgent", "falcon-carol", active=False,
            lastSeenOn=NOW - 40 * DAY, platformName="Windows"),
    ],
    "relationships": [
        rel("agent-alice", "PROTECTS", "mac-alice"), rel("agent-dave", "PROTECTS", "linux-dave"),
        rel("agent-carol", "PROTECTS", "win-carol"),
    ],
}
for person, device in [("alice", "mac-alice"), ("bob", "mac-bob"), ("dave", "linux-dave"), ("carol", "win-carol")]:
    endpoints["relationships"].append({**rel(f"person-{person}", "OWNS", device),
                                       "_fromEntitySource": "api", "_fromEntityScope": "hr"})

findings = {
    "source": "integration-managed", "scope": "inspector",
    "entities": [
        ent("finding-1", "aws_inspector_finding", "Finding", "OpenSSL CVE-2024-0001", severity="critical",
            numericSeverity=9.8, open=True, createdOn=NOW - 3 * DAY),
        ent("finding-2", "aws_inspector_finding", "Finding", "Outdated kernel", severity="high",
            numericSeverity=7.5, open=True, createdOn=NOW - 30 * DAY),
        ent("finding-3", "aws_inspector_finding", "Finding", "Weak TLS cipher", severity="medium",
            numericSeverity=5.0, open=False, createdOn=NOW - 90 * DAY),
        ent("finding-4", "snyk_finding", ["Finding", "Vulnerability"], "Prototype pollution in left-pad",
            severity="high", numericSeverity=7.1, open=True, createdOn=NOW - 12 * DAY),
    ],
    "relationships": [],
}
for host, finding in [("i-web-1", "finding-1"), ("i-web-1", "finding-2"), ("i-web-2", "finding-3")]:
    findings["relationships"].append(xrel(host, "integration-managed", "aws", "HAS", finding))
findings["relationships"].append(xrel("gh-repo-web", "integration-managed", "github", "HAS", "finding-4"))

payloads = {"okta": okta, "hr": hr, "aws": aws, "github": github, "endpoints": endpoints, "findings": findings}


def main():
    os.makedirs(OUT, exist_ok=True)
    check = "--check" in sys.argv
    stale = []
    for name, payload in payloads.items():
        for r in payload["relationships"]:
            r["_type"] = r.get("_type") or r["_class"].lower()
        text = json.dumps(payload, indent=1, sort_keys=True) + "\n"
        path = os.path.join(OUT, f"{name}.json")
        if check:
            if not os.path.exists(path) or open(path).read() != text:
                stale.append(path)
        else:
            with open(path, "w") as f:
                f.write(text)
    if stale:
        sys.exit(f"demo graph out of date: {stale}; run scripts/gen-demo-graph.py")
    n_e = sum(len(p["entities"]) for p in payloads.values())
    n_r = sum(len(p["relationships"]) for p in payloads.values())
    print(f"demo graph: {n_e} entities, {n_r} relationships in {len(payloads)} payloads", file=sys.stderr)


if __name__ == "__main__":
    main()
