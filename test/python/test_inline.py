"""`%load_ext jupyterlab_gpu_compat` and `check()` in a real kernel: the MIME bundle, and the
install-cell hook that shows the warning above pip's output without blocking the cell.

The kernel's environment is the browser tests' broken one: a fake nvidia-smi (CUDA 12.4, T4), a
fake `pip` that installs nothing, and dist-info for TensorFlow 2.18.0 and bitsandbytes 0.40.2.
"""

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from conftest import iopub_outputs, shell_reply
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "test" / "ui" / "fixtures"
MIME = "application/vnd.jupyter.gpu-compat+json"
FRAMEWORKS = ("torch", "tensorflow", "jax", "jaxlib", "bitsandbytes")

pytestmark = pytest.mark.skipif(not (ROOT / "jupyterlab_gpu_compat" / "report.js").exists(), reason="report.js is built by npm run build")


def start(path, **extra):
    # The exact check (pip's dry run in the hook) is off unless a test turns it on.
    env = {**os.environ, "PATH": path, "PYTHONPATH": str(FIXTURES / "site"), "JUPYTERLAB_GPU_COMPAT_RESOLVE_SECONDS": "0", **extra}
    manager, client = start_new_kernel(kernel_name="python3", env=env)
    return manager, client


@pytest.fixture
def kernel():
    manager, client = start(f"{FIXTURES / 'bin'}{os.pathsep}{os.environ['PATH']}")
    yield client
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def run(client, code):
    """Execute like a notebook cell; return the outputs in order."""
    msg_id = client.execute(code)
    outputs = iopub_outputs(client, msg_id)
    shell_reply(client, msg_id)
    return outputs


def reports(outputs):
    return [o["content"]["data"] for o in outputs if o["msg_type"] == "display_data" and MIME in o["content"]["data"]]


@pytest.mark.skipif(shutil.which("node") is None, reason="the text/plain findings come from report.js under node")
def test_load_ext_displays_the_report_in_every_mime_type(kernel):
    outputs = run(kernel, "%load_ext jupyterlab_gpu_compat")
    (bundle,) = reports(outputs)
    facts = bundle[MIME]["facts"]
    assert facts["schema_version"] == 1
    assert facts["gpus"][0]["name"] == "Tesla T4"
    assert facts["frameworks"]["bitsandbytes"]["version"] == "0.40.2"
    assert "cell" not in bundle[MIME]
    # text/plain: the findings of the same engine (report.js under node), with their first fix.
    plain = bundle["text/plain"]
    assert "[bnb-missing-binary] bitsandbytes 0.40.2 has no binary for CUDA 12.4" in plain
    assert '%pip install -U "bitsandbytes>=0.43.1"' in plain
    # text/html: the payload and the whole script, inline (no network), in one script element.
    page = bundle["text/html"]
    assert page.count("<script>") == 1 and page.count("</script>") == 1
    assert "jupyterlabGpuCompat.renderReport(" in page and '"Tesla T4"' in page
    # No element loads anything (the bundled libraries' own code may say "src=", no tag does).
    assert not re.search(r"<(script|img|iframe|link)\b[^>]*\b(src|href)=", page) and "http" not in page.split("<script>")[0]
    # The probe ran in the kernel without importing a framework or leaving names behind.
    (names,) = run(kernel, f"print(sorted(m for m in {FRAMEWORKS!r} if m in __import__('sys').modules), [k for k in dir() if 'gpu' in k])")
    assert names["content"]["text"].strip() == "[] []"


def test_check_works_without_load_ext(kernel):
    (bundle,) = reports(run(kernel, "import jupyterlab_gpu_compat\njupyterlab_gpu_compat.check()"))
    assert bundle[MIME]["facts"]["driver"]["cuda_version"] == "12.4"


@pytest.mark.skipif(shutil.which("node") is None, reason="the hook asks report.js under node whether to show anything")
def test_install_cell_is_checked_before_it_runs_and_still_runs(kernel):
    run(kernel, "%load_ext jupyterlab_gpu_compat")
    outputs = run(kernel, "!pip install tensorflow==2.15.1")
    kinds = [o["msg_type"] for o in outputs]
    assert kinds[0] == "display_data", kinds  # the warning comes first, above pip's output
    (bundle,) = reports(outputs)
    assert bundle[MIME]["cell"] == "!pip install tensorflow==2.15.1"
    assert "[pip-downgrade]" in bundle["text/plain"]
    assert "fix: Stay on TensorFlow 2.18.0 (run this instead): %pip install tensorflow==2.18.0" in bundle["text/plain"]
    # Never blocked or rewritten: pip got exactly what the user wrote.
    streams = "".join(o["content"]["text"] for o in outputs if o["msg_type"] == "stream")
    assert "fake pip (browser tests): pip install tensorflow==2.15.1" in streams

    # An install with nothing to say adds nothing to the cell.
    outputs = run(kernel, "!pip install requests")
    assert reports(outputs) == []
    # After %unload_ext the hook is gone.
    run(kernel, "%unload_ext jupyterlab_gpu_compat")
    assert reports(run(kernel, "!pip install tensorflow==2.15.1")) == []


def test_without_node_the_text_is_the_environment_and_the_html_still_diagnoses():
    # PATH without node: the kernel cannot run report.js, the browser still can.
    manager, client = start(str(FIXTURES / "bin"))
    try:
        (bundle,) = reports(run(client, "%load_ext jupyterlab_gpu_compat"))
        plain = bundle["text/plain"]
        assert "needs a frontend that runs output scripts" in plain
        assert "GPU: Tesla T4 (CC 7.5)" in plain and "bitsandbytes: 0.40.2" in plain
        assert "<pre>" in bundle["text/html"]  # the same lines for HTML frontends without scripts
        # Unknown whether it matters: the hook shows a self-hiding report, with no text.
        (hook,) = reports(run(client, "!pip install requests"))
        assert hook["text/plain"] == ""
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


@pytest.mark.skipif(shutil.which("node") is None, reason="the hook asks report.js under node whether to show anything")
def test_the_hook_resolves_with_pip_first_and_judges_what_it_would_install(tmp_path):
    """Nothing in `!pip install needs-old-tf` names TensorFlow; pip's dry run (a local wheel folder, no
    network) says it would replace the kernel's TensorFlow 2.18.0 with 2.15.0."""
    sys.path.insert(0, str(ROOT / "test"))
    from wheels import make_index

    index = make_index(tmp_path / "wheels")
    manager, client = start(
        f"{FIXTURES / 'bin'}{os.pathsep}{os.environ['PATH']}",
        JUPYTERLAB_GPU_COMPAT_RESOLVE_SECONDS="30",
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(index),
        PIP_CONFIG_FILE=os.devnull,
    )
    try:
        run(client, "%load_ext jupyterlab_gpu_compat")
        (bundle,) = reports(run(client, "!pip install needs-old-tf"))
        assert bundle[MIME]["resolutions"][0]["args"] == ["needs-old-tf"]
        assert "[pip-downgrade] This cell downgrades TensorFlow 2.18.0 to 2.15.0" in bundle["text/plain"]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


@pytest.mark.skipif(shutil.which("node") is None, reason="the text/plain findings come from report.js under node")
@pytest.mark.parametrize(
    ("lang", "catalogues", "plain"),
    [
        # No choice: the page picks from every shipped catalogue; text/plain follows the kernel's LANG (C here).
        (None, ["zh_CN"], "[bnb-missing-binary] bitsandbytes 0.40.2 has no binary for CUDA 12.4"),
        ("zh_CN", ["zh_CN"], "[bnb-missing-binary] bitsandbytes 0.40.2 没有适用于 CUDA 12.4 的二进制文件"),
        ("en", [], "[bnb-missing-binary] bitsandbytes 0.40.2 has no binary for CUDA 12.4"),
    ],
)
def test_the_reports_language(lang, catalogues, plain):
    extra = {"LANG": "C.UTF-8", **({"JUPYTERLAB_GPU_COMPAT_LANG": lang} if lang else {})}
    manager, client = start(f"{FIXTURES / 'bin'}{os.pathsep}{os.environ['PATH']}", **extra)
    try:
        (bundle,) = reports(run(client, "%load_ext jupyterlab_gpu_compat"))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    payload = bundle[MIME]
    assert sorted(payload.get("catalogues", {})) == catalogues
    assert payload.get("lang") == lang
    assert plain in bundle["text/plain"]
    if lang == "zh_CN":
        assert "修复" in bundle["text/plain"]  # the fix line is in Chinese too
