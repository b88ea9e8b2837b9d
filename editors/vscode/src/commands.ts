// The pure parts of the commands: the arguments of `j1ql.runQuery`, the title of a run, and
// which of the server's code actions are the De Morgan rewrites.

/** The server command that runs a query (docs/lsp.md). */
export const RUN_QUERY = "j1ql.runQuery";

/** The server command that runs a query on the live JupiterOne account (docs/remote.md). */
export const RUN_QUERY_REMOTE = "j1ql.runQueryRemote";

/** Whether a server command runs a query (and its result is shown in the result view). */
export function isRunCommand(command: string): boolean {
  return command === RUN_QUERY || command === RUN_QUERY_REMOTE;
}

/** `j1ql.runQuery` arguments for the query at a cursor position: `[uri, {line, character}]`. */
export function runQueryArguments(uri: string, line: number, character: number): [string, { line: number; character: number }] {
  return [uri, { line, character }];
}

/**
 * A title for the result of `j1ql.runQuery` with `args`: `[uri, index]` (the code lens),
 * `[uri, position]` (the command) or `[queryText]`.
 */
export function describeRun(args: readonly unknown[], command: string = RUN_QUERY): string {
  const title = describeQuery(args);
  return command === RUN_QUERY_REMOTE ? `${title} · on JupiterOne` : title;
}

function describeQuery(args: readonly unknown[]): string {
  const [first, second] = args;
  if (typeof first !== "string") {
    return "j1ql query";
  }
  if (args.length < 2 || !first.includes(":")) {
    return first;
  }
  const file = decodeURIComponent(first.split(/[/\\]/).pop() ?? first);
  if (typeof second === "number") {
    return `${file} · query ${second + 1}`;
  }
  if (typeof second === "object" && second !== null && "line" in second && typeof second.line === "number") {
    return `${file}:${second.line + 1}`;
  }
  return file;
}

/** The prefix of the server's De Morgan code action titles (`Expand (De Morgan): …`). */
const DE_MORGAN = /^(Expand|Collapse) \(De Morgan\): /;

/** The De Morgan rewrites among code actions, expand first. */
export function deMorganActions<T extends { title: string }>(actions: readonly T[]): T[] {
  const found = actions.filter((a) => DE_MORGAN.test(a.title));
  const rank = (a: T): number => (a.title.startsWith("Expand") ? 0 : 1);
  return found.sort((a, b) => rank(a) - rank(b));
}

/** The message shown when the cursor is on nothing De Morgan can rewrite. */
export const NO_DE_MORGAN =
  "No De Morgan rewrite here: put the cursor on a filter with a negation or a value group " +
  "(for example `WITH name != 'a' AND name != 'b'` or `name != ('a' OR 'b')`).";
