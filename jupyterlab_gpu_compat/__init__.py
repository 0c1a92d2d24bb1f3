"""jupyterlab-gpu-compat: why is this notebook's GPU stack broken, and which cell fixes it."""

try:
    from ._version import __version__
except ImportError:  # running from a source tree that was never built
    __version__ = "dev"

__all__ = ["__version__", "check"]


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "jupyterlab-gpu-compat"}]


def _jupyter_server_extension_points():
    return [{"module": "jupyterlab_gpu_compat"}]


def _load_jupyter_server_extension(server_app):
    """The exact pre-flight's endpoint, POST /gpu-compat/resolve (see handlers.py)."""
    from .handlers import setup_handlers

    setup_handlers(server_app.web_app)


# The notebook mode is imported on use: the Jupyter server imports this package for the paths above.
def check():
    """Probe this kernel and display the GPU compatibility report (any frontend)."""
    from .inline import check as _check

    _check()


def load_ipython_extension(shell):
    """``%load_ext jupyterlab_gpu_compat``: the report now, and install cells checked before they run."""
    from .inline import load_ipython_extension as _load

    _load(shell)


def unload_ipython_extension(shell):
    from .inline import unload_ipython_extension as _unload

    _unload(shell)
