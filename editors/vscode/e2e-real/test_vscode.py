"""The J1QL extension in real VS Code (code-server), driven through headless Chromium.

Everything is done as a person would: keyboard shortcuts, the command palette, clicks on the
code lens and quick-fix menu, reading the Problems panel, hovers, the suggest widget and the
result webview. File contents are checked on disk after saving, so what the editor did is what
is asserted. Screenshots of every check go to $ARTIFACTS (kept by CI).

Run by run.sh (which installs code-server, Chromium and Playwright and packages the .vsix):

    CODE_SERVER=… J1QL_BIN=… EXTENSIONS_DIR=… ARTIFACTS=… python test_vscode.py

Exits 1 when a check fails (the others still run), 0 when all pass.
"""

from __future__ import annotations

import json
import re
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Callable

from playwright.sync_api import Frame, Page, sync_playwright

CODE_SERVER = os.environ["CODE_SERVER"]
J1QL_BIN = os.environ["J1QL_BIN"]
EXTENSIONS_DIR = os.environ["EXTENSIONS_DIR"]
ARTIFACTS = Path(os.environ.get("ARTIFACTS", "vscode-artifacts")).resolve()
README_SHOT = os.environ.get("README_SCREENSHOT")  # where to copy the screenshot the README shows
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# code-server 4.139 needs Node 24: the folder of that `node`, put first on code-server's PATH.
NODE_BIN_DIR = os.environ.get("NODE_BIN_DIR")
TIMEOUT_MS = 30_000

DEMO_QUERIES = """FIND Usr

find User with active=true

FIND User AS u THAT IS Person AS p
RETURN u.username, p.email
"""

SUITE_QUERY = "FIND User WITH active = true\n"

SUITE_DATA = {
    "source": "api",
    "scope": "vscode-test",
    "entities": [
        {"_key": "u-zed", "_type": "okta_user", "_class": "User", "displayName": "Zed Fixture",
         "username": "zed@fixture.test", "active": True},
        {"_key": "u-yan", "_type": "okta_user", "_class": "User", "displayName": "Yan Fixture",
         "username": "yan@fixture.test", "active": False},
    ],
    "relationships": [],
}

FAILING_SERVER = """#!/bin/sh
echo "error: simulated start failure (from the j1ql e2e test)" >&2
exit 2
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CodeServer:
    """One code-server with its own user data and the installed extension."""

    def __init__(self, root: Path) -> None:
        self.port = free_port()
        # The folder the .vsix was installed with (run.sh), else a new one.
        self.data = Path(os.environ.get("USER_DATA_DIR") or root / "data")
        (self.data / "User").mkdir(parents=True, exist_ok=True)
        (self.data / "Machine").mkdir(parents=True, exist_ok=True)
        quiet = {
            "workbench.startupEditor": "none",
            "security.workspace.trust.enabled": False,
            "telemetry.telemetryLevel": "off",
            "update.mode": "none",
            "extensions.autoCheckUpdates": False,
            "extensions.autoUpdate": False,
            "workbench.tips.enabled": False,
            "chat.disableAIFeatures": True,
            "editor.quickSuggestionsDelay": 10,
            "files.autoSave": "off",
            "workbench.secondarySideBar.defaultVisibility": "hidden",
        }
        (self.data / "User" / "settings.json").write_text(json.dumps(quiet, indent=2))
        # code-server runs extensions "remotely": machine-scoped settings such as
        # j1ql.server.path are read from the Machine settings (VS Code's "Remote" tab).
        (self.data / "Machine" / "settings.json").write_text(
            json.dumps({"j1ql.server.path": J1QL_BIN}, indent=2)
        )
        self.log = open(ARTIFACTS / "code-server.log", "w")
        self.proc = subprocess.Popen(
            [CODE_SERVER, "--auth", "none", "--bind-addr", f"127.0.0.1:{self.port}",
             "--user-data-dir", str(self.data), "--extensions-dir", EXTENSIONS_DIR,
             "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust",
             "--disable-getting-started-override"],
            stdout=self.log, stderr=subprocess.STDOUT, env=self.env(),
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"code-server exited: see {ARTIFACTS / 'code-server.log'}")
                time.sleep(0.3)
        raise RuntimeError("code-server did not listen within 60 s")

    @staticmethod
    def env() -> dict[str, str]:
        env = dict(os.environ)
        if NODE_BIN_DIR:
            env["PATH"] = NODE_BIN_DIR + os.pathsep + env.get("PATH", "")
        return env

    def url(self, folder: Path) -> str:
        return f"http://127.0.0.1:{self.port}/?folder={folder}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


class Editor:
    """The VS Code window in the browser page, operated with the keyboard and mouse."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def open_folder(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector(".monaco-workbench .part.editor", timeout=60_000)
        # The status bar's language indicator appears once the window is restored.
        self.page.wait_for_selector(".statusbar", timeout=TIMEOUT_MS)

    def command(self, title: str) -> None:
        """Runs a command from the command palette: the row whose label is exactly `title`."""
        self.page.keyboard.press("Control+Shift+P")
        box = self.page.locator(".quick-input-widget input")
        box.wait_for(state="visible", timeout=TIMEOUT_MS)
        box.fill(">" + title)
        row = self.page.locator(".quick-input-list .monaco-list-row").filter(
            has=self.page.locator(".label-name", has_text=re.compile("^" + re.escape(title) + "$")))
        row.first.wait_for(timeout=TIMEOUT_MS)
        row.first.click()
        self.page.locator(".quick-input-widget").wait_for(state="hidden", timeout=TIMEOUT_MS)

    def open_file(self, name: str) -> None:
        self.page.keyboard.press("Control+P")
        box = self.page.locator(".quick-input-widget input")
        box.wait_for(state="visible", timeout=TIMEOUT_MS)
        box.fill(name)
        self.page.locator(".quick-input-list .monaco-list-row", has_text=name).first.wait_for(
            timeout=TIMEOUT_MS)
        self.page.keyboard.press("Enter")
        self.page.locator(f".tab.active[data-resource-name='{name}']").wait_for(timeout=TIMEOUT_MS)
        self.focus_editor()

    def focus_editor(self) -> None:
        self.page.locator(".editor-instance .monaco-editor .view-lines").first.click()

    def go_to(self, line: int, column: int) -> None:
        """Go to Line/Column through Quick Open (`:line:column`), as Ctrl+G does in VS Code."""
        self.page.keyboard.press("Control+P")
        box = self.page.locator(".quick-input-widget input")
        box.wait_for(state="visible", timeout=TIMEOUT_MS)
        box.fill(f":{line}:{column}")
        self.page.keyboard.press("Enter")
        self.page.locator(".quick-input-widget").wait_for(state="hidden", timeout=TIMEOUT_MS)

    def reset(self, path: Path, text: str) -> None:
        """Puts `text` in the file on disk and reverts the editor to it, so that each check
        starts from a known document whatever the previous one left."""
        path.write_text(text)
        self.focus_editor()
        self.command("File: Revert File")
        self.page.wait_for_timeout(500)
        self.focus_editor()

    def save(self) -> None:
        self.page.keyboard.press("Control+S")
        self.page.wait_for_timeout(300)

    def wait_file(self, path: Path, pred: Callable[[str], bool], what: str,
                  timeout_s: float = TIMEOUT_MS / 1000) -> str:
        deadline = time.time() + timeout_s
        text = ""
        while time.time() < deadline:
            text = path.read_text()
            if pred(text):
                return text
            time.sleep(0.2)
        raise AssertionError(f"{what}; the file holds:\n{text}")

    def suggestions(self) -> list[str]:
        widget = self.page.locator(".editor-widget.suggest-widget.visible")
        widget.wait_for(timeout=TIMEOUT_MS)
        rows = widget.locator(".monaco-list-row .label-name")
        rows.first.wait_for(timeout=TIMEOUT_MS)
        return [r.strip() for r in rows.all_inner_texts()]

    def wait_suggestions(self, pred: Callable[[list[str]], bool], what: str) -> list[str]:
        """The suggest widget's labels once `pred` holds (the list filters as one types)."""
        deadline = time.time() + TIMEOUT_MS / 1000
        labels: list[str] = []
        while time.time() < deadline:
            try:
                labels = self.suggestions()
            except Exception:
                labels = []
            if labels and pred(labels):
                return labels
            time.sleep(0.2)
        raise AssertionError(f"{what}; the suggestions are {labels}")

    def webview_text(self, needle: str) -> str:
        """The text of the webview frame that shows `needle` (webviews are nested iframes)."""
        deadline = time.time() + TIMEOUT_MS / 1000
        while time.time() < deadline:
            for frame in self.page.frames:
                if frame == self.page.main_frame:
                    continue
                text = frame_text(frame)
                if needle in text:
                    return text
            time.sleep(0.3)
        raise AssertionError(f"no webview shows {needle!r}")


def frame_text(frame: Frame) -> str:
    try:
        return frame.locator("body").inner_text(timeout=500)
    except Exception:  # a frame being replaced or not loaded yet
        return ""


class Checks:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.failed: list[str] = []
        self.passed = 0

    def run(self, name: str, check: Callable[[], None]) -> None:
        slug = name.lower().replace(" ", "-").replace("/", "-")
        try:
            check()
            self.passed += 1
            print(f"ok   {name}", flush=True)
        except Exception:
            self.failed.append(name)
            print(f"FAIL {name}\n{traceback.format_exc()}", flush=True)
        finally:
            try:
                self.page.screenshot(path=str(ARTIFACTS / f"{slug}.png"))
            except Exception:
                pass
        # Leave no menu or widget open for the next check.
        self.page.keyboard.press("Escape")
        self.page.keyboard.press("Escape")


def demo_workspace_checks(ed: Editor, checks: Checks, folder: Path) -> None:
    page = ed.page
    file = folder / "queries.j1ql"

    def problems_panel() -> None:
        ed.open_file("queries.j1ql")
        page.keyboard.press("Control+Shift+M")
        panel = page.locator(".markers-panel")
        panel.get_by_text("did you mean `User`").wait_for(timeout=TIMEOUT_MS)
        text = panel.inner_text()
        assert "S010" in text, text
        assert "fix available: Replace with `User`" in text, text

    def quick_fix() -> None:
        ed.go_to(1, 7)
        ed.command("Quick Fix...")
        item = page.locator(".action-widget .monaco-list-row", has_text="Replace with `User`")
        item.first.wait_for(timeout=TIMEOUT_MS)
        item.first.click()
        ed.save()
        ed.wait_file(file, lambda t: t.splitlines()[0] == "FIND User", "line 1 is not fixed")

    def language_defaults() -> None:
        status = page.locator(".statusbar").inner_text()
        assert "Spaces: 2" in status, status
        assert "J1QL" in status, status
        # Comment toggling with the language's line comment.
        ed.reset(file, DEMO_QUERIES)
        ed.go_to(1, 1)
        ed.command("Toggle Line Comment")
        ed.save()
        ed.wait_file(file, lambda t: t.splitlines()[0] == "// FIND Usr", "did not comment")
        ed.command("Toggle Line Comment")
        ed.save()
        ed.wait_file(file, lambda t: t.splitlines()[0] == "FIND Usr", "did not uncomment")
        # Bracket pairs: `(` closes itself; Tab indents by 2 spaces.
        page.keyboard.press("Control+End")
        page.keyboard.type("(")
        page.keyboard.press("Home")
        page.keyboard.press("Tab")
        ed.save()
        ed.wait_file(file, lambda t: t.endswith("\n  ()"), "expected `  ()` on the last line")

    def completion_after_find() -> None:
        ed.reset(file, DEMO_QUERIES)
        page.keyboard.press("Control+End")
        page.keyboard.type("FIND ")
        page.keyboard.press("Control+Space")
        # Classes of the data model, alphabetically: the first rows start with `A`.
        ed.wait_suggestions(lambda ls: "Account" in ls or "AccessKey" in ls, "no classes")
        page.keyboard.type("Us")
        ed.wait_suggestions(lambda ls: ls[0] == "User", "`User` is not first after `Us`")
        page.keyboard.press("Enter")
        ed.save()
        ed.wait_file(file, lambda t: t.endswith("\nFIND User"), "accepting `User` failed")

    def completion_after_that() -> None:
        page.keyboard.type(" THAT ")
        page.keyboard.press("Control+Space")
        # Relationship verbs (upper case), alphabetically.
        ed.wait_suggestions(lambda ls: all(v.replace(" ", "").isupper() for v in ls)
                            and "ALLOWS" in ls, "no verbs after THAT")
        page.keyboard.type("HA")
        ed.wait_suggestions(lambda ls: ls[0] == "HAS", "`HAS` is not first after `HA`")
        page.keyboard.press("Escape")

    def hover() -> None:
        ed.reset(file, DEMO_QUERIES)
        ed.go_to(5, 7)  # on `User` of `FIND User AS u`
        ed.command("Show or Focus Hover")
        box = page.locator(".monaco-hover:not(.hidden)").first
        box.wait_for(timeout=TIMEOUT_MS)
        text = box.inner_text()
        assert "User" in text, text

    def format_document() -> None:
        ed.reset(file, DEMO_QUERIES)
        ed.command("Format Document")
        ed.save()
        ed.wait_file(file, lambda t: "FIND User WITH active = true" in t,
                     "Format Document did not format `find User with active=true`")

    def run_lens() -> None:
        ed.reset(file, DEMO_QUERIES)
        lens = page.locator(".contentWidgets .codelens-decoration a", has_text="Run")
        lens.nth(2).wait_for(timeout=TIMEOUT_MS)
        lens.nth(2).click()  # the lens of `FIND User AS u THAT IS Person AS p`
        page.locator(".tab", has_text="J1QL: queries.j1ql").wait_for(timeout=TIMEOUT_MS)
        text = ed.webview_text("u.username")
        assert "p.email" in text, text
        assert "alice@acme.com" in text, text
        assert "7 rows" in text, text

    def normalize() -> None:
        ed.open_file("queries.j1ql")
        ed.reset(file, DEMO_QUERIES + "FIND User WITH name != ('a' OR 'b')\n")
        expanded = "FIND User WITH name != 'a' AND name != 'b'"
        # The server analyses the reverted text in the background: on a busy machine the first
        # try can come before the code action exists, so try a few times.
        for attempt in range(4):
            ed.go_to(7, 17)  # on `name`
            ed.command("J1QL: Normalize (De Morgan)")
            ed.save()
            try:
                ed.wait_file(file, lambda t: expanded in t, "Normalize did not expand", timeout_s=5)
                return
            except AssertionError:
                if attempt == 3:
                    raise
                page.keyboard.press("Escape")

    checks.run("diagnostics in the Problems panel", problems_panel)
    checks.run("quick fix Replace with User", quick_fix)
    checks.run("language defaults: 2 spaces, comment toggle, bracket pairs", language_defaults)
    checks.run("completion after FIND", completion_after_find)
    checks.run("completion after THAT", completion_after_that)
    checks.run("hover", hover)
    checks.run("Format Document", format_document)
    checks.run("Run lens opens the result panel with rows", run_lens)
    if README_SHOT:
        shutil.copyfile(ARTIFACTS / "run-lens-opens-the-result-panel-with-rows.png", README_SHOT)
    checks.run("Normalize (De Morgan)", normalize)


def suite_workspace_checks(ed: Editor, checks: Checks, folder: Path) -> None:
    page = ed.page

    def fixtures_answer() -> None:
        ed.open_file("suite.j1ql")
        lens = page.locator(".contentWidgets .codelens-decoration a", has_text="Run")
        lens.first.wait_for(timeout=TIMEOUT_MS)
        lens.first.click()
        text = ed.webview_text("Zed Fixture")
        assert "Yan Fixture" not in text, text  # inactive
        assert "alice@acme.com" not in text, text  # not the demo account
        assert "1 " in text, text

    checks.run("a workspace with j1ql.toml runs on its fixtures", fixtures_answer)


def broken_server_checks(ed: Editor, checks: Checks) -> None:
    page = ed.page

    def failing_server_is_reported() -> None:
        ed.open_file("broken.j1ql")
        toast = page.locator(".notification-toast", has_text="It said: error: simulated start failure")
        toast.first.wait_for(timeout=TIMEOUT_MS)
        text = toast.first.inner_text()
        assert "failed to start" in text, text

    checks.run("a server that exits at start is reported with its stderr", failing_server_is_reported)


def main() -> int:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="j1ql-vscode-"))
    demo = root / "demo"
    demo.mkdir()
    (demo / "queries.j1ql").write_text(DEMO_QUERIES)
    suite = root / "suite"
    (suite / "fixtures").mkdir(parents=True)
    (suite / "j1ql.toml").write_text('data = ["fixtures"]\nnow = "2025-01-01T00:00:00Z"\n')
    (suite / "fixtures" / "users.json").write_text(json.dumps(SUITE_DATA, indent=1))
    (suite / "suite.j1ql").write_text(SUITE_QUERY)

    broken = root / "broken"
    (broken / ".vscode").mkdir(parents=True)
    (broken / "broken.j1ql").write_text("FIND User\n")
    script = broken / "failing-server.sh"
    script.write_text(FAILING_SERVER)
    script.chmod(0o755)
    # A workspace setting overrides the machine one (j1ql.server.path is machine-overridable).
    (broken / ".vscode" / "settings.json").write_text(json.dumps({"j1ql.server.path": str(script)}))

    server = CodeServer(root / "code-server")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                      "--disable-background-networking", "--disable-component-update",
                      "--disable-sync"],
            )
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(TIMEOUT_MS)
            checks = Checks(page)
            ed = Editor(page)
            ed.open_folder(server.url(demo))
            demo_workspace_checks(ed, checks, demo)
            ed.open_folder(server.url(suite))
            suite_workspace_checks(ed, checks, suite)
            ed.open_folder(server.url(broken))
            broken_server_checks(ed, checks)
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
    print(f"{checks.passed} passed, {len(checks.failed)} failed; screenshots in {ARTIFACTS}")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
