"""The situations of issue 12 end to end: a fake driver and GPU (nvidia-smi on PATH), fake dist-info
trees for the frameworks, the real probe, then the engine's command line. Every broken one raises its
finding first; every healthy neighbour raises no error and no warning."""

import sys

import pytest
from conftest import engine_findings, run_probe, write_exe
from test_probe import make_dist

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the fixtures are Linux shell scripts")


def fake_driver(folder, driver, cuda, gpu, cc):
    write_exe(
        folder,
        "nvidia-smi",
        f'case "$1" in --query-gpu=*) echo "{driver}, {gpu}, {cc}, 16384, GPU-1";;\n'
        f'*) echo "| NVIDIA-SMI {driver}   Driver Version: {driver}   CUDA Version: {cuda} |";; esac\n',
    )


def torch_dist(site, version, cuda):
    make_dist(site, "torch", version, {"torch/version.py": f"__version__ = '{version}'\ncuda = '{cuda}'\nhip = None\n"})


def tensorflow_dist(site, version, cuda, cudnn):
    make_dist(
        site,
        "tensorflow",
        version,
        {
            "tensorflow/python/platform/build_info.py": f"build_info = {{'cuda_version': '{cuda}', 'cudnn_version': '{cudnn}', 'is_cuda_build': True}}\n"
        },
    )


def loud(facts):
    return [f"{f['severity']}:{f['id']}" for f in engine_findings(facts) if f["severity"] != "info"]


SITUATIONS = [
    # (name, driver, driver CUDA, GPU, compute capability, framework, expected loud findings)
    (
        "Colab T4 with its TensorFlow 2.18 (CUDA 12.5) on driver 550 (12.4)",
        "550.54.15",
        "12.4",
        "Tesla T4",
        "7.5",
        ("tf", "2.18.0", "12.5.1", "9"),
        [],
    ),
    (
        "TensorFlow 2.18 on a CUDA 11.8 driver",
        "520.61.05",
        "11.8",
        "Tesla T4",
        "7.5",
        ("tf", "2.18.0", "12.5.1", "9"),
        ["error:driver-too-old"],
    ),
    ("torch 1.11.0+cu113 on driver 460 (11.2)", "460.32.03", "11.2", "Tesla V100-SXM2-16GB", "7.0", ("torch", "1.11.0+cu113", "11.3"), []),
    ("torch 2.5.1+cu124 on an RTX 4090 (8.9)", "550.54.15", "12.4", "NVIDIA GeForce RTX 4090", "8.9", ("torch", "2.5.1+cu124", "12.4"), []),
    ("torch 2.5.1+cu124 on an L4 (8.9)", "550.54.15", "12.4", "NVIDIA L4", "8.9", ("torch", "2.5.1+cu124", "12.4"), []),
    (
        "torch 2.5.1+cu124 on a GTX 1080 Ti (6.1)",
        "550.54.15",
        "12.4",
        "NVIDIA GeForce GTX 1080 Ti",
        "6.1",
        ("torch", "2.5.1+cu124", "12.4"),
        [],
    ),
    (
        "torch 2.5.1+cu124 on an RTX 5090 (12.0)",
        "570.86.10",
        "12.8",
        "NVIDIA GeForce RTX 5090",
        "12.0",
        ("torch", "2.5.1+cu124", "12.4"),
        ["error:compute-capability-unsupported"],
    ),
    (
        "torch 2.14.1 (cu130) on a P100 (6.0)",
        "580.65.06",
        "13.0",
        "Tesla P100-PCIE-16GB",
        "6.0",
        ("torch", "2.14.1", "13.0"),
        ["error:compute-capability-unsupported"],
    ),
    (
        "torch 2.12.0 (cu130) on driver 550 (12.4)",
        "550.54.15",
        "12.4",
        "Tesla T4",
        "7.5",
        ("torch", "2.12.0", "13.0"),
        ["error:driver-too-old"],
    ),
]


@pytest.mark.parametrize(("name", "driver", "cuda", "gpu", "cc", "framework", "expected"), SITUATIONS, ids=[s[0] for s in SITUATIONS])
def test_situation(tmp_path, fake_bin, name, driver, cuda, gpu, cc, framework, expected):
    fake_driver(fake_bin, driver, cuda, gpu, cc)
    site = tmp_path / "site"
    if framework[0] == "tf":
        tensorflow_dist(site, *framework[1:])
    else:
        torch_dist(site, *framework[1:])
    facts = run_probe(env={"PATH": f"{fake_bin}:/usr/bin:/bin", "PYTHONPATH": str(site), "LD_LIBRARY_PATH": ""})
    assert facts["gpus"][0]["compute_capability"] == cc
    found = loud(facts)
    # The broken ones raise their finding first; the healthy ones nothing loud. TensorFlow without
    # its CUDA libraries installed here also says so (tf-cuda-libs-missing): not what is judged.
    found = [f for f in found if f != "error:tf-cuda-libs-missing"]
    assert found[: len(expected)] == expected and (expected or found == [])
