"""The probe and the notebook mode run on Python 3.9 to 3.13. Only 3.11 is installed here, so:
vermin reads the code for anything newer than 3.9, and the imports are checked against the
modules 3.12 and 3.13 removed."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The package's probe.py is a generated copy of python_kernel_probe/probe.py.
FILES = [ROOT / "python_kernel_probe" / "probe.py", *(ROOT / "jupyterlab_gpu_compat" / n for n in ("__init__.py", "inline.py"))]
# PEP 594 (removed in 3.13), distutils (PEP 632) and imp, asynchat, asyncore, smtpd (removed in 3.12).
REMOVED = {
    *"aifc audioop cgi cgitb chunk crypt imghdr mailcap msilib nis nntplib ossaudiodev pipes sndhdr spwd sunau telnetlib uu xdrlib lib2to3".split(),
    *"distutils imp asynchat asyncore smtpd".split(),
}


def test_nothing_needs_more_than_python_3_9():
    pytest.importorskip("vermin")
    vermin = Path(sys.executable).with_name("vermin")
    out = subprocess.run(
        [str(vermin), "--no-tips", "--target=3.9-", "--violations", *map(str, FILES)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_no_module_that_python_3_12_or_3_13_removed():
    for path in FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            assert not {n.split(".")[0] for n in names} & REMOVED, f"{path.name}: {names}"
