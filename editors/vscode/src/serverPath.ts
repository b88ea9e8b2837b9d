// Finding the `j1ql` binary that serves `j1ql lsp`: the server bundled in a platform-specific
// .vsix, the `j1ql.server.path` setting, or `j1ql` on PATH. Pure (the file system is passed in) so that the lookup and its error message are
// unit-tested without VS Code.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** What the lookup may ask of the machine; `nodeEnvironment` gives the real one. */
export interface LookupEnvironment {
  /** `process.platform`. */
  platform: string;
  /** The `PATH` variable. */
  pathVariable: string | undefined;
  /** The `PATHEXT` variable (Windows executable extensions). */
  pathExt: string | undefined;
  /** The user's home folder, for `~/…`. */
  home: string;
  /** The first workspace folder, for relative paths and `${workspaceFolder}`. */
  workspaceFolder: string | undefined;
  /** Whether `file` exists and is an executable file. */
  isExecutable(file: string): boolean;
  /** Whether `file` exists at all (to tell "missing" from "not executable"). */
  exists(file: string): boolean;
}

/** The result of the lookup: the binary to start, or why there is none. */
export type ServerLookup =
  | { found: true; command: string }
  | { found: false; message: string };

/** The default of `j1ql.server.path`. */
export const DEFAULT_SERVER_COMMAND = "j1ql";

/** How to get the server, shown whenever it cannot be found. */
export const INSTALL_HINT =
  "Install it with `pipx install j1ql`, or from a checkout of the j1ql repository with `cargo install --locked --path .` " +
  "(puts `j1ql` in ~/.cargo/bin), or build it with `cargo build --release` and set " +
  "`j1ql.server.path` to the built `target/release/j1ql`. Then run “J1QL: Restart Language Server”.";

/** Resolves `setting` (the value of `j1ql.server.path`) to the binary to start. */
export function resolveServerPath(setting: string | undefined, env: LookupEnvironment): ServerLookup {
  const p = env.platform === "win32" ? path.win32 : path.posix;
  const raw = (setting ?? "").trim() || DEFAULT_SERVER_COMMAND;
  let value = raw;
  if (value.includes("${workspaceFolder}")) {
    if (env.workspaceFolder === undefined) {
      return {
        found: false,
        message: `j1ql.server.path is ${JSON.stringify(raw)}, but no workspace folder is open. ${INSTALL_HINT}`,
      };
    }
    value = value.split("${workspaceFolder}").join(env.workspaceFolder);
  }
  if (value === "~" || value.startsWith("~/") || value.startsWith("~\\")) {
    value = p.join(env.home, value.slice(1));
  }
  const hasSeparator = value.includes("/") || (env.platform === "win32" && value.includes("\\"));
  if (hasSeparator) {
    const file = p.isAbsolute(value) ? value : p.resolve(env.workspaceFolder ?? env.home, value);
    for (const candidate of withExtensions(file, env, p)) {
      if (env.isExecutable(candidate)) {
        return { found: true, command: candidate };
      }
    }
    const why = env.exists(file) ? "is not an executable file" : "does not exist";
    return {
      found: false,
      message: `The j1ql language server ${file} (from the setting j1ql.server.path) ${why}. ${INSTALL_HINT}`,
    };
  }
  const dirs = (env.pathVariable ?? "").split(p.delimiter).filter((d) => d.length > 0);
  for (const dir of dirs) {
    for (const candidate of withExtensions(p.join(dir, value), env, p)) {
      if (env.isExecutable(candidate)) {
        return { found: true, command: candidate };
      }
    }
  }
  return {
    found: false,
    message:
      `The j1ql language server \`${value}\` was not found on PATH (${dirs.length} folders searched). ` +
      INSTALL_HINT,
  };
}

/** `file` itself, then (on Windows, when it has no extension) `file` + each of PATHEXT. */
function withExtensions(file: string, env: LookupEnvironment, p: path.PlatformPath): string[] {
  if (env.platform !== "win32" || p.extname(file) !== "") {
    return [file];
  }
  const exts = (env.pathExt ?? ".COM;.EXE;.BAT;.CMD").split(";").filter((e) => e.length > 0);
  return [file, ...exts.map((e) => file + e.toLowerCase())];
}

/**
 * Where a platform-specific `.vsix` (`npm run package:target`) carries the server:
 * `server/j1ql` (`server/j1ql.exe` on Windows) inside the extension's folder.
 */
export function bundledServerPath(extensionDir: string, platform: string): string {
  const p = platform === "win32" ? path.win32 : path.posix;
  return p.join(extensionDir, "server", platform === "win32" ? "j1ql.exe" : "j1ql");
}

/**
 * The server to start: the one bundled in a platform-specific `.vsix`, unless the user set
 * `j1ql.server.path` explicitly (then that, as [`resolveServerPath`] finds it); without a
 * bundled server (the universal `.vsix`), `j1ql` on PATH or the setting.
 */
export function chooseServer(
  setting: string | undefined,
  explicitlySet: boolean,
  bundled: string | undefined,
  env: LookupEnvironment,
): ServerLookup {
  if (!explicitlySet && bundled !== undefined && env.isExecutable(bundled)) {
    return { found: true, command: bundled };
  }
  return resolveServerPath(setting, env);
}

/** The real machine: this process's environment and file system. */
export function nodeEnvironment(workspaceFolder: string | undefined): LookupEnvironment {
  return {
    platform: process.platform,
    pathVariable: process.env.PATH ?? process.env.Path,
    pathExt: process.env.PATHEXT,
    home: os.homedir(),
    workspaceFolder,
    isExecutable(file: string): boolean {
      try {
        if (!fs.statSync(file).isFile()) {
          return false;
        }
        fs.accessSync(file, process.platform === "win32" ? fs.constants.F_OK : fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
    exists: (file: string) => fs.existsSync(file),
  };
}
