"""``python -m jupyterlab_gpu_compat diagnose|preflight|explain|table``: see ``cli.py``."""

import sys

from .cli import main

sys.exit(main())
