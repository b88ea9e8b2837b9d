// Copies the TextMate grammars from the repository's `grammars/` folder into `syntaxes/`
// (`vsce package` only packs files inside the extension folder), and checks that each file
// is JSON whose `scopeName` is the one `package.json` declares for it.
//
// Usage: node scripts/copy-grammars.mjs [SOURCE_DIR] [DEST_DIR]
// (defaults: ../../grammars and ./syntaxes, relative to the extension folder).
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const source = resolve(process.argv[2] ?? join(root, "..", "..", "grammars"));
const dest = resolve(process.argv[3] ?? join(root, "syntaxes"));
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

const problems = [];
const grammars = manifest.contributes.grammars;
for (const g of grammars) {
  const name = basename(g.path);
  const from = join(source, name);
  if (!existsSync(from)) {
    problems.push(`missing grammar ${from} (package.json grammar ${g.scopeName})`);
    continue;
  }
  let grammar;
  try {
    grammar = JSON.parse(readFileSync(from, "utf8"));
  } catch (e) {
    problems.push(`${from} is not valid JSON: ${e.message}`);
    continue;
  }
  if (grammar.scopeName !== g.scopeName) {
    problems.push(
      `${from} has scopeName ${JSON.stringify(grammar.scopeName)}, but package.json declares ${JSON.stringify(g.scopeName)}`,
    );
    continue;
  }
  mkdirSync(dest, { recursive: true });
  copyFileSync(from, join(dest, name));
}

if (problems.length > 0) {
  console.error(`copy-grammars: cannot build the extension:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`copy-grammars: ${grammars.length} grammars copied from ${source} to ${dest}`);
