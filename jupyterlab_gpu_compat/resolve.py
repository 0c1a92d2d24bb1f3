"""Ask a Python's own pip (or uv) what ``pip install ARGS`` would change, without installing anything.

``python -m pip install --dry-run --quiet --report - ARGS`` (``uv pip install --dry-run --python
PYTHON ARGS`` for a ``uv pip`` cell, whose plan is read into the same report shape) in a subprocess: an argument list (never
a shell), a time limit, and the whole process group killed past it. pip reads its own configuration
(indexes, extra index URLs, credentials helpers), so the answer is the one the cell would get and
nothing is sent anywhere pip would not send it. Used by the server extension (``handlers.py``).
"""

import json
import os
import re
import shutil
import signal
import subprocess

UV_PLAN = re.compile(r"^\s*\+\s+(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)\s*$", re.M)


def _uv_report(text):
    """uv's dry-run plan (`` + name==version`` lines) as pip's installation-report shape."""
    return {"version": "uv", "install": [{"metadata": m.groupdict()} for m in UV_PLAN.finditer(text)]}


def resolve(python, args, timeout=20.0, tool="pip"):
    """``{"ok": True, "report": …}`` or ``{"ok": False, "reason": …, "stderr": …}``; never raises."""
    args = [a for a in args if a != "--dry-run"]
    if tool == "uv":
        uv = shutil.which("uv")
        if not uv:
            return {"ok": False, "reason": "uv is not on PATH"}
        command = [uv, "pip", "install", "--dry-run", "--python", python, *args]
    else:
        command = [python, "-m", "pip", "install", "--dry-run", "--quiet", "--no-color", "--report", "-", *args]
    # pip colours the JSON it prints when FORCE_COLOR is set, whatever --no-color says.
    env = {key: value for key, value in os.environ.items() if key != "FORCE_COLOR"}
    try:
        # An argument list, never a shell; the user's own interpreter.
        child = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
    except OSError as exc:
        return {"ok": False, "reason": f"could not run {python}: {exc}"}
    try:
        stdout, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except OSError:
            child.kill()
        child.communicate()
        return {"ok": False, "reason": f"pip did not answer within {round(timeout)} s (an index that does not answer?)"}
    if child.returncode != 0:
        return {"ok": False, "reason": f"{tool} could not resolve it (exit {child.returncode})", "stderr": stderr[-20000:]}
    if tool == "uv":
        return {"ok": True, "report": _uv_report(stdout + stderr)}
    try:
        return {"ok": True, "report": json.loads(stdout)}
    except ValueError:
        return {"ok": False, "reason": f"pip's report is not JSON: {stdout.strip()[:200]!r}", "stderr": stderr[-20000:]}
