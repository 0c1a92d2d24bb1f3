"""`preflight --resolve`: the kernel's own pip resolves an install cell (nothing is installed) and the
exact versions are judged. Real pip, against a local folder of real wheels made here (no network)."""

import base64
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import zipfile

import pytest
from conftest import ROOT

CLI = ROOT / "build" / "cli" / "cli.js"
pytestmark = pytest.mark.skipif(not CLI.exists() or shutil.which("node") is None, reason="the CLI is built by npm run build")


def make_wheel(folder, name, version, requires=(), requires_python=None):
    """A minimal valid wheel: metadata only, which is all a dry run reads."""
    dist = f"{name.replace('-', '_')}-{version}"
    path = folder / f"{dist}-py3-none-any.whl"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    metadata += "".join(f"Requires-Dist: {r}\n" for r in requires)
    if requires_python:
        metadata += f"Requires-Python: {requires_python}\n"
    files = {
        f"{dist}.dist-info/METADATA": metadata,
        f"{dist}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    with zipfile.ZipFile(path, "w") as wheel:
        for arcname, text in files.items():
            wheel.writestr(arcname, text)
            digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
            record.append(f"{arcname},sha256={digest},{len(text)}")
        record.append(f"{dist}.dist-info/RECORD,,")
        wheel.writestr(f"{dist}.dist-info/RECORD", "\n".join(record) + "\n")
    return path


@pytest.fixture
def index(tmp_path):
    folder = tmp_path / "wheels"
    folder.mkdir()
    make_wheel(folder, "tensorflow", "2.15.0")
    make_wheel(folder, "needs-old-tf", "1.0", requires=["tensorflow==2.15.0"])
    make_wheel(folder, "numpy", "1.26.4")
    make_wheel(folder, "needs-numpy-1", "1.0", requires=["numpy<2"])
    make_wheel(folder, "only-old-python", "1.0", requires_python="<3.8")
    return folder


@pytest.fixture
def facts_file(tmp_path):
    """A Colab-like kernel: TensorFlow 2.18 and NumPy 2 installed, a T4 on a CUDA 12.4 driver."""
    facts = {
        "schema_version": 1,
        "probe_version": "test",
        "python": {"version": ".".join(map(str, sys.version_info[:3])), "executable": sys.executable},
        "platform": {"system": "Linux", "machine": "x86_64"},
        "gpus": [{"index": 0, "name": "Tesla T4", "compute_capability": "7.5"}],
        "driver": {"version": "550.54.15", "cuda_version": "12.4"},
        "cuda": {"toolkits": [], "libraries": []},
        "packages": {"tensorflow": "2.18.0", "numpy": "2.1.3"},
        "frameworks": {"tensorflow": {"version": "2.18.0", "cuda": "12.5", "cudnn": "9", "is_cuda_build": True}, "imported": {}},
        "env": {},
        "errors": [],
    }
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts))
    return path


def preflight(cell, facts_file, index=None, extra=(), timeout=60):
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_CONFIG_FILE": os.devnull}
    if index is not None:
        env.update({"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(index)})
    args = [
        "node",
        str(CLI),
        "preflight",
        "--resolve",
        "--python",
        sys.executable,
        "--facts",
        str(facts_file),
        "--cell",
        cell,
        "--json",
        *extra,
    ]
    out = subprocess.run(args, capture_output=True, text=True, env=env, timeout=timeout, check=False)
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


def test_a_package_that_drags_in_an_older_tensorflow(index, facts_file):
    result = preflight("!pip install needs-old-tf", facts_file, index)
    assert result["resolution"] == [{"command": "install needs-old-tf", "exact": True}]
    finding = next(f for f in result["findings"] if f["id"] == "pip-downgrade")
    assert finding["title"] == "This cell downgrades TensorFlow 2.18.0 to 2.15.0"
    evidence = {e["label"]: e["value"] for e in finding["evidence"]}
    assert evidence["pip resolved this cell to"] == "needs-old-tf (new) → 1.0; tensorflow 2.18.0 → 2.15.0"


def test_a_package_that_needs_numpy_below_2(index, facts_file):
    result = preflight("%pip install needs-numpy-1", facts_file, index)
    assert [f["title"] for f in result["findings"] if f["id"] == "pip-downgrade"] == ["This cell downgrades NumPy 2.1.3 to 1.26.4"]


def test_no_wheel_for_this_python_is_pips_own_error_explained(index, facts_file):
    result = preflight("!pip install only-old-python", facts_file, index)
    assert result["resolution"][0]["exact"] is False
    assert "exit 1" in result["resolution"][0]["reason"]
    assert [f["id"] for f in result["findings"]] == ["pip-no-wheel"]


def test_nothing_is_installed(index, facts_file):
    preflight("!pip install needs-old-tf", facts_file, index)
    installed = subprocess.run([sys.executable, "-m", "pip", "show", "needs-old-tf"], capture_output=True, text=True, check=False)
    assert installed.returncode != 0


def test_an_index_that_never_answers_leaves_the_static_result_and_says_why(facts_file):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held = []
    threading.Thread(target=lambda: held.extend(server.accept() for _ in range(8)), daemon=True).start()
    port = server.getsockname()[1]
    cell = f"!pip install tensorflow==2.15.1 --index-url http://127.0.0.1:{port}/simple"
    result = preflight(cell, facts_file, extra=["--timeout", "3"])
    assert result["resolution"][0]["exact"] is False
    assert result["resolution"][0]["reason"] == "pip did not answer within 3 s (an index that does not answer?)"
    # The static check of the cell's text stands.
    assert "pip-downgrade" in [f["id"] for f in result["findings"]]
    server.close()
