// Renders a j1ql result (JSON on stdin, as `j1ql run` prints it) with the extension's webview
// renderer, as the result panel shows it: `--body` for the tables only, else the whole page.
// Needs `npm run compile` first.
//
//   j1ql run "FIND User AS u THAT IS Person AS p RETURN u.username, p.email" \
//     | node scripts/render-result.mjs --body
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { resultBodyHtml, resultPageHtml } = require("../out/render.js");
const result = JSON.parse(readFileSync(0, "utf8"));
if (process.argv.includes("--body")) {
  process.stdout.write(resultBodyHtml(result));
} else {
  process.stdout.write(
    resultPageHtml(result, { query: "stdin", cspSource: "vscode-resource:", showJsonCommand: "command:j1ql.showResultJson" }),
  );
}
