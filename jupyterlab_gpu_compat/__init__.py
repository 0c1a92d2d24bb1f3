"""jupyterlab-gpu-compat: why is this notebook's GPU stack broken, and which cell fixes it."""

try:
    from ._version import __version__
except ImportError:  # running from a source tree that was never built
    __version__ = "dev"

__all__ = ["__version__"]


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "jupyterlab-gpu-compat"}]
