"""JupyterLab with this package's extension disabled, as in a frontend that cannot load it: the
report of `%load_ext jupyterlab_gpu_compat` must render from its text/html part alone."""

import os
from pathlib import Path

load_subconfig("jupyter_server_test_config.py")  # noqa: F821 - provided by Jupyter's config loader

c.ServerApp.port = int(os.environ.get("GPU_COMPAT_INLINE_PORT", "8897"))  # noqa: F821
# JupyterLab reads labconfig/page_config.json ("disabledExtensions") from every config path.
os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
    filter(None, [str(Path(__file__).parent / "fixtures" / "extension-disabled"), os.environ.get("JUPYTER_CONFIG_PATH")])
)
