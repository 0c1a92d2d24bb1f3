#!/usr/bin/env bash
# The package users get: the sdist and the wheel built from a clean tree (the committed one), the
# wheel installed into a fresh venv with JupyterLab and Notebook 7, the extension enabled and OK, the
# probe and the command line run from the installed package, and one browser smoke test against it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

git -C "$root" archive --format=tar --prefix=src/ HEAD | tar -x -C "$work"
"$root/.venv/bin/python" -m build --outdir "$work/dist" "$work/src" >"$work/build.log" 2>&1 ||
  { tail -40 "$work/build.log"; exit 1; }
wheel="$(ls "$work"/dist/*.whl)"
echo "built: $(ls "$work"/dist | tr '\n' ' ')"
echo "wheel size: $(du -k "$wheel" | cut -f1) KiB"

# The wheel holds only what it needs: the package, the labextension, install.json; no sources or tests.
"$root/.venv/bin/python" - "$wheel" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
unexpected = [n for n in names if n.startswith(("src/", "test/", "node_modules/", "lib/")) or "/test/" in n]
assert not unexpected, unexpected
for needed in ("jupyterlab_gpu_compat/cli.js", "jupyterlab_gpu_compat/report.js", "jupyterlab_gpu_compat/probe.py"):
    assert needed in names, needed
assert any(n.endswith("labextensions/jupyterlab-gpu-compat/install.json") for n in names)
print(f"wheel contents: {len(names)} files, none from src/ or test/")
PY

"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install -q "$wheel" "jupyterlab>=4,<5" notebook
listing="$("$work/venv/bin/jupyter" labextension list 2>&1)"
echo "$listing" | grep -E "jupyterlab-gpu-compat v[0-9.]+ .*enabled.*OK" ||
  { echo "$listing"; echo "the installed labextension is not enabled and OK"; exit 1; }
"$work/venv/bin/python" -m jupyterlab_gpu_compat.probe | "$work/venv/bin/python" -c 'import json, sys; facts = json.load(sys.stdin); assert facts["schema_version"] == 1'
"$work/venv/bin/jupyterlab-gpu-compat" --version
"$work/venv/bin/python" -m jupyterlab_gpu_compat diagnose --json >/dev/null || [ $? -eq 1 ]

cd "$root/test/ui" && WHEEL_VENV="$work/venv" CI=1 npx playwright test -c playwright.wheel.config.js
