"""The probe as a process: its facts, its fallbacks, and that it never imports a framework."""

import json
import os
import shutil
import subprocess
import sys
import time

import pytest
from conftest import PROBE, ROOT, engine_findings, run_probe, write_exe

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the fixtures are Linux shell scripts and shared libraries")


def test_reports_every_top_level_fact():
    facts = run_probe()
    for key in (
        "schema_version",
        "probe_version",
        "python",
        "platform",
        "gpus",
        "driver",
        "cuda",
        "packages",
        "frameworks",
        "env",
        "errors",
    ):
        assert key in facts
    assert facts["schema_version"] == 1
    assert facts["python"]["version"] == ".".join(map(str, sys.version_info[:3]))
    assert facts["packages"]["pytest"] == __import__("pytest").__version__
    assert facts["errors"] == []


def test_module_entry_point_prints_the_same_document():
    direct = run_probe()
    as_module = json.loads(
        subprocess.run([sys.executable, "-m", "jupyterlab_gpu_compat.probe"], capture_output=True, text=True, check=True).stdout
    )
    for facts in (direct, as_module):
        facts.pop("timing_ms")
    assert direct == as_module


def test_fake_nvidia_smi_gives_driver_and_gpu(fake_bin):
    write_exe(
        fake_bin,
        "nvidia-smi",
        'case "$1" in --query-gpu=*) echo "550.54.15, NVIDIA A100-SXM4-40GB, 8.0, 40960, GPU-abc";;\n'
        '*) echo "| NVIDIA-SMI 550.54.15   Driver Version: 550.54.15   CUDA Version: 12.4 |";; esac\n',
    )
    facts = run_probe(env={"PATH": f"{fake_bin}:{os.environ['PATH']}"})
    assert facts["driver"] == {"version": "550.54.15", "cuda_version": "12.4", "source": "nvidia-smi", "init_error": None}
    assert facts["gpus"] == [
        {"index": 0, "name": "NVIDIA A100-SXM4-40GB", "compute_capability": "8.0", "memory_mib": 40960, "uuid": "GPU-abc"}
    ]


def test_garbled_nvidia_smi_is_an_error_not_a_crash(fake_bin):
    write_exe(fake_bin, "nvidia-smi", 'echo "\\377\\376 something else entirely"\n')
    facts = run_probe(env={"PATH": f"{fake_bin}:{os.environ['PATH']}"})
    assert facts["gpus"] == []
    assert [e["step"] for e in facts["errors"]] == ["nvidia-smi"]


def test_hung_nvidia_smi_is_bounded(fake_bin):
    write_exe(fake_bin, "nvidia-smi", "sleep 30\n")
    started = time.perf_counter()
    facts = run_probe(env={"PATH": f"{fake_bin}:{os.environ['PATH']}"})
    elapsed = time.perf_counter() - started
    assert elapsed < 10
    assert facts["errors"][0]["step"] == "nvidia-smi"
    assert "timed out" in facts["errors"][0]["message"]


def fake_libraries(tmp_path, c_source, *names):
    """A folder of shared libraries built from one C source, each under the given names."""
    source = tmp_path / "fake.c"
    source.write_text(c_source)
    lib_dir = tmp_path / "lib"
    lib_dir.mkdir()
    for name in names:
        subprocess.run(["cc", "-shared", "-fPIC", "-o", str(lib_dir / name), str(source)], check=True)
    return lib_dir


FAKE_LIBCUDA = r"""
#include <string.h>
#include <stddef.h>
int cuDriverGetVersion(int *v) { *v = 12040; return 0; }
int cuInit(unsigned int flags) { return 0; }
int cuDeviceGetCount(int *n) { *n = 1; return 0; }
int cuDeviceGet(int *d, int i) { *d = i; return 0; }
int cuDeviceGetName(char *name, int len, int d) { strncpy(name, "Tesla T4", len); return 0; }
int cuDeviceGetAttribute(int *v, int attr, int d) { *v = attr == 75 ? 7 : attr == 76 ? 5 : 0; return 0; }
int cuDeviceTotalMem_v2(size_t *bytes, int d) { *bytes = (size_t)15360 << 20; return 0; }
"""


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler to build the fake libcuda")
def test_fake_libcuda_is_asked_through_ctypes_in_a_child(tmp_path):
    lib_dir = fake_libraries(tmp_path, FAKE_LIBCUDA, "libcuda.so.1")
    facts = run_probe(env={"LD_LIBRARY_PATH": str(lib_dir)})
    assert facts["driver"]["cuda_version"] == "12.4"
    assert facts["driver"]["source"] == "libcuda"
    assert facts["gpus"] == [{"index": 0, "name": "Tesla T4", "compute_capability": "7.5", "memory_mib": 15360, "uuid": None}]
    # NVML is not there: its failure is recorded, and the libcuda answer is used.
    assert [e["step"] for e in facts["errors"]] == ["nvml_query"]


def make_dist(site, name, version, files=None):
    dist = site / f"{name}-{version}.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    for relative, text in (files or {}).items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_fake_dist_info_trees_for_frameworks_not_installed(tmp_path):
    site = tmp_path / "site"
    make_dist(
        site,
        "tensorflow",
        "2.15.1",
        {
            "tensorflow/python/platform/build_info.py": "build_info = {'cpu_compiler': '/usr/bin/clang', 'cuda_compute_capabilities': ['sm_50', 'sm_80', 'compute_90'], 'cuda_version': '12.2', 'cudnn_version': '8', 'is_cuda_build': True, 'is_rocm_build': False, 'is_tensorrt_build': True}\n"
        },
    )
    make_dist(
        site,
        "torch",
        "2.3.1+cu121",
        {"torch/version.py": "__version__ = '2.3.1+cu121'\ndebug = False\ncuda: Optional[str] = '12.1'\nhip: Optional[str] = None\n"},
    )
    make_dist(site, "torchvision", "0.18.1+cu121", {"torchvision/version.py": "__version__ = '0.18.1+cu121'\ncuda = '12.1'\n"})
    make_dist(site, "jax", "0.4.20")
    make_dist(site, "jaxlib", "0.4.20+cuda12.cudnn89")
    make_dist(
        site,
        "bitsandbytes",
        "0.43.1",
        {"bitsandbytes/libbitsandbytes_cuda124.so": "", "bitsandbytes/libbitsandbytes_cuda118_nocublaslt.so": ""},
    )
    make_dist(site, "nvidia_cudnn_cu12", "8.9.2.26", {"nvidia/cudnn/lib/libcudnn.so.8": ""})
    facts = run_probe(env={"PYTHONPATH": str(site)})
    fw = facts["frameworks"]
    assert fw["tensorflow"] | {"requires": []} == {
        "distribution": "tensorflow",
        "version": "2.15.1",
        "cuda": "12.2",
        "cudnn": "8",
        "is_cuda_build": True,
        "compute_capabilities": ["sm_50", "sm_80", "compute_90"],
        "requires": [],
    }
    assert (fw["torch"]["version"], fw["torch"]["cuda"]) == ("2.3.1+cu121", "12.1")
    assert fw["torchvision"] == {"version": "0.18.1+cu121", "cuda": "12.1"}
    assert (fw["jax"]["jaxlib_cuda"], fw["jax"]["jaxlib_cudnn"]) == ("12", "89")
    assert fw["bitsandbytes"]["cuda_versions"] == ["118", "124"]
    cudnn = [lib for lib in facts["cuda"]["libraries"] if lib["kind"] == "cudnn" and lib["source"] == "pip"]
    assert cudnn[0]["version"] == "8.9.2.26" and cudnn[0]["version_from"] == "package" and cudnn[0]["package"] == "nvidia-cudnn-cu12"


def test_cuda13_shared_folder_layout(tmp_path):
    site = tmp_path / "site"
    make_dist(
        site,
        "nvidia_cuda_runtime",
        "13.0.96",
        {"nvidia/cu13/lib/libcudart.so.13": "", "nvidia/cu13/include/cuda_runtime_api.h": "#define CUDART_VERSION 13000\n"},
    )
    make_dist(site, "nvidia_cudnn_cu13", "9.24.0.43", {"nvidia/cudnn/lib/libcudnn.so.9": ""})
    facts = run_probe(env={"PYTHONPATH": str(site)})
    pip_libs = {(lib["kind"], lib["version"]) for lib in facts["cuda"]["libraries"] if lib["source"] == "pip"}
    assert ("cudart", "13.0") in pip_libs
    assert ("cudnn", "9.24.0.43") in pip_libs


def test_prints_nothing_but_one_json_document():
    out = subprocess.run([sys.executable, str(PROBE)], capture_output=True, text=True, check=True)
    assert out.stdout.count("\n") == 1
    json.loads(out.stdout)


def test_output_validates_against_the_facts_schema(tmp_path):
    """The contract's other side: the TypeScript engine validates with the same schema (see test/jest)."""
    facts = run_probe()
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts))
    cli = ROOT / "build" / "cli" / "cli.js"
    result = subprocess.run(["node", str(cli), "diagnose", "--json", str(path)], capture_output=True, text=True)
    assert result.returncode in (0, 1), result.stderr
    assert "findings" in json.loads(result.stdout)


# --- situations of a driver and libraries this machine cannot have, end to end through the engine ---

FAKE_BROKEN_DRIVER = r"""
int nvmlInit_v2(void) { return 18; }  /* NVML_ERROR_LIB_RM_VERSION_MISMATCH */
int cuDriverGetVersion(int *v) { *v = 12040; return 0; }
int cuInit(unsigned int flags) { return 803; }  /* CUDA_ERROR_SYSTEM_DRIVER_MISMATCH */
"""


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler to build the fake driver libraries")
def test_a_driver_that_does_not_answer_is_reported_with_its_codes(tmp_path):
    lib_dir = fake_libraries(tmp_path, FAKE_BROKEN_DRIVER, "libnvidia-ml.so.1", "libcuda.so.1")
    facts = run_probe(env={"LD_LIBRARY_PATH": str(lib_dir), "PATH": "/usr/bin:/bin"})
    assert facts["errors"][0]["message"] == "RuntimeError: nvmlInit failed with code 18 (NVML_ERROR_LIB_RM_VERSION_MISMATCH)"
    assert facts["driver"]["init_error"] == 803 and facts["gpus"] == []
    findings = engine_findings(facts)
    assert findings[0]["id"] == "driver-not-responding"
    evidence = {e["label"]: e["value"] for e in findings[0]["evidence"]}
    assert evidence["cuInit"].startswith("803: CUDA_ERROR_SYSTEM_DRIVER_MISMATCH")


def test_a_hung_nvidia_smi_is_a_driver_that_did_not_answer(fake_bin):
    write_exe(fake_bin, "nvidia-smi", "sleep 30\n")
    facts = run_probe(env={"PATH": f"{fake_bin}:{os.environ['PATH']}"})
    findings = engine_findings(facts)
    assert [f["id"] for f in findings if f["severity"] != "info"] == ["driver-not-responding"]
    assert findings[0]["title"] == "The NVIDIA driver did not answer in time"


def fake_toolkit(root, version):
    """A CUDA toolkit folder with its runtime library and the header that states its version."""
    major, minor = version.split(".")[:2]
    (root / "lib64").mkdir(parents=True)
    (root / "lib64" / f"libcudart.so.{major}.0").write_text("")
    (root / "include").mkdir()
    (root / "include" / "cuda_runtime_api.h").write_text(f"#define CUDART_VERSION {int(major) * 1000 + int(minor) * 10}\n")
    return root / "lib64"


def test_two_toolkits_on_ld_library_path_the_first_wins_and_the_fix_keeps_the_newest(tmp_path):
    old = fake_toolkit(tmp_path / "cuda-11.2", "11.2")
    new = fake_toolkit(tmp_path / "cuda-11.8", "11.8")
    facts = run_probe(env={"LD_LIBRARY_PATH": f"{old}:{new}"})
    runtimes = [(lib["version"], lib["source"]) for lib in facts["cuda"]["libraries"] if lib["kind"] == "cudart"]
    assert runtimes[:2] == [("11.2", "ld_library_path"), ("11.8", "ld_library_path")]
    finding = next(f for f in engine_findings(facts) if f["id"] == "multiple-cuda-toolkits")
    assert finding["severity"] == "warning"
    assert f"export LD_LIBRARY_PATH={new}`" in finding["fixes"][0]["steps"][0]["text"]
    assert "/proc/self/maps" in finding["verify"]


def test_cuda_compat_driver_is_found_and_whether_the_loader_uses_it(tmp_path):
    toolkit = tmp_path / "cuda-12.8"
    (toolkit / "compat").mkdir(parents=True)
    (toolkit / "compat" / "libcuda.so.570.124.06").write_text("")
    (toolkit / "version.json").write_text('{"cuda": {"version": "12.8.1"}}')
    off = run_probe(env={"CUDA_HOME": str(toolkit)})["cuda"]["compat"]
    on = run_probe(env={"CUDA_HOME": str(toolkit), "LD_LIBRARY_PATH": str(toolkit / "compat")})["cuda"]["compat"]
    path = str(toolkit / "compat" / "libcuda.so.570.124.06")
    assert off == [{"path": path, "version": "570.124.06", "cuda": "12.8", "on_loader_path": False}]
    assert on == [{"path": path, "version": "570.124.06", "cuda": "12.8", "on_loader_path": True}]


def test_every_scan_that_ran_is_stated():
    assert run_probe()["scans"] == {"packages": True, "libraries": True, "gpus": True}
