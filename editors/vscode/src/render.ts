// A query result of `j1ql.runQuery` (JupiterOne's shapes, GUIDE §4: `list` of entities,
// `table` of rows, `tree` of vertices and edges) → the HTML of the result webview. Pure, and
// every piece of data is escaped: results hold arbitrary strings from fixture data.

/** Rows shown per table; the rest is counted, and available with “Show JSON”. */
export const MAX_ROWS = 500;
/** Property columns shown for entities; the rest is in the JSON. */
export const MAX_PROPERTY_COLUMNS = 24;

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A table before it becomes HTML: column names and cell texts. */
export interface Grid {
  /** Column names. */
  columns: string[];
  /** Cell texts, one array per row, as long as `columns`. */
  rows: string[][];
  /** Rows in the result (`rows` holds at most `MAX_ROWS`). */
  total: number;
  /** Columns left out (entity properties beyond `MAX_PROPERTY_COLUMNS`). */
  hiddenColumns: number;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** An entity in JupiterOne's list-item form: `{id, entity: {...}, properties: {...}}`. */
function isEntityItem(v: unknown): v is { id?: unknown; entity: Obj; properties?: unknown } {
  return isObj(v) && isObj(v.entity) && (v.properties === undefined || isObj(v.properties));
}

/** The text of one cell. */
export function cellText(v: unknown): string {
  if (v === undefined || v === null) {
    return "";
  }
  if (typeof v === "string") {
    return v;
  }
  if (typeof v === "number" || typeof v === "boolean") {
    return String(v);
  }
  if (isEntityItem(v)) {
    const e = v.entity;
    const name = cellText(e.displayName ?? e._key ?? e._id);
    const type = cellText(e._type);
    return type === "" ? name : `${name} (${type})`;
  }
  if (Array.isArray(v) && v.every((x) => x === null || typeof x !== "object")) {
    return v.map(cellText).join(", ");
  }
  return JSON.stringify(v);
}

const ENTITY_COLUMNS = ["displayName", "_type", "_class", "_key", "_id"];

/** Entities (list-item form) as a grid: the main metadata, then the properties seen. */
export function entityGrid(items: unknown[]): Grid {
  const shown = items.slice(0, MAX_ROWS);
  const properties: string[] = [];
  const seen = new Set<string>();
  for (const item of shown) {
    const props = isEntityItem(item) && isObj(item.properties) ? item.properties : {};
    for (const k of Object.keys(props)) {
      if (!seen.has(k)) {
        seen.add(k);
        properties.push(k);
      }
    }
  }
  const propColumns = properties.slice(0, MAX_PROPERTY_COLUMNS);
  const rows = shown.map((item) => {
    if (!isEntityItem(item)) {
      return [cellText(item), ...ENTITY_COLUMNS.slice(1).map(() => ""), ...propColumns.map(() => "")];
    }
    const props = isObj(item.properties) ? item.properties : {};
    return [...ENTITY_COLUMNS.map((c) => cellText(item.entity[c])), ...propColumns.map((c) => cellText(props[c]))];
  });
  return {
    columns: [...ENTITY_COLUMNS, ...propColumns],
    rows,
    total: items.length,
    hiddenColumns: properties.length - propColumns.length,
  };
}

/** Rows of a `table` result: the columns in the order they first appear. */
export function rowGrid(items: unknown[]): Grid {
  const shown = items.slice(0, MAX_ROWS);
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of shown) {
    for (const k of Object.keys(isObj(row) ? row : {})) {
      if (!seen.has(k)) {
        seen.add(k);
        columns.push(k);
      }
    }
  }
  const rows = shown.map((row) => columns.map((c) => (isObj(row) ? cellText(row[c]) : "")));
  return { columns, rows, total: items.length, hiddenColumns: 0 };
}

/** Edges of a `tree` result. */
export function edgeGrid(edges: unknown[], names: Map<string, string>): Grid {
  const shown = edges.slice(0, MAX_ROWS);
  const rows = shown.map((edge) => {
    const e = isObj(edge) ? edge : {};
    const rel = isObj(e.relationship) ? e.relationship : {};
    const end = (id: unknown): string => names.get(cellText(id)) ?? cellText(id);
    return [end(e.fromVertexId), cellText(rel._class), end(e.toVertexId), cellText(rel._type)];
  });
  return { columns: ["from", "_class", "to", "_type"], rows, total: edges.length, hiddenColumns: 0 };
}

/** The HTML `<table>` of a grid, with a note when rows or columns were left out. */
export function gridHtml(grid: Grid, caption?: string): string {
  const head = grid.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = grid.rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`)
    .join("\n");
  const notes: string[] = [];
  if (grid.total > grid.rows.length) {
    notes.push(`showing ${grid.rows.length} of ${grid.total} rows`);
  }
  if (grid.hiddenColumns > 0) {
    notes.push(`${grid.hiddenColumns} more property columns in the JSON`);
  }
  const note = notes.length > 0 ? `<p class="note">${escapeHtml(notes.join("; "))}</p>\n` : "";
  const cap = caption === undefined ? "" : `<caption>${escapeHtml(caption)}</caption>`;
  return `<table>${cap}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>\n${note}`;
}

/** The summary line and table(s) of a result, by its shape. */
export function resultBodyHtml(result: unknown): string {
  if (!isObj(result) || typeof result.type !== "string") {
    return `<p class="error">Not a j1ql result (no "type"); the JSON is below.</p>\n`;
  }
  const data = result.data;
  switch (result.type) {
    case "list": {
      const items = Array.isArray(data) ? data : [];
      return `<p class="summary">${plural(items.length, "entity", "entities")}</p>\n${gridHtml(entityGrid(items))}`;
    }
    case "table": {
      const items = Array.isArray(data) ? data : [];
      return `<p class="summary">${plural(items.length, "row", "rows")}</p>\n${gridHtml(rowGrid(items))}`;
    }
    case "tree": {
      const tree = isObj(data) ? data : {};
      const vertices = Array.isArray(tree.vertices) ? tree.vertices : [];
      const edges = Array.isArray(tree.edges) ? tree.edges : [];
      const names = new Map<string, string>();
      for (const v of vertices) {
        if (isEntityItem(v)) {
          names.set(cellText(v.id ?? v.entity._id), cellText(v));
        }
      }
      return (
        `<p class="summary">${plural(vertices.length, "vertex", "vertices")}, ${plural(edges.length, "edge", "edges")}</p>\n` +
        gridHtml(entityGrid(vertices), "vertices") +
        gridHtml(edgeGrid(edges, names), "edges")
      );
    }
    default:
      return `<p class="error">Unknown result type ${escapeHtml(JSON.stringify(result.type))}; the JSON is below.</p>\n`;
  }
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What the webview page needs besides the result. */
export interface PageOptions {
  /** The query that was run (shown as the title). */
  query: string;
  /** `webview.cspSource`, for the Content-Security-Policy. */
  cspSource: string;
  /** The command link of “Show JSON” (opens the result in an editor). */
  showJsonCommand: string;
  /** What the query ran on, in words (from the server's `j1ql.dataSource`), when known. */
  dataSource?: string;
}

/** The whole webview page of a result: no scripts, every value escaped, JSON on demand. */
export function resultPageHtml(result: unknown, options: PageOptions): string {
  return page(
    options,
    resultBodyHtml(result) +
      `<details><summary>JSON</summary><pre>${escapeHtml(JSON.stringify(result, null, 2) ?? "undefined")}</pre></details>\n`,
  );
}

/** The webview page of a query that failed: preformatted, because the server lists one error per line. */
export function errorPageHtml(message: string, options: PageOptions): string {
  return page(options, `<pre class="error">${escapeHtml(message)}</pre>\n`);
}

function page(options: PageOptions, body: string): string {
  const csp = `default-src 'none'; style-src ${options.cspSource} 'unsafe-inline';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<style>
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); }
pre.query, pre { font-family: var(--vscode-editor-font-family); white-space: pre-wrap; }
table { border-collapse: collapse; margin: 0.5em 0; }
caption { text-align: left; font-weight: bold; }
th, td { border: 1px solid var(--vscode-panel-border, #8884); padding: 2px 6px; text-align: left; vertical-align: top; }
th { position: sticky; top: 0; background: var(--vscode-editor-background); }
.error { color: var(--vscode-errorForeground); }
.note, .summary { opacity: 0.8; }
</style>
</head>
<body>
<pre class="query">${escapeHtml(options.query)}</pre>
${options.dataSource === undefined ? "" : `<p class="note">Ran on ${escapeHtml(options.dataSource)}.</p>\n`}<p><a href="${escapeHtml(options.showJsonCommand)}">Show JSON</a></p>
${body}</body>
</html>
`;
}
