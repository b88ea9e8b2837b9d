"""JupiterOne's Python client (`jupiterone` from PyPI) against `j1ql serve`.

Every answer is compared with `j1ql run --format json` on the same data. Run by run.sh, which
starts the servers and sets DEMO_URL, DATA_URL, DATA_DIR, STATE_DIR, J1_ACCOUNT, J1_TOKEN and
J1QL_BIN.
"""
import json
import os
import subprocess
import sys

from jupiterone import JupiterOneClient
from jupiterone.errors import JupiterOneApiError

ACCOUNT = os.environ["J1_ACCOUNT"]
TOKEN = os.environ["J1_TOKEN"]
failures = []


def client(base, token=TOKEN):
    return JupiterOneClient(account=ACCOUNT, token=token, url=f"{base}/graphql", sync_url=base)


def run(query, *data):
    """`j1ql run --format json` of a query over the given --data folders (none: the demo)."""
    args = [os.environ["J1QL_BIN"], "run", "--format", "json"]
    for d in data:
        args += ["--data", d]
    if data:
        args += ["--now", os.environ["J1_NOW"]]
    out = subprocess.run(args + [query], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def check(name, got, expected):
    if got == expected:
        print(f"ok   {name}")
    else:
        failures.append(name)
        print(f"FAIL {name}\n  got:      {json.dumps(got)[:400]}\n  expected: {json.dumps(expected)[:400]}")


demo = client(os.environ["DEMO_URL"])
data = client(os.environ["DATA_URL"])
DATA = os.environ["DATA_DIR"]

# query_v1: list, table and tree shapes on the demo account.
for query in [
    "FIND User WITH active = true",
    "FIND User AS u THAT IS Person AS p RETURN u.email AS email, p.displayName AS name",
    "FIND aws_account AS a THAT HAS aws_s3_bucket AS b RETURN a.displayName AS account, count(b) AS buckets",
]:
    check(f"query_v1 {query}", demo.query_v1(query)["data"], run(query)["data"])
tree = "FIND User THAT IS Person RETURN TREE"
check("query_v1 TREE", demo.query_v1(tree), run(tree)["data"])

# Cursor paging over more than 500 results (620 devices: pages of 250, 250, 120).
query = "FIND Device LIMIT 1000"
rows = data.query_v1(query)["data"]
check("query_v1 cursor paging: 620 rows", len(rows), 620)
check("query_v1 cursor paging equals run", rows, run(query, DATA)["data"])
# Without LIMIT the spec's default 250 bounds the answer, as in `j1ql run`.
check("query_v1 default LIMIT", data.query_v1("FIND Device")["data"], run("FIND Device", DATA)["data"])
# The deprecated SKIP/LIMIT paging.
check("query_v1 skip/limit paging", data.query_v1("FIND Device", skip=250, limit=250)["data"],
      run("FIND Device LIMIT 1000", DATA)["data"])

# Deferred answers: FORCE, poll the URL, page by the status document's cursor.
query = "FIND Device WITH platform = 'linux' LIMIT 500"
check("query_with_deferred_response", data.query_with_deferred_response(query), run(query, DATA)["data"])

# J1QL errors come back as GraphQL errors with line and column.
try:
    demo.query_v1("FIND User WITH active =")
    check("J1QL error raised", "no error", "an error")
except JupiterOneApiError as e:
    check("J1QL error has line and column", "line 1, column" in str(e), True)

# A wrong token: 401.
try:
    client(os.environ["DEMO_URL"], token="wrong-token-0123456789").query_v1("FIND User")
    check("wrong token refused", "answered", "401")
except JupiterOneApiError as e:
    check("wrong token refused", "401" in str(e), True)

# Bulk upload: a DIFF synchronization job for an integration instance.
widgets = [{"_key": f"widget-{i}", "_type": "ci_widget", "_class": "Resource", "displayName": f"Widget {i}",
            "ownerKey": f"user-{i:02}"} for i in range(30)]
job = data.start_sync_job(instance_id="ci-instance", sync_mode="DIFF", source="integration-external")["job"]
check("start_sync_job", (job["status"], job["scope"]), ("AWAITING_UPLOADS", "ci-instance"))
data.upload_entities_batch_json(job["id"], widgets[:20])
data.upload_entities_batch_json(job["id"], widgets[20:])
data.upload_relationships_batch_json(job["id"], [
    {"_key": f"widget-{i}|uses|widget-{i + 1}", "_type": "ci_widget_uses_widget", "_class": "USES",
     "_fromEntityKey": f"widget-{i}", "_toEntityKey": f"widget-{i + 1}"} for i in range(29)])
done = data.finalize_sync_job(job["id"])["job"]
check("finalize_sync_job", (done["status"], done["numEntitiesCreated"]), ("FINISHED", 30))
state = os.path.join(os.environ["STATE_DIR"], "subgraphs")
query = "FIND ci_widget THAT USES >> ci_widget LIMIT 100"
check("uploaded data answers as run --data DATA --data STATE",
      data.query_v1(query)["data"], run(query, DATA, state)["data"])
# A second DIFF job without widgets 20-29: they are deleted; the fleet is untouched.
job = data.start_sync_job(instance_id="ci-instance", sync_mode="DIFF", source="integration-external")["job"]
data.upload_combined_batch_json(job["id"], {"entities": widgets[:20]})
done = data.finalize_sync_job(job["id"])["job"]
check("DIFF deletes what the scope no longer uploads", done["numEntitiesDeleted"], 10)
check("other scopes untouched", len(data.query_v1("FIND Device LIMIT 1000")["data"]), 620)
query = "FIND ci_widget LIMIT 100"
check("after the second job, answers equal run",
      data.query_v1(query)["data"], run(query, DATA, state)["data"])
# An aborted job changes nothing.
job = data.start_sync_job(instance_id="ci-instance", sync_mode="DIFF", source="integration-external")["job"]
check("abort_sync_job", data.abort_sync_job(job["id"])["job"]["status"], "ABORTED")
check("abort changed nothing", len(data.query_v1("FIND ci_widget LIMIT 100")["data"]), 20)

# Questions.
created = demo.create_question(title="CI question", queries=[{"query": "FIND User", "name": "users"}],
                               description="made by the client test", tags=["ci"])
listed = [q["id"] for q in demo.list_questions(tags=["ci"])]
check("create_question + list_questions", listed, [created["id"]])
details = demo.get_question_details(question_id=created["id"])
check("get_question_details", (details["title"], details["queries"][0]["query"]), ("CI question", "FIND User"))
updated = demo.update_question(question_id=created["id"], title="CI question, renamed")
check("update_question", updated["title"], "CI question, renamed")
demo.delete_question(question_id=created["id"])
check("delete_question", demo.list_questions(tags=["ci"]), [])

if failures:
    print(f"{len(failures)} Python client check(s) failed: {failures}")
    sys.exit(1)
print("Python client: all checks passed")
