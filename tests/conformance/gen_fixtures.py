#!/usr/bin/env python3
"""Writes the conformance suite's fixture graph (fixtures/*.json).

The graph is designed by hand: every entity has a readable `_key`, and the answers in the
`*.j1ql` files are worked out from the tables below. Run `python3 gen_fixtures.py` after an edit
and commit both this script and its output.
"""
import json
import os
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))


def ms(text):
    """ISO 8601 (UTC, `Z`) -> epoch milliseconds."""
    dt = datetime.strptime(text.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z" if "." in text else "%Y-%m-%dT%H:%M:%S%z")
    return int(round(dt.timestamp() * 1000))


def ent(key, type_, class_, **props):
    e = {"_key": key, "_type": type_, "_class": class_}
    for k, v in props.items():
        e[k.replace("__", ".")] = v
    return e


def rel(frm, verb, to, key=None, **props):
    r = {
        "_key": key or f"{frm}|{verb.lower()}|{to}",
        "_type": f"{verb.lower()}",
        "_class": verb,
        "_fromEntityKey": frm,
        "_toEntityKey": to,
    }
    for k, v in props.items():
        r[k.replace("__", ".")] = v
    return r


# ---------------------------------------------------------------- core: people and identity
entities = [
    # okta users (User): age, active, mfaEnabled, email (array or scalar)
    ent("u-alice", "okta_user", "User", displayName="Alice Smith", username="alice", age=34, active=True,
        mfaEnabled=True, email=["alice@corp.com", "alice@old.net"], name="alice"),
    ent("u-bob", "okta_user", "User", displayName="Bob Jones", username="bob", age=28, active=True,
        mfaEnabled=False, email=["bob@corp.com"]),
    ent("u-carol", "okta_user", "User", displayName="Carol White", username="carol", age=45, active=False,
        mfaEnabled=False, email="carol@corp.io"),
    ent("u-dave", "okta_user", "User", displayName="Dave Brown", username="dave", age=51, active=True,
        mfaEnabled=True),
    ent("u-erin", "github_user", "User", displayName="erin-gh", username="erin", age=19, name="test"),
    # people (Person)
    ent("p-alice", "employee", "Person", displayName="Alice Smith", firstName="Alice", lastName="Smith",
        username="asmith", email="alice@corp.com", manager="p-jane"),
    ent("p-bob", "employee", "Person", displayName="Bob Jones", firstName="Bob", lastName="Jones",
        username="bjones", manager="p-jane"),
    ent("p-carol", "employee", "Person", displayName="Carol White", firstName="Carol", lastName="White",
        username="cwhite"),
    ent("p-frank", "employee", "Person", displayName="Frank Green", firstName="Frank", lastName="Green",
        username="fgreen", manager="p-jim"),
    ent("p-jane", "employee", "Person", displayName="Jane Doe", firstName="Jane", lastName="Doe",
        username="jdoe"),
    ent("p-jim", "employee", "Person", displayName="Jim Park", firstName="Jim", lastName="Park",
        username="jpark", tag__Production=True, classification="critical"),
    # devices (Device) and agents (HostAgent)
    ent("d-alice-mac", "user_endpoint", "Device", platform="darwin", ipAddress="10.0.0.1"),
    ent("d-bob-linux", "user_endpoint", "Device", platform="linux"),
    ent("d-dave-win", "user_endpoint", "Device", platform="windows"),
    ent("d-frank-mac", "user_endpoint", "Device", platform="darwin"),
    ent("d-spare", "user_endpoint", "Device"),
    ent("a-alice", "crowdstrike_agent", "HostAgent"),
    ent("a-frank", "crowdstrike_agent", "HostAgent"),
    # accounts (Account) holding users
    ent("acct-okta", "okta_account", "Account", displayName="Okta Main"),
    ent("acct-okta-sbx", "okta_account", "Account", displayName="Okta Sandbox"),
    ent("acct-github", "github_account", "Account", displayName="GitHub"),
    # groups, roles, policies
    ent("grp-admins", "okta_group", "UserGroup", displayName="Admins"),
    ent("role-admin", "aws_iam_role", "AccessRole", displayName="AdminRole"),
    ent("pol-admin", "aws_iam_policy", "AccessPolicy", displayName="AdministratorAccess"),
    ent("pol-read", "aws_iam_policy", "AccessPolicy", displayName="ReadOnly"),
    ent("pol-public", "aws_iam_policy", "AccessPolicy", displayName="PublicRead"),
    # jira users (the spec's De Morgan example)
    ent("ju-atl", "jira_user", "User", accountType="atlassian"),
    ent("ju-app", "jira_user", "User", accountType="app"),
    ent("ju-cust", "jira_user", "User", accountType="customer"),
    ent("ju-unknown", "jira_user", "User", accountType="unknown"),
    ent("ju-none", "jira_user", "User"),
]
relationships = [
    rel("u-alice", "IS", "p-alice"),
    rel("u-bob", "IS", "p-bob"),
    rel("u-carol", "IS", "p-carol"),
    rel("p-alice", "OWNS", "d-alice-mac"),
    rel("p-bob", "OWNS", "d-bob-linux"),
    rel("p-frank", "OWNS", "d-frank-mac"),
    rel("u-dave", "OWNS", "d-dave-win"),
    rel("u-alice", "HAS", "d-alice-mac"),
    rel("d-bob-linux", "HAS", "u-bob"),
    rel("a-alice", "PROTECTS", "d-alice-mac"),
    rel("a-frank", "PROTECTS", "d-frank-mac"),
    rel("acct-okta", "HAS", "u-alice"),
    rel("acct-okta", "HAS", "u-bob"),
    rel("acct-okta", "HAS", "u-carol"),
    rel("acct-okta-sbx", "HAS", "u-dave"),
    rel("acct-okta-sbx", "HAS", "u-alice"),
    rel("acct-github", "HAS", "u-erin"),
    rel("u-carol", "ASSIGNED", "pol-admin"),
    rel("u-dave", "ASSIGNED", "pol-read"),
    rel("grp-admins", "ASSIGNED", "role-admin"),
    rel("role-admin", "ASSIGNED", "pol-admin"),
    rel("pol-admin", "ALLOWS", "acct-prod", key="perm-admin", admin=True),
    rel("pol-read", "ALLOWS", "ds-logs", key="perm-read", admin=False),
    rel("pol-public", "PERMITS", "everyone"),
]

# ---------------------------------------------------------------- core: cloud resources
entities += [
    ent("internet", "internet", "Internet", displayName="Internet"),
    ent("everyone", "everyone", "Everyone", displayName="Everyone"),
    ent("acct-prod", "aws_account", "Account", displayName="prod", accountId="111111111111",
        tag__AccountName="prod", tag__Environment="prod"),
    ent("acct-dev", "aws_account", "Account", displayName="dev", accountId="222222222222",
        tag__AccountName="dev", tag__Environment="dev"),
    ent("svc-ec2", "aws_ec2", "Service", displayName="EC2"),
    ent("svc-s3", "aws_s3", "Service", displayName="S3"),
    # hosts
    ent("h-web", "aws_instance", "Host", displayName="web", public=True, status="running",
        tag__AccountName="xyz_demo", tag__Environment="xyz_demo", tag__Production=True,
        classification="critical", ipAddress="10.0.0.1", platform="linux", tags=["Production"],
        _IntegrationInstanceId="ii-aws"),
    ent("h-db", "aws_instance", "Host", displayName="db", public=False, status="Running",
        tag__AccountName="demo_xyz", tag__Environment="prod", tag__Production=True,
        classification="internal", ipAddress="10.0.0.2", platform="linux",
        _IntegrationInstanceId="ii-aws"),
    ent("h-batch", "aws_instance", "Host", displayName="batch", public=True, status="stopped",
        tag__AccountName="abc_demo_xyz", platform="windows", description="nightly kraken batch",
        _IntegrationInstanceId="ii-aws"),
    ent("h-legacy", "server", "Host", displayName="legacy", public=False, status="run",
        tag__AccountName="Demo-Corp"),
    ent("net-vpc", "aws_vpc", "Network", displayName="vpc-1", _IntegrationInstanceId="ii-aws"),
    ent("net-office", "office_network", "Network", displayName="office"),
    # firewalls
    ent("sg-web", "aws_security_group", "Firewall", groupId="sg-1", displayName="web-sg"),
    ent("sg-db", "aws_security_group", "Firewall", groupId="sg-2", displayName="db-sg"),
    ent("sg-admin", "aws_security_group", "Firewall", groupId="sg-3", displayName="admin-sg"),
    # network interfaces
    ent("eni-1", "aws_eni", "NetworkInterface", publicIpAddress="54.1.1.1", securityGroupIds=["sg-1", "sg-3"],
        subnetId="subnet-a", privateIp="10.0.0.1", publicIp="54.1.1.1", vpcId="vpc-1"),
    ent("eni-2", "aws_eni", "NetworkInterface", publicIpAddress="54.2.2.2", securityGroupIds=["sg-2"],
        subnetId="subnet-b", privateIp="10.0.0.2", publicIp="54.2.2.2", vpcId="vpc-1"),
    ent("eni-3", "aws_eni", "NetworkInterface", securityGroupIds=["sg-1"], subnetId="subnet-a",
        privateIp="10.0.0.3", vpcId="vpc-1"),
    # volumes (Disk)
    ent("vol-1", "aws_ebs_volume", "Disk", encrypted=False),
    ent("vol-2", "aws_ebs_volume", "Disk", encrypted=True),
    # data stores
    ent("ds-logs", "aws_s3_bucket", "DataStore", displayName="app-logs", encrypted=False,
        tag__Production=True, classification="critical", bucketSizeBytes=1024,
        tag__AccountName="prod", tag__Environment="prod"),
    ent("ds-public", "aws_s3_bucket", "DataStore", displayName="public-site", encrypted=False,
        classification="public", bucketSizeBytes=2048, description="Kraken release artifacts"),
    ent("ds-backup", "aws_s3_bucket", "DataStore", displayName="backups", encrypted=True,
        classification="restricted", bucketSizeBytes=0, tag__Classification="critical",
        **{"tag.special-name": "something"}),
    ent("ds-nodata", "aws_s3_bucket", "DataStore", displayName="empty"),
    ent("db-main", "aws_db_instance", ["Database", "DataStore"], displayName="main-db", encrypted=True,
        tag__Production=True, classification="critical", tag__Classification="critical"),
    # snapshots
    ent("snap-1", "aws_db_snapshot", "Backup", allocatedStorage=100, tag__AccountName="prod",
        tag__Production="true"),
    ent("snap-2", "aws_db_cluster_snapshot", "Backup", allocatedStorage=50, tag__AccountName="prod"),
    ent("snap-3", "aws_db_snapshot", "Backup", allocatedStorage=200, tag__AccountName="dev",
        tag__Production="false"),
    # applications
    ent("app-aws-sso", "okta_application", "Application", displayName="AWS SSO", tag__AccountName="okta-prod",
        signOnMode="SAML_2_0", loginUrl="https://login.corp.com/aws", tag__Production=True,
        classification="critical", tags=["Production"]),
    ent("app-jira", "okta_application", "Application", displayName="Jira", tag__AccountName="okta-prod",
        signOnMode="OPENID_CONNECT", loginUrl="https://corp.atlassian.net", tags=["Staging"]),
    # code repos
    ent("repo-new", "github_repo", "CodeRepo", displayName="new-service", _beginOn=ms("2024-12-31T00:00:00Z"),
        _version=1),
    ent("repo-edited", "github_repo", "CodeRepo", displayName="edited-service",
        _beginOn=ms("2024-12-31T06:00:00Z"), _version=2),
    ent("repo-old", "github_repo", "CodeRepo", displayName="monolith", _beginOn=ms("2023-01-01T00:00:00Z"),
        _version=4, tags=["CriticalAsset"]),
    # findings
    ent("f-vuln-1", "tenable_finding", "Finding", severity="high"),
    ent("f-vuln-2", "tenable_finding", "Finding", severity="low"),
    ent("f-secret", "github_finding", "Finding", severity="critical"),
]
relationships += [
    rel("acct-prod", "HAS", "svc-ec2"),
    rel("acct-dev", "HAS", "svc-s3"),
    rel("svc-ec2", "HAS", "h-web"),
    rel("svc-ec2", "HAS", "h-db"),
    rel("svc-s3", "HAS", "ds-logs"),
    rel("svc-s3", "HAS", "ds-public"),
    rel("sg-web", "ALLOWS", "internet", key="r-web-443", ingress=True, fromPort=443, toPort=443),
    rel("sg-web", "ALLOWS", "internet", key="r-web-22", ingress=True, fromPort=22, toPort=22),
    rel("sg-admin", "ALLOWS", "internet", key="r-admin-all", ingress=False, fromPort=0, toPort=65535),
    rel("sg-db", "ALLOWS", "sg-web", key="r-db-5432", ingress=True, fromPort=5432, toPort=5432),
    rel("sg-web", "PROTECTS", "h-web"),
    rel("sg-db", "PROTECTS", "h-db"),
    rel("sg-admin", "PROTECTS", "h-batch"),
    rel("h-web", "HAS", "eni-1"),
    rel("h-db", "HAS", "eni-2"),
    rel("h-web", "HAS", "eni-3"),
    rel("h-web", "USES", "vol-1"),
    rel("ds-backup", "HAS", "snap-3"),
    rel("db-main", "HAS", "snap-1"),
    rel("u-alice", "ASSIGNED", "app-aws-sso"),
    rel("u-bob", "ASSIGNED", "app-aws-sso"),
    rel("u-bob", "ASSIGNED", "app-jira"),
    rel("u-carol", "ASSIGNED", "app-jira"),
    rel("app-aws-sso", "CONNECTS", "acct-prod"),
    rel("app-aws-sso", "CONNECTS", "acct-dev"),
    rel("h-web", "HAS", "f-vuln-1"),
    rel("h-db", "HAS", "f-vuln-2"),
    rel("repo-old", "HAS", "f-secret"),
]

# ---------------------------------------------------------------- truth tables (spec rows)
entities += [
    ent("tt-fruit", "truth_row", "Record", labels="fruit"),
    ent("tt-nut", "truth_row", "Record", labels=["nut-filled"]),
    ent("tt-both", "truth_row", "Record", labels=["fruit", "nut-filled"]),
    ent("tt-nonfruit", "truth_row", "Record", labels="non-fruit"),
    ent("tt-nonfruit-plain", "truth_row", "Record", labels=["non-fruit", "plain"]),
    ent("tt-undefined", "truth_row", "Record"),
]

# ---------------------------------------------------------------- dates (createdOn, epoch ms)
for key, when in [
    ("ev-2018", "2018-06-01T00:00:00Z"),
    ("ev-2019a", "2019-01-01T00:00:00Z"),
    ("ev-2019b", "2019-10-30T00:00:00Z"),
    ("ev-2019c", "2019-10-30T13:30:00Z"),
    ("ev-2019d", "2019-10-30T13:30:45.500Z"),
    ("ev-2020", "2020-03-01T00:00:00Z"),
    ("ev-old", "2024-06-01T00:00:00Z"),
    ("ev-quarter", "2024-11-15T00:00:00Z"),
    ("ev-week", "2024-12-20T00:00:00Z"),
    ("ev-recent", "2024-12-31T12:00:00Z"),
]:
    entities.append(ent(key, "audit_event", "Record", createdOn=ms(when)))
entities.append(ent("ev-none", "audit_event", "Record"))

# ---------------------------------------------------------------- dates as ISO strings (issue 18)
# createdOn / closedOn of iso_ticket (class Issue) as ISO strings in several forms, one ticket
# with epoch ms, one open ticket. In time order of createdOn: iso-c (2024-11-01, epoch ms),
# iso-a (2024-12-05T00:00+09:00 = 2024-12-04T15:00Z), iso-b (2024-12-04T20:00Z), iso-open
# (2024-12-20). As text, iso-a sorts after iso-b. Days open: iso-a 2.5, iso-b 2, iso-c 1.
entities += [
    ent("iso-a", "iso_ticket", "Issue", createdOn="2024-12-05T00:00:00+09:00",
        closedOn="2024-12-07T03:00:00Z"),
    ent("iso-b", "iso_ticket", "Issue", createdOn="2024-12-04T20:00:00.000Z",
        closedOn="2024-12-06T22:00:00+02:00"),
    ent("iso-c", "iso_ticket", "Issue", createdOn=ms("2024-11-01T00:00:00Z"),
        closedOn=ms("2024-11-02T00:00:00Z")),
    ent("iso-open", "iso_ticket", "Issue", createdOn="2024-12-20"),
]

# ---------------------------------------------------------------- deleted items (issue 18)
# u-ghost (okta_user, `_deleted: true`) is in okta-main and IS p-jim; u-alice's deleted OWNS of
# d-spare. JupiterOne leaves deleted items, and relationships touching them, out of results:
# every other case is answered as if they were not there.
entities += [
    ent("u-ghost", "okta_user", "User", displayName="Ghost User", username="ghost", age=60,
        active=True, mfaEnabled=True, _deleted=True),
]
relationships += [
    rel("acct-okta", "HAS", "u-ghost"),
    rel("u-ghost", "IS", "p-jim"),
    rel("u-alice", "OWNS", "d-spare", _deleted=True),
]

core = {"source": "api", "scope": "core", "entities": entities, "relationships": relationships}

# ---------------------------------------------------------------- bitbucket (spec aggregation examples)
bb_entities = [
    ent("bb-proj-j1", "bitbucket_project", "Project", name="JupiterOne", aliases=["j1"]),
    ent("bb-proj-wb", "bitbucket_project", "Project", name="Windbreaker",
        aliases=["wb", "wind", "breaker", "windy", "wbk"]),
    ent("bb-team1", "bitbucket_team", "Team", name="team1"),
    ent("bb-team2", "bitbucket_team", "Team", name="team2"),
]
bb_rels = [
    rel("bb-proj-j1", "HAS", "bb-team1"),
    rel("bb-proj-j1", "HAS", "bb-team2"),
    rel("bb-proj-wb", "HAS", "bb-team2"),
]
# team1: users 01..25, ages 20..44 (avg 32); team2: users 26..30, ages 30, 32, 34, 36, 38 (avg 34)
for i in range(1, 31):
    age = 19 + i if i <= 25 else 30 + 2 * (i - 26)
    bb_entities.append(ent(f"bbu-{i:02}", "bitbucket_user", "Resource", name=f"bbuser{i:02}", age=age))
    team = "bb-team1" if i <= 25 else "bb-team2"
    bb_rels.append(rel(team, "HAS", f"bbu-{i:02}"))
bitbucket = {"source": "api", "scope": "bitbucket", "entities": bb_entities, "relationships": bb_rels}

# ---------------------------------------------------------------- bulk (> 250 entities)
# bk-001..bk-300: n = i, name = item-NNN, owner = 'ops' when i is a multiple of 10.
bulk_entities = []
for i in range(1, 301):
    props = {"n": i, "name": f"item-{i:03}"}
    if i % 10 == 0:
        props["owner"] = "ops"
    bulk_entities.append(ent(f"bk-{i:03}", "bulk_item", "Configuration", **props))
bulk = {"source": "api", "scope": "bulk", "entities": bulk_entities, "relationships": []}

for name, payload in [("core", core), ("bitbucket", bitbucket), ("bulk", bulk)]:
    with open(os.path.join(HERE, "fixtures", f"{name}.json"), "w") as f:
        json.dump(payload, f, indent=1)
        f.write("\n")
