import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = ROOT / "python_kernel_probe" / "probe.py"
FACTS_SCHEMA = ROOT / "src" / "schemas" / "facts.schema.json"


def run_probe(*args, env=None, python=sys.executable, timeout=60):
    """Run the probe as a fresh process and return its JSON."""
    merged = {**os.environ, **(env or {})}
    out = subprocess.run([python, str(PROBE), *args], capture_output=True, text=True, env=merged, timeout=timeout, check=True)
    assert out.stderr == "", out.stderr
    return json.loads(out.stdout)


@pytest.fixture
def fake_bin(tmp_path):
    """A folder put first on PATH, for fake executables such as nvidia-smi."""
    folder = tmp_path / "bin"
    folder.mkdir()
    return folder


def write_exe(folder, name, script):
    path = folder / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)
    return path


def iopub_outputs(client, msg_id, timeout=60):
    """The outputs a kernel published for one request, in order, up to its idle status."""
    outputs = []
    while True:
        msg = client.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return outputs
        if msg["msg_type"] in ("stream", "display_data", "execute_result", "error"):
            outputs.append(msg)


def shell_reply(client, msg_id, timeout=60):
    """The reply to one request. Replies to earlier requests (start_new_kernel's kernel_info
    requests, under load) are skipped, not taken for this one."""
    while True:
        reply = client.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def engine_findings(facts):
    """The engine's findings for a facts document, through its command line (built by npm run build)."""
    node = shutil.which("node")
    cli = ROOT / "build" / "cli" / "cli.js"
    if not node or not cli.exists():
        pytest.skip("the engine's command line is built by npm run build")
    out = subprocess.run([node, str(cli), "diagnose", "-", "--json"], input=json.dumps(facts), capture_output=True, text=True, timeout=60)
    assert out.returncode in (0, 1), out.stdout + out.stderr
    return json.loads(out.stdout)["findings"]
