"""The compared queries: J1QL, Cypher (Kuzu, one node table per _type, one rel table per
verb) and SQL (DuckDB, the same tables). Every query returns a count (or grouped counts) so
the three engines can be checked against each other; J1QL `count(x)` counts distinct
entities, hence `count(DISTINCT ...)` elsewhere. J1QL traversals are bidirectional by
default; in the generated data each verb used here only runs in one direction between the
two types, so the directed Cypher/SQL patterns are equivalent (the equal counts check it)."""

QUERIES = [
    {
        "name": "type filter + count",
        "j1ql": "FIND aws_s3_bucket WITH public = true RETURN count(aws_s3_bucket)",
        "cypher": "MATCH (b:aws_s3_bucket) WHERE b.public = true RETURN count(*)",
        "sql": "SELECT count(*) FROM aws_s3_bucket WHERE public = true",
    },
    {
        "name": "one hop, filters on both ends",
        "j1ql": "FIND aws_instance AS i WITH state = 'stopped' THAT USES aws_iam_role AS r "
        "WITH tag.Team = 'security' RETURN count(i)",
        "cypher": "MATCH (i:aws_instance)-[:USES]->(r:aws_iam_role) "
        "WHERE i.state = 'stopped' AND r.tag_Team = 'security' RETURN count(DISTINCT i)",
        "sql": "SELECT count(DISTINCT i.id) FROM aws_instance i JOIN USES u ON u.src = i.id "
        "JOIN aws_iam_role r ON r.id = u.dst WHERE i.state = 'stopped' AND r.tag_Team = 'security'",
    },
    {
        "name": "three hops, WHERE across aliases, grouped count",
        "j1ql": "FIND aws_security_group AS sg THAT PROTECTS aws_instance AS i THAT USES "
        "aws_iam_role AS r THAT ALLOWS aws_s3_bucket AS b WHERE i.tag.Environment = 'production' "
        "AND b.classification = 'confidential' AND sg.region = b.region "
        "RETURN i.platform, count(b)",
        "cypher": "MATCH (sg:aws_security_group)-[:PROTECTS]->(i:aws_instance)-[:USES]->"
        "(r:aws_iam_role)-[:ALLOWS]->(b:aws_s3_bucket) WHERE i.tag_Environment = 'production' "
        "AND b.classification = 'confidential' AND sg.region = b.region "
        "RETURN i.platform, count(DISTINCT b)",
        "sql": "SELECT i.platform, count(DISTINCT b.id) FROM aws_security_group sg "
        "JOIN PROTECTS p ON p.src = sg.id JOIN aws_instance i ON i.id = p.dst "
        "JOIN USES u ON u.src = i.id JOIN aws_iam_role r ON r.id = u.dst "
        "JOIN ALLOWS a ON a.src = r.id JOIN aws_s3_bucket b ON b.id = a.dst "
        "WHERE i.tag_Environment = 'production' AND b.classification = 'confidential' "
        "AND sg.region = b.region GROUP BY i.platform",
    },
    {
        "name": "negated traversal (!USES)",
        "j1ql": "FIND aws_instance WITH state = 'running' THAT !USES aws_iam_role "
        "RETURN count(aws_instance)",
        "cypher": "MATCH (i:aws_instance) WHERE i.state = 'running' AND NOT EXISTS "
        "{ MATCH (i)-[:USES]->(:aws_iam_role) } RETURN count(*)",
        "sql": "SELECT count(*) FROM aws_instance i WHERE i.state = 'running' AND NOT EXISTS "
        "(SELECT 1 FROM USES u JOIN aws_iam_role r ON r.id = u.dst WHERE u.src = i.id)",
    },
]
