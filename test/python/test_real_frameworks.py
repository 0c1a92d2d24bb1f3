"""The probe against really installed torch (CUDA 13 wheel + nvidia-* packages), TensorFlow, JAX and
bitsandbytes in a separate venv (FRAMEWORKS_PYTHON, built by `make test-frameworks`)."""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import PROBE, ROOT, engine_findings

PYTHON = os.environ.get("FRAMEWORKS_PYTHON")
pytestmark = pytest.mark.skipif(not PYTHON, reason="set FRAMEWORKS_PYTHON (make test-frameworks)")


@pytest.fixture(scope="module")
def facts():
    out = subprocess.run([PYTHON, str(PROBE), "--ask-libraries"], capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout)


def installed(name):
    code = f"import importlib.metadata as m; print(m.version({name!r}))"
    return subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_framework_versions_match_importlib_metadata(facts):
    fw = facts["frameworks"]
    assert fw["torch"]["version"] == installed("torch")
    assert fw["tensorflow"]["version"] == installed("tensorflow")
    assert fw["jax"]["version"] == installed("jax")
    assert fw["bitsandbytes"]["version"] == installed("bitsandbytes")


def test_cuda_each_framework_was_built_for(facts):
    torch_cuda = subprocess.run(
        [PYTHON, "-c", "import torch; print(torch.version.cuda)"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert facts["frameworks"]["torch"]["cuda"] == torch_cuda
    assert any(r.startswith("nvidia-cudnn-cu13") for r in facts["frameworks"]["torch"]["requires"])
    tf = subprocess.run(
        [PYTHON, "-c", "import tensorflow as tf, json; print(json.dumps(tf.sysconfig.get_build_info()))"],
        capture_output=True, text=True, check=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )  # fmt: skip
    build = json.loads(tf.stdout.strip().splitlines()[-1])
    assert facts["frameworks"]["tensorflow"]["is_cuda_build"] == build.get("is_cuda_build")
    assert facts["frameworks"]["tensorflow"]["cuda"] == build.get("cuda_version")
    assert facts["frameworks"]["bitsandbytes"]["binaries"], "bitsandbytes ships its native libraries"


def test_real_cudnn_and_cudart_are_loaded_and_asked_in_a_child(facts):
    libs = {lib["kind"]: lib for lib in facts["cuda"]["libraries"] if lib["source"] == "pip"}
    cudnn = libs["cudnn"]
    assert cudnn["package"] == "nvidia-cudnn-cu13"
    # cudnnGetVersion() answers major*10000 + minor*100 + patch for cuDNN 9: 9.24.0 -> 92400
    major, minor, patch = (int(x) for x in cudnn["version"].split(".")[:3])
    assert cudnn["library_answer"] == major * 10000 + minor * 100 + patch
    cudart = libs["cudart"]
    assert isinstance(cudart["library_answer"], int) and cudart["library_answer"] // 1000 == 13


def test_probe_never_imports_a_framework():
    code = (
        f"import runpy, sys; before = set(sys.modules)\n"
        f"runpy.run_path({str(PROBE)!r})['collect'](ask_libraries=True)\n"
        f"print(sorted(m for m in set(sys.modules) - before if m.split('.')[0] in ('torch', 'tensorflow', 'jax', 'jaxlib', 'bitsandbytes')))"
    )
    out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr


def test_an_old_bitsandbytes_is_read_from_its_real_files_and_diagnosed():
    # bitsandbytes 0.41.1, installed for real beside the venv (make test-frameworks), put first on the path.
    old = Path(PYTHON).parents[1] / "old-bitsandbytes"
    env = {**os.environ, "PYTHONPATH": str(old)}
    out = subprocess.run([PYTHON, str(PROBE)], capture_output=True, text=True, check=True, timeout=120, env=env)
    facts = json.loads(out.stdout)
    bnb = facts["frameworks"]["bitsandbytes"]
    assert bnb["version"] == "0.41.1"
    shipped = sorted(p.name for p in (old / "bitsandbytes").glob("libbitsandbytes_cuda*.so"))
    assert sorted(Path(b).name for b in bnb["binaries"] if "cuda" in Path(b).name) == shipped
    cuda = sorted({re.search(r"cuda(\d+)", name).group(1) for name in shipped}, key=int)
    assert sorted(bnb["cuda_versions"], key=int) == cuda  # 110 … 122: nothing for CUDA 12.3 or newer
    # The engine on these real facts: torch's CUDA 13 wheel makes bitsandbytes look for a CUDA 13.0 binary.
    findings = {f["id"]: f for f in engine_findings(facts)}
    assert findings["bnb-missing-binary"]["title"] == "bitsandbytes 0.41.1 has no binary for CUDA 13.0"


def test_the_table_row_of_the_installed_bitsandbytes_matches_its_files(facts):
    bnb = facts["frameworks"]["bitsandbytes"]
    table = json.loads((ROOT / "src" / "compat" / "bitsandbytes.json").read_text())
    (row,) = [r for r in table["rows"] if r["version"] == bnb["version"]]
    shipped = sorted((f"{int(v[:-1])}.{v[-1]}" for v in bnb["cuda_versions"]), key=lambda v: tuple(map(int, v.split("."))))
    assert row["cuda"] == shipped
