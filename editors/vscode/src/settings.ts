// VS Code settings `j1ql.*` → the keys of `j1ql.toml` (crates/j1ql-config), sent to the
// language server as `initializationOptions.config`. Pure: the caller passes the settings the
// user set explicitly, so that unset ones leave the project's `j1ql.toml` in charge.

/** A JSON value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A `j1ql.toml`-shaped object (kebab-case keys, as in the file). */
export type TomlConfig = { [key: string]: Json };

type Kind =
  | { type: "string" }
  | { type: "boolean" }
  | { type: "strings" }
  | { type: "integer"; min: number; max: number }
  | { type: "enum"; values: readonly string[] }
  | { type: "object"; values?: readonly string[] };

/** One setting that has a `j1ql.toml` key. */
export interface SettingMapping {
  /** The setting, without the `j1ql.` prefix. */
  setting: string;
  /** Where it goes in `j1ql.toml`. */
  toml: readonly string[];
  /** What values it takes. */
  kind: Kind;
}

const SEVERITIES = ["error", "warning", "info", "hint", "off"] as const;

/** Every setting that maps to `j1ql.toml`, in the file's order. */
export const MAPPINGS: readonly SettingMapping[] = [
  { setting: "data.paths", toml: ["data"], kind: { type: "strings" } },
  { setting: "now", toml: ["now"], kind: { type: "string" } },
  { setting: "params", toml: ["params"], kind: { type: "object" } },
  { setting: "smartClasses", toml: ["smart-classes"], kind: { type: "object" } },
  { setting: "format.lineWidth", toml: ["format", "line-width"], kind: { type: "integer", min: 20, max: 100000 } },
  { setting: "format.indent", toml: ["format", "indent"], kind: { type: "integer", min: 1, max: 16 } },
  {
    setting: "format.keywordCase",
    toml: ["format", "keyword-case"],
    kind: { type: "enum", values: ["upper", "lower", "preserve"] },
  },
  {
    setting: "format.quoteStyle",
    toml: ["format", "quote-style"],
    kind: { type: "enum", values: ["single", "double", "preserve"] },
  },
  { setting: "lint.select", toml: ["lint", "select"], kind: { type: "strings" } },
  { setting: "lint.ignore", toml: ["lint", "ignore"], kind: { type: "strings" } },
  { setting: "lint.severity", toml: ["lint", "severity"], kind: { type: "object", values: SEVERITIES } },
  { setting: "lint.maxLimit", toml: ["lint", "max-limit"], kind: { type: "integer", min: 1, max: Number.MAX_SAFE_INTEGER } },
  { setting: "lint.alertPaths", toml: ["lint", "alert-paths"], kind: { type: "strings" } },
  { setting: "remote.account", toml: ["remote", "account"], kind: { type: "string" } },
  { setting: "remote.region", toml: ["remote", "region"], kind: { type: "enum", values: ["us", "eu"] } },
  { setting: "remote.url", toml: ["remote", "url"], kind: { type: "string" } },
  { setting: "remote.keyCommand", toml: ["remote", "key-command"], kind: { type: "string" } },
  { setting: "remote.lens", toml: ["remote", "lens"], kind: { type: "boolean" } },
];

/** Settings that configure the server itself rather than `j1ql.toml`. */
export const SERVER_OPTIONS = [
  { setting: "diagnostics.delayMs", option: "diagnosticsDelayMs" },
  { setting: "docsUrl", option: "docsUrl" },
] as const;

/** The mapped settings, and the values that were left out because they are invalid. */
export interface MappedSettings {
  /** `initializationOptions` for `j1ql lsp`. */
  initializationOptions: { config: TomlConfig; diagnosticsDelayMs?: number; docsUrl?: string };
  /** One message per rejected value, naming the setting. */
  problems: string[];
}

/**
 * Maps explicitly set settings (key without `j1ql.` → value; `undefined` = not set) to the
 * server's `initializationOptions`. Invalid values are dropped and reported, never sent.
 */
export function mapSettings(values: Readonly<Record<string, unknown>>): MappedSettings {
  const config: TomlConfig = {};
  const problems: string[] = [];
  for (const m of MAPPINGS) {
    const value = values[m.setting];
    if (value === undefined) {
      continue;
    }
    const checked = check(value, m.kind);
    if (typeof checked === "string") {
      problems.push(`j1ql.${m.setting}: ${checked}; ignored`);
      continue;
    }
    let table = config;
    for (const key of m.toml.slice(0, -1)) {
      const next = table[key];
      if (typeof next !== "object" || next === null || Array.isArray(next)) {
        table[key] = {};
      }
      table = table[key] as TomlConfig;
    }
    table[m.toml[m.toml.length - 1]] = checked.value;
  }
  const initializationOptions: MappedSettings["initializationOptions"] = { config };
  const delay = values["diagnostics.delayMs"];
  if (delay !== undefined) {
    if (typeof delay === "number" && Number.isInteger(delay) && delay >= 0) {
      initializationOptions.diagnosticsDelayMs = delay;
    } else {
      problems.push(`j1ql.diagnostics.delayMs: expected a whole number of milliseconds ≥ 0, got ${show(delay)}; ignored`);
    }
  }
  const docsUrl = values["docsUrl"];
  if (docsUrl !== undefined && docsUrl !== "") {
    if (typeof docsUrl === "string") {
      initializationOptions.docsUrl = docsUrl;
    } else {
      problems.push(`j1ql.docsUrl: expected a URL string, got ${show(docsUrl)}; ignored`);
    }
  }
  return { initializationOptions, problems };
}

function check(value: unknown, kind: Kind): { value: Json } | string {
  switch (kind.type) {
    case "string":
      return typeof value === "string" ? { value } : `expected a string, got ${show(value)}`;
    case "boolean":
      return typeof value === "boolean" ? { value } : `expected true or false, got ${show(value)}`;
    case "strings":
      return Array.isArray(value) && value.every((v) => typeof v === "string")
        ? { value }
        : `expected a list of strings, got ${show(value)}`;
    case "integer":
      return typeof value === "number" && Number.isInteger(value) && value >= kind.min && value <= kind.max
        ? { value }
        : `expected a whole number from ${kind.min} to ${kind.max}, got ${show(value)}`;
    case "enum":
      return typeof value === "string" && kind.values.includes(value)
        ? { value }
        : `expected one of ${kind.values.join(", ")}, got ${show(value)}`;
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return `expected an object, got ${show(value)}`;
      }
      const entries = Object.entries(value as Record<string, unknown>);
      if (kind.values !== undefined) {
        const values = kind.values;
        const bad = entries.find(([, v]) => typeof v !== "string" || !values.includes(v));
        if (bad !== undefined) {
          return `${bad[0]}: expected one of ${values.join(", ")}, got ${show(bad[1])}`;
        }
      }
      const nulls = entries.find(([, v]) => !isTomlValue(v));
      if (nulls !== undefined) {
        return `${nulls[0]}: null has no j1ql.toml form`;
      }
      return { value: value as Json };
    }
  }
}

function isTomlValue(v: unknown): boolean {
  if (v === null || v === undefined) {
    return false;
  }
  if (Array.isArray(v)) {
    return v.every(isTomlValue);
  }
  if (typeof v === "object") {
    return Object.values(v as Record<string, unknown>).every(isTomlValue);
  }
  return true;
}

function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

/** The `j1ql.toml` text of a mapped config (command “J1QL: Show Settings as j1ql.toml”). */
export function toToml(config: TomlConfig): string {
  const lines: string[] = [];
  const tables: [string, TomlConfig][] = [];
  const emit = (prefix: string, table: TomlConfig): void => {
    for (const [key, value] of Object.entries(table)) {
      if (isTable(value)) {
        tables.push([prefix === "" ? tomlKey(key) : `${prefix}.${tomlKey(key)}`, value]);
      } else {
        lines.push(`${tomlKey(key)} = ${tomlValue(value)}`);
      }
    }
  };
  emit("", config);
  while (tables.length > 0) {
    const [name, table] = tables.shift()!;
    const before = tables.length;
    // A table holding only sub-tables needs no header of its own (`[lint.severity]` alone).
    const values = Object.values(table);
    if (values.length === 0 || values.some((v) => !isTable(v))) {
      if (lines.length > 0) {
        lines.push("");
      }
      lines.push(`[${name}]`);
    }
    emit(name, table);
    // Sub-tables follow their parent, in order.
    tables.unshift(...tables.splice(before));
  }
  return lines.join("\n") + "\n";
}

function isTable(v: Json): v is { [key: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

function tomlValue(v: Json): string {
  if (typeof v === "string") {
    return JSON.stringify(v);
  }
  if (typeof v === "number" || typeof v === "boolean") {
    return String(v);
  }
  if (Array.isArray(v)) {
    return `[${v.map(tomlValue).join(", ")}]`;
  }
  if (v === null) {
    throw new Error("null has no TOML form");
  }
  return `{ ${Object.entries(v)
    .map(([k, x]) => `${tomlKey(k)} = ${tomlValue(x)}`)
    .join(", ")} }`;
}

/** What `WorkspaceConfiguration.inspect` tells about one setting (the parts used here). */
export interface Inspected {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The value the user set for a setting (folder, then workspace, then user settings), or
 * `undefined` when only the default applies: defaults must not override `j1ql.toml`.
 */
export function explicitValue(inspected: Inspected | undefined): unknown {
  if (inspected === undefined) {
    return undefined;
  }
  return inspected.workspaceFolderValue ?? inspected.workspaceValue ?? inspected.globalValue;
}

/** Every setting key (without `j1ql.`) that `mapSettings` reads. */
export const MAPPED_SETTING_KEYS: readonly string[] = [
  ...MAPPINGS.map((m) => m.setting),
  ...SERVER_OPTIONS.map((o) => o.setting),
];
