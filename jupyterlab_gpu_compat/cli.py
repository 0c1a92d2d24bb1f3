"""``jupyterlab-gpu-compat diagnose|preflight|explain|table`` and ``python -m jupyterlab_gpu_compat``.

The engine is TypeScript; the package ships it bundled as ``cli.js`` and runs it with ``node``, so a
container image's CI needs Python and node, nothing from npm. ``diagnose`` without facts probes this
Python first (in-process: the probe imports no framework). Without node, one line says how to get the
diagnosis; ``--version`` and the probe work anyway.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).with_name("cli.js")
NO_NODE = (
    "jupyterlab-gpu-compat: the diagnosis runs on Node.js 18+, which is not on PATH: install it "
    "(e.g. apt-get install nodejs, or conda install nodejs), or run the probe here with "
    "`python -m jupyterlab_gpu_compat.probe > facts.json` and diagnose it where node is: "
    "`npx jupyterlab-gpu-compat diagnose facts.json`."
)


def _needs_probe(argv):
    """``diagnose`` with no facts named: this environment's own."""
    rest = argv[1:]
    return argv[:1] == ["diagnose"] and "--facts" not in rest and not any(a == "-" or not a.startswith("-") for a in rest)


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--version"]:
        from . import __version__

        print(f"jupyterlab-gpu-compat {__version__}")
        return 0
    node = shutil.which("node")
    if not node or not SCRIPT.exists():
        print(NO_NODE if not node else f"jupyterlab-gpu-compat: {SCRIPT} is missing (a build without its bundles)", file=sys.stderr)
        return 2
    stdin = None
    if _needs_probe(argv):
        from .probe import collect

        stdin = json.dumps(collect())
        argv = [argv[0], "-", *argv[1:]]
    return subprocess.run([node, str(SCRIPT), *argv], input=stdin, text=True, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
