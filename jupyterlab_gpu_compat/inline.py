"""The diagnosis in frontends that cannot load the JupyterLab extension (Colab, VS Code, Notebook 6).

``%load_ext jupyterlab_gpu_compat`` (or ``jupyterlab_gpu_compat.check()``) runs the probe in the
kernel and displays one MIME bundle:

- ``application/vnd.jupyter.gpu-compat+json``: the facts, drawn by the extension's MIME renderer;
- ``text/html``: the facts plus ``report.js``, the TypeScript engine and report view bundled into
  one script, so any frontend that runs output scripts shows the same diagnosis, offline;
- ``text/plain``: the findings in a few lines when ``node`` can run that same script here, else
  the environment found.

The words are in the reader's language: ``JUPYTERLAB_GPU_COMPAT_LANG`` (``zh_CN``, ``en``) where set,
else the page's (the browser's) for the HTML and the kernel's ``LANG`` for text/plain. The payload
carries the shipped catalogues (the same files JupyterLab's translator reads), not report.js.

After ``%load_ext``, a cell with an install command gets the same check before it runs (an IPython
``pre_run_cell`` hook): the warning and its fix appear above pip's output. The cell is never
blocked or rewritten. The rules live only in the TypeScript engine.
"""

import functools
import html
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

from . import probe
from .resolve import resolve

MIME = "application/vnd.jupyter.gpu-compat+json"
SCRIPT = Path(__file__).with_name("report.js")
LOCALE = Path(__file__).with_name("locale")
DOMAIN = "jupyterlab_gpu_compat"

# A cell that may install something; broad on purpose (the engine's parser decides). The same
# trigger as the extension's re-probe after an install cell.
INSTALL_CELL = re.compile(r"(^|[\s!%])(pip3?|uv|conda|mamba)\b[^\n]*\binstall\b", re.M)
# The exact check's time budget in the install hook, seconds (0: off): pip resolves each pip
# install line before the cell runs (a dry run: nothing is installed).
RESOLVE_BUDGET_S = float(os.environ.get("JUPYTERLAB_GPU_COMPAT_RESOLVE_SECONDS", "20"))
PIP_LINE = re.compile(r"^\s*[!%]\s*(?:(?P<uv>uv\s+pip)|pip3?|python3?\s+-m\s+pip)\s+install\s+(?P<args>[^\n#|&;<>]*)$", re.M)


def _pip_install_args(cell):
    """(installer, arguments) of each simple `!pip install …` / `%pip install …` / `!uv pip install …`
    line, as the shell splits them; lines with expansions (`{var}`, `$X`) are left to the static check."""
    for match in PIP_LINE.finditer(cell):
        text = match.group("args")
        if "{" in text or "$" in text:
            continue
        try:
            args = shlex.split(text)
        except ValueError:
            continue
        if args:
            yield ("uv" if match.group("uv") else "pip"), [a for a in args if a != "--dry-run"]


NODE_TIMEOUT_S = 10


class Report:
    """The probe's facts (and, for the hook, the cell to check), displayable in any frontend."""

    def __init__(self, facts, cell=None, resolutions=None):
        self.payload = {"facts": facts} if cell is None else {"facts": facts, "cell": cell}
        if resolutions:
            self.payload["resolutions"] = resolutions
        lang = os.environ.get("JUPYTERLAB_GPU_COMPAT_LANG") or None
        catalogues = _catalogues()
        if lang:
            self.payload["lang"] = lang
            catalogues = {k: v for k, v in catalogues.items() if k.lower() == lang.split(".")[0].replace("-", "_").lower()}
        if catalogues:
            self.payload["catalogues"] = catalogues
        # The findings as text, by report.js under node in the kernel's language; None without node.
        self.plain = _plain_with_node({**self.payload, "lang": lang or os.environ.get("LANG")})

    def _repr_mimebundle_(self, include=None, exclude=None):
        plain = self._plain()
        bundle = {MIME: self.payload, "text/plain": plain}
        if SCRIPT.exists():
            # Where scripts do not run, the HTML shows the same lines as text/plain.
            fallback = f"<pre>{html.escape(plain)}</pre>" if plain else ""
            bundle["text/html"] = _html(self.payload, fallback)
        return bundle

    def _plain(self):
        if self.plain is not None:
            return self.plain
        if "cell" in self.payload:
            return ""
        return "\n".join(
            [
                "GPU compatibility: the diagnosis needs a frontend that runs output scripts, or node on PATH.",
                *_environment_lines(self.payload["facts"]),
            ]
        )


@functools.lru_cache(maxsize=1)
def _inline_script():
    """report.js, read once per kernel, made safe inside a script element ("</script" ends it)."""
    return SCRIPT.read_text(encoding="utf-8").replace("</script", "<\\/script")


def _html(payload, fallback):
    element = f"jupyterlab-gpu-compat-{uuid.uuid4().hex}"
    # "</" inside a script element would end it early.
    data = json.dumps(payload).replace("</", "<\\/")
    script = _inline_script()
    return (
        f'<div id="{element}">{fallback}</div>'
        f"<script>{script}\n"
        f'jupyterlabGpuCompat.renderReport(document.getElementById("{element}"), {data});</script>'
    )


@functools.lru_cache(maxsize=1)
def _catalogues():
    """The engine's translations by language (JupyterLab's JSON format), read once per kernel."""
    found = {}
    for path in sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.json")):
        try:
            found[path.parts[-3]] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a broken catalogue: that language shows English
    return found


def _plain_with_node(payload):
    node = shutil.which("node")
    if not node or not SCRIPT.exists():
        return None
    try:
        done = subprocess.run(
            [node, str(SCRIPT)],
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            timeout=NODE_TIMEOUT_S,
            check=False,
        )
        result = json.loads(done.stdout)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return result.get("plain") if result.get("ok") else None


def _environment_lines(facts):
    gpus = ", ".join(f"{g.get('name')} (CC {g.get('compute_capability') or '?'})" for g in facts.get("gpus", []))
    driver = facts.get("driver", {})
    lines = [
        f"GPU: {gpus or 'none found'}",
        f"Driver: {driver.get('version')} (CUDA <= {driver.get('cuda_version')})" if driver.get("version") else "Driver: not found",
    ]
    for name, fw in facts.get("frameworks", {}).items():
        if isinstance(fw, dict) and fw.get("version"):
            cuda = fw.get("cuda")
            lines.append(f"{name}: {fw['version']}" + (f" (CUDA {cuda})" if cuda else ""))
    return lines


def check():
    """Probe this kernel and display the GPU compatibility report."""
    from IPython.display import display

    display(Report(probe.collect()))


class InstallWatcher:
    """Checks a cell's install commands before it runs; never blocks or changes the cell."""

    def __init__(self, shell):
        self.shell = shell

    def pre_run_cell(self, info):
        cell = getattr(info, "raw_cell", None) or ""
        if not INSTALL_CELL.search(cell):
            return
        try:
            report = Report(probe.collect(), cell=cell, resolutions=self.resolutions(cell))
        except Exception as error:  # noqa: BLE001 - a failed check must never stop the user's cell
            print(f"jupyterlab-gpu-compat: the install check failed ({error!r}); the cell runs as written.")
            return
        if report.plain == "":  # node ran the engine and it had nothing to say
            return
        from IPython.display import display

        display(report)

    def resolutions(self, cell):
        """pip's dry run of each `pip install` line, within the time budget (the engine judges them)."""
        if not RESOLVE_BUDGET_S:
            return []
        started, found = time.monotonic(), []
        for tool, args in _pip_install_args(cell):
            left = RESOLVE_BUDGET_S - (time.monotonic() - started)
            if left <= 1:
                break
            found.append({"tool": tool, "args": args, "answer": resolve(sys.executable, args, timeout=left, tool=tool)})
        return found

    def register(self):
        self.shell.events.register("pre_run_cell", self.pre_run_cell)

    def unregister(self):
        self.shell.events.unregister("pre_run_cell", self.pre_run_cell)


_watcher = None


def load_ipython_extension(shell):
    global _watcher
    if _watcher is not None:
        _watcher.unregister()
    _watcher = InstallWatcher(shell)
    _watcher.register()
    check()


def unload_ipython_extension(shell):
    global _watcher
    if _watcher is not None:
        _watcher.unregister()
        _watcher = None
