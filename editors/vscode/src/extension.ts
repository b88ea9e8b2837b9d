// The VS Code side of j1ql: starts `j1ql lsp` with vscode-languageclient and adds the commands
// Run Query (result webview), Normalize (De Morgan), Format, Restart, Show JSON and Show
// Settings as j1ql.toml. Everything that can be decided without VS Code lives in the pure
// modules (serverPath, settings, render, commands) and is unit-tested there.

import * as cp from "node:child_process";
import * as fs from "node:fs";

import * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  type ErrorHandler,
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";

import { deMorganActions, describeRun, isRunCommand, NO_DE_MORGAN, RUN_QUERY, RUN_QUERY_REMOTE, runQueryArguments } from "./commands";
import { errorPageHtml, resultPageHtml, type PageOptions } from "./render";
import { OutputTail, startFailureMessage } from "./serverOutput";
import { bundledServerPath, chooseServer, nodeEnvironment } from "./serverPath";
import { explicitValue, MAPPED_SETTING_KEYS, mapSettings, toToml } from "./settings";

const SHOW_JSON = "j1ql.showResultJson";

/**
 * The language client, quiet until the server is initialized: a failed start is reported once
 * by the extension with the server's own stderr, instead of the client's generic "couldn't
 * create connection" toasts that hide it.
 */
class J1qlLanguageClient extends LanguageClient {
  quiet = true;

  override error(message: string, data?: unknown, showNotification?: boolean | "force"): void {
    super.error(message, data, this.quiet ? false : showNotification);
  }
}

let client: J1qlLanguageClient | undefined;
let output: vscode.OutputChannel;
/** What the server wrote on stderr during the current start (the client also copies it to the output channel). */
const serverSaid = new OutputTail();
let panel: vscode.WebviewPanel | undefined;
let lastResult: { title: string; result: unknown } | undefined;
let extensionUri: vscode.Uri;

/** Starts the server and registers the commands. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionUri = context.extensionUri;
  output = vscode.window.createOutputChannel("J1QL");
  context.subscriptions.push(
    output,
    vscode.commands.registerTextEditorCommand("j1ql.run", (editor) => void runAtCursor(editor)),
    vscode.commands.registerTextEditorCommand("j1ql.normalize", (editor) => void normalize(editor)),
    vscode.commands.registerTextEditorCommand(
      "j1ql.format",
      () => void vscode.commands.executeCommand("editor.action.formatDocument"),
    ),
    vscode.commands.registerCommand("j1ql.restartServer", () => restart()),
    vscode.commands.registerCommand(SHOW_JSON, () => showJson()),
    vscode.commands.registerCommand("j1ql.showSettingsToml", () => showSettingsToml()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("j1ql")) {
        void restart();
      }
    }),
  );
  await start();
}

/** Stops the server. */
export async function deactivate(): Promise<void> {
  await stop();
}

function readSettings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration("j1ql");
  const values: Record<string, unknown> = {};
  for (const key of MAPPED_SETTING_KEYS) {
    values[key] = explicitValue(config.inspect(key));
  }
  return values;
}

async function start(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const config = vscode.workspace.getConfiguration("j1ql");
  const setting = config.get<string>("server.path");
  const explicitlySet = explicitValue(config.inspect("server.path")) !== undefined;
  const bundled = bundledServerPath(extensionUri.fsPath, process.platform);
  const lookup = chooseServer(setting, explicitlySet, bundled, nodeEnvironment(folder));
  if (!lookup.found) {
    output.appendLine(lookup.message);
    void vscode.window.showErrorMessage(lookup.message, "Open Settings", "Install Steps").then((choice) => {
      if (choice === "Open Settings") {
        void vscode.commands.executeCommand("workbench.action.openSettings", "j1ql.server.path");
      } else if (choice === "Install Steps") {
        void vscode.commands.executeCommand("markdown.showPreview", readme());
      }
    });
    return;
  }
  const mapped = mapSettings(readSettings());
  for (const problem of mapped.problems) {
    output.appendLine(problem);
    void vscode.window.showWarningMessage(problem);
  }
  // The extension starts `j1ql lsp` itself (rather than letting the client spawn it) so that
  // it sees the process exit: a server that exits before it is initialized is reported in a
  // notification quoting its stderr (docs/lsp.md "Starting the server"). The arguments are
  // the ones vscode-languageclient would add: `--stdio` and the extension host's pid.
  serverSaid.clear();
  const attempt: { initialized: boolean; reported: boolean; fallback?: ErrorHandler } = {
    initialized: false,
    reported: false,
  };
  const report = (error: string): void => {
    if (attempt.initialized || attempt.reported) {
      return;
    }
    attempt.reported = true;
    const message = startFailureMessage(lookup.command, error, serverSaid.lines());
    output.appendLine(message);
    void vscode.window.showErrorMessage(message, "Show Output").then((choice) => {
      if (choice === "Show Output") {
        output.show(true);
      }
    });
  };
  const serverOptions: ServerOptions = () => {
    const child = cp.spawn(lookup.command, ["lsp", "--stdio", `--clientProcessId=${process.pid}`], {
      cwd: folder,
      env: process.env,
    });
    child.stderr.on("data", (chunk: Buffer) => serverSaid.push(chunk.toString("utf8")));
    child.on("error", (e) => report(errorText(e)));
    // `close` comes after the process's stderr has been read to its end.
    child.on("close", (code, signal) => {
      report(signal !== null ? `the server was killed by ${signal}` : `the server exited with code ${String(code)}`);
    });
    return Promise.resolve(child);
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "j1ql" },
      { scheme: "untitled", language: "j1ql" },
    ],
    initializationOptions: mapped.initializationOptions,
    outputChannel: output,
    // A failed initialize is reported by `report`; the client would only say "failed".
    initializationFailedHandler: () => false,
    // Until the server is initialized, failures are reported once by `report` (with the
    // server's stderr) instead of the client's "connection to server is erroring" toasts;
    // after that the client's default handling applies (restarts after a crash).
    errorHandler: {
      error: (error, message, count) =>
        attempt.initialized && attempt.fallback !== undefined
          ? attempt.fallback.error(error, message, count)
          : { action: ErrorAction.Shutdown, handled: true },
      closed: () =>
        attempt.initialized && attempt.fallback !== undefined
          ? attempt.fallback.closed()
          : { action: CloseAction.DoNotRestart, handled: true },
    },
    middleware: {
      // The code lenses "▶ Run" and "▶ Run on JupiterOne" execute server commands; show
      // their results too.
      executeCommand: async (command, args, next): Promise<unknown> =>
        isRunCommand(command) ? runAndShow(args, command) : ((await next(command, args)) as unknown),
    },
  };
  output.appendLine(`starting ${lookup.command} lsp`);
  const started = new J1qlLanguageClient("j1ql", "J1QL Language Server", serverOptions, clientOptions);
  client = started;
  attempt.fallback = started.createDefaultErrorHandler();
  try {
    await started.start();
    attempt.initialized = true;
    started.quiet = false;
  } catch (e) {
    // The process's `close` usually reports first, with the server's own words; give it a
    // moment, then report what the client saw if nothing was reported yet.
    await new Promise((resolve) => setTimeout(resolve, 500));
    report(errorText(e));
  }
}

/** The extension's README (vsce packs it as `readme.md`; a development checkout has `README.md`). */
function readme(): vscode.Uri {
  const packed = vscode.Uri.joinPath(extensionUri, "readme.md");
  return fs.existsSync(packed.fsPath) ? packed : vscode.Uri.joinPath(extensionUri, "README.md");
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c !== undefined) {
    try {
      await c.stop();
    } catch (e) {
      output.appendLine(`stopping the server: ${errorText(e)}`);
    }
  }
}

let restarting: Promise<void> = Promise.resolve();

/** Stops and starts the server; restarts asked for meanwhile wait their turn (one server at a time). */
function restart(): Promise<void> {
  restarting = restarting.then(stop).then(start, start);
  return restarting;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function runAtCursor(editor: vscode.TextEditor): Promise<void> {
  const pos = editor.selection.active;
  await runAndShow(runQueryArguments(editor.document.uri.toString(), pos.line, pos.character));
}

/**
 * Runs `command` (`j1ql.runQuery`, or `j1ql.runQueryRemote` on the live account) with `args`
 * and shows the result (or the error) in the webview.
 */
async function runAndShow(args: unknown[], command: string = RUN_QUERY): Promise<unknown> {
  const title = describeRun(args, command);
  if (client === undefined || !client.isRunning()) {
    void vscode.window.showErrorMessage("The j1ql language server is not running; see the J1QL output.");
    return undefined;
  }
  try {
    const running = client;
    const send = (token?: vscode.CancellationToken): Promise<unknown> =>
      running.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }, token);
    // A run on the live account can take a while: a notification with Cancel, which sends
    // `$/cancelRequest` (the server drops the HTTP request).
    const result: unknown =
      command === RUN_QUERY_REMOTE
        ? await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: `J1QL: running ${title}`, cancellable: true },
            (_progress, token) => send(token),
          )
        : await send();
    lastResult = { title, result };
    const source = command === RUN_QUERY ? await dataSource(running, args) : undefined;
    show(title, (o) => resultPageHtml(result, { ...o, dataSource: source }));
    return result;
  } catch (e) {
    lastResult = undefined;
    show(title, (o) => errorPageHtml(errorText(e), o));
    return undefined;
  }
}

/**
 * What a local run used, in words ("the demo account", "the workspace data (`data/`)"): the
 * server's `j1ql.dataSource` for the document (an untitled one for a query given as text).
 */
async function dataSource(running: LanguageClient, args: unknown[]): Promise<string | undefined> {
  const first = args[0];
  const uri = typeof first === "string" && args.length >= 2 && first.includes(":") ? first : "untitled:query.j1ql";
  try {
    const source: unknown = await running.sendRequest(ExecuteCommandRequest.type, {
      command: "j1ql.dataSource",
      arguments: [uri],
    });
    return typeof source === "string" ? source : undefined;
  } catch {
    return undefined;
  }
}

function show(title: string, html: (options: PageOptions) => string): void {
  if (panel === undefined) {
    panel = vscode.window.createWebviewPanel(
      "j1ql.result",
      "J1QL Result",
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: false, enableCommandUris: [SHOW_JSON], retainContextWhenHidden: false },
    );
    panel.onDidDispose(() => {
      panel = undefined;
    });
  }
  panel.title = `J1QL: ${title}`;
  panel.webview.html = html({
    query: title,
    cspSource: panel.webview.cspSource,
    showJsonCommand: `command:${SHOW_JSON}`,
  });
  panel.reveal(undefined, true);
}

async function showJson(): Promise<void> {
  if (lastResult === undefined) {
    void vscode.window.showInformationMessage("No J1QL result yet: run a query first.");
    return;
  }
  const doc = await vscode.workspace.openTextDocument({
    language: "json",
    content: JSON.stringify(lastResult.result, null, 2) + "\n",
  });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside });
}

async function normalize(editor: vscode.TextEditor): Promise<void> {
  const actions =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      "vscode.executeCodeActionProvider",
      editor.document.uri,
      editor.selection,
      vscode.CodeActionKind.RefactorRewrite.value,
    )) ?? [];
  const rewrites = deMorganActions(actions.filter((a): a is vscode.CodeAction => "edit" in a || "kind" in a));
  if (rewrites.length === 0) {
    void vscode.window.showInformationMessage(NO_DE_MORGAN);
    return;
  }
  let chosen: vscode.CodeAction | undefined = rewrites[0];
  if (rewrites.length > 1) {
    const pick = await vscode.window.showQuickPick(
      rewrites.map((a) => ({ label: a.title, action: a })),
      { placeHolder: "De Morgan rewrite of the filter under the cursor" },
    );
    chosen = pick?.action;
  }
  if (chosen === undefined) {
    return;
  }
  if (chosen.edit !== undefined) {
    await vscode.workspace.applyEdit(chosen.edit);
  }
  if (chosen.command !== undefined) {
    await vscode.commands.executeCommand(chosen.command.command, ...((chosen.command.arguments ?? []) as unknown[]));
  }
}

async function showSettingsToml(): Promise<void> {
  const mapped = mapSettings(readSettings());
  const header = [
    "# j1ql.toml equivalent of your j1ql.* settings (only the ones you set).",
    ...mapped.problems.map((p) => `# ${p}`),
    "",
  ].join("\n");
  const doc = await vscode.workspace.openTextDocument({
    language: "toml",
    content: header + toToml(mapped.initializationOptions.config),
  });
  await vscode.window.showTextDocument(doc);
}
