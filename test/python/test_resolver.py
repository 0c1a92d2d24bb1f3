"""`preflight --resolve`: the kernel's own pip resolves an install cell (nothing is installed) and the
exact versions are judged. Real pip, against a local folder of real wheels made here (no network)."""

import json
import os
import shutil
import socket
import subprocess
import sys
import threading

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "test"))
from wheels import make_index

CLI = ROOT / "build" / "cli" / "cli.js"
pytestmark = pytest.mark.skipif(not CLI.exists() or shutil.which("node") is None, reason="the CLI is built by npm run build")


@pytest.fixture
def index(tmp_path):
    return make_index(tmp_path / "wheels")


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


def fixes(finding):
    return [(f["title"], [s["text"] for s in f["steps"] if s["kind"] == "pip"]) for f in finding["fixes"]]


def test_the_fixes_of_a_pulled_downgrade_are_resolved_too(index, facts_file):
    # needs-old-tf pins tensorflow==2.15.0: keeping 2.18.0 beside it cannot resolve, so only the
    # --no-deps fix is offered (and the [and-cuda] one cannot resolve here: no tf-keras wheel).
    result = preflight("!pip install needs-old-tf", facts_file, index)
    finding = next(f for f in result["findings"] if f["id"] == "pip-downgrade")
    assert fixes(finding) == [
        (
            "Install needs-old-tf without its dependencies (keeps TensorFlow 2.18.0; check that it works with it)",
            ["install --no-deps needs-old-tf"],
        )
    ]
    # needs-tf-loose 2.0 pins 2.15.0, but 1.0 takes any TensorFlow below 2.19: pinning 2.18.0
    # beside it resolves (pip picks 1.0), and that is the first fix.
    loose = preflight("!pip install needs-tf-loose", facts_file, index)
    finding = next(f for f in loose["findings"] if f["id"] == "pip-downgrade")
    assert fixes(finding)[0] == ("Keep TensorFlow 2.18.0 while installing needs-tf-loose", ["install needs-tf-loose tensorflow==2.18.0"])


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


# --- the server extension: POST /gpu-compat/resolve on the user's own server ---

pytest_plugins = ["pytest_jupyter.jupyter_server"]


@pytest.fixture
def jp_server_config():
    return {"ServerApp": {"jpserver_extensions": {"jupyterlab_gpu_compat": True}}}


async def test_the_server_resolves_with_pip_and_keeps_the_answer(jp_fetch, index, monkeypatch):
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(index))
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    body = json.dumps({"python": sys.executable, "args": ["needs-old-tf"], "timeout": 60})
    first = json.loads((await jp_fetch("gpu-compat", "resolve", method="POST", body=body)).body)
    assert first["ok"] and [i["metadata"]["name"] for i in first["report"]["install"]] == ["needs-old-tf", "tensorflow"]
    again = json.loads((await jp_fetch("gpu-compat", "resolve", method="POST", body=body)).body)
    assert again["cached"] is True


async def test_the_server_refuses_what_is_not_an_interpreter_and_a_list(jp_fetch):
    from tornado.httpclient import HTTPClientError

    for body in ({"python": "python", "args": []}, {"python": sys.executable, "args": "x"}, {"args": []}):
        with pytest.raises(HTTPClientError) as error:
            await jp_fetch("gpu-compat", "resolve", method="POST", body=json.dumps(body))
        assert error.value.code == 400


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv is installed with the test extras")
def test_uv_pip_cells_are_resolved_with_uv(index, facts_file):
    # uv reads its own options: the local wheel folder is given on the command line, as a cell would.
    result = preflight(f"!uv pip install --no-index --find-links {index} needs-old-tf", facts_file)
    assert result["resolution"][0]["exact"] is True
    assert "This cell downgrades TensorFlow 2.18.0 to 2.15.0" in [f["title"] for f in result["findings"]]


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv is installed with the test extras")
async def test_the_server_resolves_uv_cells_with_uv(jp_fetch, index):
    body = json.dumps({"python": sys.executable, "tool": "uv", "args": ["--no-index", "--find-links", str(index), "needs-old-tf"]})
    answer = json.loads((await jp_fetch("gpu-compat", "resolve", method="POST", body=body)).body)
    assert answer["ok"] and [i["metadata"] for i in answer["report"]["install"]] == [
        {"name": "needs-old-tf", "version": "1.0"},
        {"name": "tensorflow", "version": "2.15.0"},
    ]
