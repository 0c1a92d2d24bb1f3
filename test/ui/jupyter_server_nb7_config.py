"""Notebook 7's test server: the JupyterLab test server's settings on another port."""

import os

load_subconfig("jupyter_server_test_config.py")  # noqa: F821 - provided by Jupyter's config loader

c.ServerApp.port = int(os.environ.get("GPU_COMPAT_NB7_PORT", "8898"))  # noqa: F821
c.JupyterNotebookApp.expose_app_in_browser = True  # noqa: F821
