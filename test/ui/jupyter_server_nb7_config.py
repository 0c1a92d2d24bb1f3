"""Galata's server: no auth, a temporary root dir; a kernel whose environment is made broken for the test
(a fake nvidia-smi on PATH saying CUDA 12.4 with a T4, and fake dist-info for an old bitsandbytes)."""

import os
from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

HERE = Path(__file__).parent
configure_jupyter_server(c)  # noqa: F821 - `c` is the config object Jupyter passes in

c.ServerApp.ip = "127.0.0.1"
c.ServerApp.port = int(os.environ.get("GPU_COMPAT_NB7_PORT", "8898"))
c.ServerApp.allow_root = True
c.JupyterNotebookApp.expose_app_in_browser = True

# Kernels inherit the server's environment: a fake driver and an old bitsandbytes for the tests.
os.environ["PATH"] = f"{HERE / 'fixtures' / 'bin'}{os.pathsep}{os.environ['PATH']}"
os.environ["PYTHONPATH"] = f"{HERE / 'fixtures' / 'site'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"
