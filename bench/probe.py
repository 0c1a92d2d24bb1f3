"""The probe against the frameworks' own reporters, side by side in one run.

    FRAMEWORKS_PYTHON=.venv-frameworks/bin/python .venv/bin/python bench/probe.py

FRAMEWORKS_PYTHON is a Python with torch (CUDA wheel), tensorflow, jax and bitsandbytes installed
(`make test-frameworks` builds one). This script's own Python needs jupyter_client and ipykernel:
the warm probe is measured as the extension runs it, through a real kernel whose sys.path holds
the frameworks' site-packages. Prints medians in ms and the ratios.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[1]
PROBE = ROOT / "python_kernel_probe" / "probe.py"
LOADER = json.loads((ROOT / "src" / "_generated" / "kernelLoader.json").read_text())
FW_PYTHON = os.environ.get("FRAMEWORKS_PYTHON", str(ROOT / ".venv-frameworks" / "bin" / "python"))

REPORTERS = {
    "python -m torch.utils.collect_env": ["-m", "torch.utils.collect_env"],
    "import tensorflow; tf.sysconfig.get_build_info()": [
        "-c",
        "import tensorflow as tf; print(tf.sysconfig.get_build_info())",
    ],
    "jax.print_environment_info()": ["-c", "import jax; jax.print_environment_info()"],
    "python -m bitsandbytes": ["-m", "bitsandbytes"],
}


def median_ms(run, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def process(args, env=None):
    return lambda: subprocess.run([FW_PYTHON, *args], capture_output=True, check=False, env=env, timeout=300)


def site_packages():
    out = subprocess.run(
        [FW_PYTHON, "-c", "import site, json; print(json.dumps(site.getsitepackages()))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def warm_kernel_ms(extra_path, repeat=30):
    """Median round trip of the probe in a warm kernel, sent exactly as the extension sends it."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(extra_path))
    manager, client = start_new_kernel(kernel_name="python3", env=env)
    try:

        def ask(code=""):
            client.execute(code, silent=True, store_history=False, user_expressions={"facts": LOADER["report_expression"]})
            reply = client.get_shell_msg(timeout=60)
            return reply["content"]["user_expressions"]["facts"]

        client.execute(LOADER["loader_code"], silent=True, store_history=False)
        client.get_shell_msg(timeout=60)
        answer = ask()
        facts = (
            json.loads(answer["data"]["application/json"])
            if isinstance(answer["data"]["application/json"], str)
            else answer["data"]["application/json"]
        )
        return median_ms(ask, repeat), len(facts["packages"])
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def fake_distributions(count):
    """A folder of `count` minimal dist-info trees, like a large environment."""
    folder = tempfile.mkdtemp(prefix="gpu-compat-bench-")
    for i in range(count):
        dist = Path(folder) / f"fakepkg{i}-1.{i}.0.dist-info"
        dist.mkdir()
        (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: fakepkg{i}\nVersion: 1.{i}.0\n")
    return folder


def main():
    if not Path(FW_PYTHON).exists():
        sys.exit(f"FRAMEWORKS_PYTHON={FW_PYTHON} does not exist: run `make test-frameworks` first")
    sites = site_packages()
    rows = []
    process_ms = median_ms(process([str(PROBE)]), 7)
    warm_ms, packages = warm_kernel_ms(sites)
    big_ms, big_packages = warm_kernel_ms([*sites, fake_distributions(600 - packages)])
    rows.append((f"probe, warm kernel round trip ({packages} packages)", warm_ms))
    rows.append((f"probe, warm kernel round trip ({big_packages} packages)", big_ms))
    rows.append(("probe, fresh process", process_ms))
    # %load_ext's work in a fresh process: the probe, then report.js under node for the text part.
    notebook_mode = "import jupyterlab_gpu_compat.inline as i, jupyterlab_gpu_compat.probe as p; i.Report(p.collect())._repr_mimebundle_()"
    rows.append(
        ("notebook mode report, fresh process", median_ms(process(["-c", notebook_mode], {**os.environ, "PYTHONPATH": str(ROOT)}), 5))
    )
    reporters = {name: median_ms(process(args), 3) for name, args in REPORTERS.items()}
    fastest = min(reporters.values())
    width = max(len(name) for name in [*REPORTERS, *(r[0] for r in rows)])
    print(f"{'':{width}}  {'median ms':>10}  {'reporter/this':>13}")
    for name, ms in rows:
        print(f"{name:{width}}  {ms:10.1f}  {fastest / ms:12.0f}x")
    for name, ms in reporters.items():
        print(f"{name:{width}}  {ms:10.1f}  {ms / warm_ms:12.0f}x  (vs warm probe)")
    print(
        f"\nfastest reporter / warm probe: {fastest / warm_ms:.0f}x (goal >= 30x); "
        f"warm probe with {big_packages} packages: {big_ms:.1f} ms (goal < 50 ms)"
    )


if __name__ == "__main__":
    main()
