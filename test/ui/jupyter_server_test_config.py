"""Galata's server: no auth, a temporary root dir; a kernel whose environment is made broken for the test
(a fake nvidia-smi on PATH saying CUDA 12.4 with a T4, and fake dist-info for an old bitsandbytes), and
a kernel "healthy" on the same fake T4 with only the fake torch 2.5.1+cu124, which runs there."""

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

HERE = Path(__file__).parent
configure_jupyter_server(c)  # noqa: F821 - `c` is the config object Jupyter passes in

c.ServerApp.ip = "127.0.0.1"
c.ServerApp.port = int(os.environ.get("GPU_COMPAT_TEST_PORT", "8899"))
c.ServerApp.allow_root = True
c.LabApp.expose_app_in_browser = True

# Kernels inherit the server's environment: a fake driver and an old bitsandbytes for the tests.
os.environ["PATH"] = f"{HERE / 'fixtures' / 'bin'}{os.pathsep}{os.environ['PATH']}"
os.environ["PYTHONPATH"] = f"{HERE / 'fixtures' / 'site'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"

# The exact pre-flight resolves with the kernel's real pip against a local folder of wheels, never
# the network (test/wheels.py): a package there drags TensorFlow down to 2.15.0.
sys.path.insert(0, str(HERE.parent))
from wheels import make_index  # noqa: E402

os.environ["PIP_NO_INDEX"] = "1"
os.environ["PIP_FIND_LINKS"] = str(make_index(Path(tempfile.mkdtemp()) / "wheels"))
os.environ["PIP_CONFIG_FILE"] = os.devnull
os.environ["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"

# The healthy kernel: the same driver, only torch 2.5.1+cu124 (CUDA 12.4 on a CUDA 12.4 driver).
healthy = Path(tempfile.mkdtemp())
for name in ("torch", "torch-2.5.1+cu124.dist-info"):
    shutil.copytree(HERE / "fixtures" / "site" / name, healthy / "site" / name)
spec = healthy / "kernels" / "healthy"
spec.mkdir(parents=True)
spec.joinpath("kernel.json").write_text(
    json.dumps(
        {
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (healthy GPU stack)",
            "language": "python",
            "env": {"PYTHONPATH": str(healthy / "site")},
        }
    )
)
os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(healthy), os.environ.get("JUPYTER_PATH")]))
