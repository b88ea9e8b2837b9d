// JupiterOne's Node client (@jupiterone/jupiterone-client-nodejs from npm) against `j1ql serve`.
// Its queryV1 pages with `SKIP n LIMIT 250`, asks for deferred answers and polls them; its
// GraphQL goes through Apollo's BatchHttpLink. Answers are compared with `j1ql run --format
// json`. Run by run.sh (which sets DEMO_URL, DATA_URL, DATA_DIR, STATE_DIR, J1_ACCOUNT,
// J1_TOKEN, J1QL_BIN).
'use strict';

const { execFileSync } = require('child_process');
const assert = require('assert');
const path = require('path');
// The package exports the client class itself.
const JupiterOneClient = require('@jupiterone/jupiterone-client-nodejs');

const failures = [];

function run(query, ...data) {
  const args = ['run', '--format', 'json'];
  for (const d of data) args.push('--data', d);
  if (data.length) args.push('--now', process.env.J1_NOW);
  args.push(query);
  return JSON.parse(execFileSync(process.env.J1QL_BIN, args, { encoding: 'utf8' }));
}

function check(name, got, expected) {
  try {
    assert.deepStrictEqual(got, expected);
    console.log(`ok   ${name}`);
  } catch (e) {
    failures.push(name);
    console.log(`FAIL ${name}\n  got:      ${JSON.stringify(got).slice(0, 400)}\n  expected: ${JSON.stringify(expected).slice(0, 400)}`);
  }
}

// The client has no base-URL option: set its endpoints before init().
async function client(base, token = process.env.J1_TOKEN) {
  const c = new JupiterOneClient({ account: process.env.J1_ACCOUNT, accessToken: token });
  c.apiUrl = base;
  c.queryEndpoint = `${base}/graphql`;
  return c.init();
}

async function main() {
  const demo = await client(process.env.DEMO_URL);
  const data = await client(process.env.DATA_URL);
  const DATA = process.env.DATA_DIR;

  // queryV1: list and tree on the demo account.
  for (const query of ['FIND User WITH active = true', 'FIND aws_s3_bucket WITH encrypted = false']) {
    check(`queryV1 ${query}`, await demo.queryV1(query), run(query).data);
  }
  const tree = 'FIND User THAT IS Person RETURN TREE';
  check('queryV1 TREE', await demo.queryV1(tree), run(tree).data);

  // SKIP/LIMIT paging with deferred answers over 620 devices: pages 250, 250, 120.
  const devices = await data.queryV1('FIND Device');
  check('queryV1 paging: 620 rows', devices.length, 620);
  check('queryV1 paging equals run', devices, run('FIND Device LIMIT 1000', DATA).data);

  // Batched GraphQL: several queries at once share one POST (Apollo batches them).
  const [a, b] = await Promise.all([
    demo.queryV1('FIND Person'),
    demo.queryV1("FIND User WITH email ~= 'acme'"),
  ]);
  check('batched queryV1 (1)', a, run('FIND Person').data);
  check('batched queryV1 (2)', b, run("FIND User WITH email ~= 'acme'").data);

  // A J1QL error fails the deferred job; the client throws its error message.
  try {
    await demo.queryV1('FIND User WITH active =');
    check('J1QL error raised', 'no error', 'an error');
  } catch (e) {
    check('J1QL error has line and column', /line 1, column/.test(e.message), true);
  }

  // A wrong token: the request is refused (401). The client's RetryLink would retry a refused
  // request for seconds; this client keeps its own code path but links without retries.
  const wrong = await client(process.env.DEMO_URL, 'wrong-token-0123456789');
  const { ApolloClient } = require('apollo-client');
  const { InMemoryCache } = require('apollo-cache-inmemory');
  const { BatchHttpLink } = require('apollo-link-batch-http');
  wrong.graphClient = new ApolloClient({
    link: new BatchHttpLink({ uri: wrong.queryEndpoint, headers: wrong.headers, fetch: require('node-fetch') }),
    cache: new InMemoryCache(),
  });
  try {
    await wrong.queryV1('FIND User');
    check('wrong token refused', 'answered', '401');
  } catch (e) {
    check('wrong token refused', e.networkError && e.networkError.statusCode, 401);
  }

  // A bulk upload through the synchronization API (the client has no function for it; its
  // repository's examples/sync-api posts with fetch, as here), then queryV1 sees it.
  const headers = { ...data.headers, 'Content-Type': 'application/json' };
  const post = async (route, body) => {
    const r = await fetch(`${process.env.DATA_URL}/persister/synchronization/jobs${route}`, {
      method: 'POST', headers, body: JSON.stringify(body),
    });
    assert.strictEqual(r.status, 200, `${route}: ${r.status}`);
    return r.json();
  };
  const { job } = await post('', { source: 'api', scope: 'node-ci', syncMode: 'DIFF' });
  await post(`/${job.id}/upload`, {
    entities: Array.from({ length: 300 }, (_, i) => ({
      _key: `gadget-${i}`, _type: 'ci_gadget', _class: 'Device', displayName: `Gadget ${i}`,
    })),
  });
  const finished = await post(`/${job.id}/finalize`, {});
  check('finalize', [finished.job.status, finished.job.numEntitiesCreated], ['FINISHED', 300]);
  const state = path.join(process.env.STATE_DIR, 'subgraphs');
  check('uploaded gadgets answer as run --data DATA --data STATE',
    await data.queryV1('FIND ci_gadget'),
    run('FIND ci_gadget LIMIT 1000', DATA, state).data);

  // Questions through the batched link.
  const created = await demo.createQuestion({
    title: 'Node CI question', tags: ['node-ci'], queries: [{ name: 'q', query: 'FIND User', version: 'v1' }],
  });
  check('createQuestion', created.title, 'Node CI question');
  const updated = await demo.updateQuestion({ id: created.id, title: 'Node CI question, renamed' });
  check('updateQuestion', updated.title, 'Node CI question, renamed');
  const deleted = await demo.deleteQuestion(created.id);
  check('deleteQuestion', deleted.id, created.id);

  if (failures.length) {
    console.log(`${failures.length} Node client check(s) failed: ${failures.join(', ')}`);
    process.exit(1);
  }
  console.log('Node client: all checks passed');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
