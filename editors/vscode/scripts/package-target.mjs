// Packages a platform-specific .vsix with the j1ql server inside (`server/j1ql`), the way
// rust-analyzer and ruff ship their extensions (`vsce package --target`):
//
//   npm run package:target -- linux-x64 ../../target/release/j1ql
//
// → j1ql-linux-x64-<version>.vsix. The extension starts the bundled server unless
// `j1ql.server.path` is set explicitly (src/serverPath.ts). Targets: VS Code's
// (`win32-x64`, `linux-x64`, `linux-arm64`, `darwin-x64`, `darwin-arm64`, `alpine-x64`, …).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const [target, binary] = process.argv.slice(2);
const TARGETS = [
  "win32-x64", "win32-arm64", "linux-x64", "linux-arm64", "linux-armhf",
  "alpine-x64", "alpine-arm64", "darwin-x64", "darwin-arm64",
];
if (!TARGETS.includes(target ?? "") || binary === undefined) {
  console.error(`usage: package-target.mjs TARGET BINARY (TARGET one of ${TARGETS.join(", ")})`);
  process.exit(2);
}
if (!fs.existsSync(binary) || !fs.statSync(binary).isFile()) {
  console.error(`package-target: the server binary ${binary} does not exist`);
  process.exit(2);
}
const version = JSON.parse(fs.readFileSync(path.join(here, "package.json"), "utf8")).version;
const serverDir = path.join(here, "server");
const name = target.startsWith("win32") ? "j1ql.exe" : "j1ql";
fs.rmSync(serverDir, { recursive: true, force: true });
fs.mkdirSync(serverDir);
fs.copyFileSync(binary, path.join(serverDir, name));
fs.chmodSync(path.join(serverDir, name), 0o755);
const out = `j1ql-${target}-${version}.vsix`;
try {
  execFileSync(
    "npx",
    ["vsce", "package", "--target", target, "--skip-license", "--allow-missing-repository",
      "--no-rewrite-relative-links", "--out", out],
    { cwd: here, stdio: "inherit" },
  );
} finally {
  fs.rmSync(serverDir, { recursive: true, force: true });
}
console.log(`package-target: ${out} (server ${binary})`);
