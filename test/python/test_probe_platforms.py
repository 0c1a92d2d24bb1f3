"""The probe on the platforms this machine is not: WSL, macOS and native Windows, with
`platform` answering as they do (the probe's own code, run in-process; only the OS answers are
faked). Each must give a whole, schema-shaped report and never raise."""

import platform
import runpy

import pytest
from conftest import PROBE, engine_findings

RELEASES = {
    "wsl": ("Linux", "5.15.167.4-microsoft-standard-WSL2"),
    "macos": ("Darwin", "24.1.0"),
    "windows": ("Windows", "10"),
}


@pytest.fixture
def probe():
    return runpy.run_path(str(PROBE))


@pytest.mark.parametrize("name", RELEASES)
def test_collect_never_raises_and_says_what_it_saw(probe, monkeypatch, name):
    system, release = RELEASES[name]
    monkeypatch.setattr(platform, "system", lambda: system)
    monkeypatch.setattr(platform, "release", lambda: release)
    # No driver tool answers on these pretend machines.
    facts = probe["collect"](environ={"PATH": "/nonexistent"})
    assert facts["platform"]["system"] == system
    assert facts["platform"]["wsl"] is (name == "wsl")
    if name != "wsl":
        # Linux-only facts are not guessed on other systems.
        assert facts["platform"]["distro"] is None and facts["platform"]["container"] is None
    assert facts["gpus"] == [] and facts["driver"]["version"] is None
    assert isinstance(facts["errors"], list)


@pytest.mark.parametrize(("system", "expected"), [("Darwin", []), ("Linux", ["no-gpu-visible"])])
def test_no_gpu_advice_only_where_cuda_exists(probe, monkeypatch, system, expected):
    """The probe's facts of a GPU-less machine whose torch wants CUDA: on Linux that is worth a
    warning; on macOS (Apple GPUs, no CUDA) the engine sends nobody to NVIDIA."""
    monkeypatch.setattr(platform, "system", lambda: system)
    facts = probe["collect"](environ={"PATH": "/nonexistent"})
    facts["devices"]["dev_nodes"], facts["platform"]["container"] = [], None
    facts["frameworks"]["torch"] = {"version": "2.5.1+cu124", "cuda": "12.4", "requires": []}
    assert [f["id"] for f in engine_findings(facts)] == expected
