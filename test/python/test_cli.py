"""The Python package's command line: `jupyterlab-gpu-compat` / `python -m jupyterlab_gpu_compat`."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.skipif(
    not (ROOT / "jupyterlab_gpu_compat" / "cli.js").exists() or shutil.which("node") is None,
    reason="cli.js is bundled by npm run build; node must be on PATH",
)


def cli(*args, env=None, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "jupyterlab_gpu_compat", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def test_version_and_help_exit_0():
    version = cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("jupyterlab-gpu-compat ")
    for args in (["--help"], ["-h"], ["diagnose", "--help"], ["preflight", "-h"], ["explain", "--help"], ["table", "--help"]):
        out = cli(*args)
        assert out.returncode == 0, (args, out.stderr)
        assert "jupyterlab-gpu-compat" in out.stdout


def test_bad_input_goes_to_stderr_with_exit_2():
    out = cli("frobnicate")
    assert out.returncode == 2
    assert out.stdout == "" and "unknown command: frobnicate" in out.stderr


def test_diagnose_without_facts_probes_this_python():
    out = cli("diagnose", "--json")
    assert out.returncode in (0, 1), out.stderr
    report = json.loads(out.stdout)
    assert "findings" in report and report["table_date"]


def test_explain_a_pasted_report(tmp_path):
    log = tmp_path / "issue.txt"
    log.write_text("RuntimeError: The NVIDIA driver on your system is too old (found version 11040).\n")
    out = cli("explain", "--output", str(log), "--json")
    assert out.returncode == 1
    findings = json.loads(out.stdout)["findings"]
    assert findings[0]["id"] == "driver-too-old"


def test_without_node_one_line_says_how_to_get_the_diagnosis(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "jupyterlab_gpu_compat", "diagnose"],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": str(tmp_path)},
        timeout=60,
        check=False,
    )
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "Node.js" in out.stderr and "python -m jupyterlab_gpu_compat.probe" in out.stderr
