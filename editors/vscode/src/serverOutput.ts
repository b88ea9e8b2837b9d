// What the language server wrote on stderr, kept so that a server that exits at start can be
// reported in a notification with its own words (the output channel alone is easy to miss).
// Pure: no `vscode` import, unit-tested in src/test/serverOutput.test.ts.

/** Lines the language client itself logs (`[Error - 10:00:00] …`), not the server. */
const CLIENT_LOG = /^\[(Error|Warn|Info|Trace|Debug|Log)\b/;

/** The last `limit` characters written, for an error notification. */
export class OutputTail {
  private text = "";

  constructor(private readonly limit = 2000) {}

  /** Records text as the output channel receives it. */
  push(chunk: string): void {
    this.text = (this.text + chunk).slice(-this.limit * 2);
  }

  /** Forgets everything (before a (re)start). */
  clear(): void {
    this.text = "";
  }

  /**
   * The server's own words: the last non-empty lines, terminal escapes removed, at most
   * `limit` characters (cut at a line start when possible), or "" when it said nothing.
   */
  lines(): string {
    // eslint-disable-next-line no-control-regex
    const clean = this.text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r\n?/g, "\n");
    const kept = clean
      .split("\n")
      .map((l) => l.trimEnd())
      .filter((l) => l.length > 0 && !l.startsWith("starting ") && !CLIENT_LOG.test(l));
    let out = kept.join("\n");
    if (out.length > this.limit) {
      out = out.slice(-this.limit);
      const nl = out.indexOf("\n");
      if (nl >= 0 && nl < out.length - 1) {
        out = out.slice(nl + 1);
      }
      out = "…" + out;
    }
    return out;
  }
}

/** The notification shown when the server could not be started or exited during start. */
export function startFailureMessage(command: string, error: string, stderr: string): string {
  const said = stderr.trim();
  const base = `The j1ql language server (${command} lsp) failed to start: ${error}`;
  return said.length > 0 ? `${base}. It said: ${said}` : base;
}
