import json
import os
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
