"""The exact pre-flight's resolution, measured as the extension runs it: through the real server
extension (POST /gpu-compat/resolve on a running jupyter server), against a local package folder
of real wheels (no network), cold and cached, beside the static check of the same cell.

    .venv/bin/python bench/resolve.py

Prints medians in ms and the ratios. The editor's keystroke check never waits for this: it is the
static check (bench/engine.mjs measures it); the exact answer replaces it when it arrives.
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "test"))
from wheels import make_index  # noqa: E402

from jupyterlab_gpu_compat.resolve import resolve  # noqa: E402

REPEAT = 5
CELLS = {
    "needs-old-tf (drags TensorFlow down)": ["needs-old-tf"],
    "needs-numpy-1 (numpy<2)": ["needs-numpy-1"],
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url, token, body):
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def wait_for(url, token, server):
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit("jupyter server exited")
        try:
            urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": f"token {token}"}), timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("jupyter server did not start")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        index = make_index(Path(tmp) / "wheels")
        port, token = free_port(), "bench"
        # pip reads its configuration from the environment: the server's children and ours alike.
        os.environ.update({"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(index), "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
        env = dict(os.environ)
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter",
                "server",
                "--no-browser",
                "--allow-root",
                f"--port={port}",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={tmp}",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/api/status", token, server)
            print(f"pip's dry run of an install cell, median ms of {REPEAT} runs (a local wheel folder, no network)")
            print(f"{'cell':38} {'cold: pip runs':>15} {'cached: server':>15} {'ratio':>7}")
            for label, args in CELLS.items():
                # Cold: the dry run the handler runs for a new cell (resolve(), as its executor does).
                cold = []
                for _ in range(REPEAT):
                    started = time.perf_counter()
                    answer = resolve(sys.executable, args, 60)
                    cold.append((time.perf_counter() - started) * 1000)
                    assert answer["ok"], answer
                # Cached: the same cell again through the real server (HTTP, auth, its cache).
                first = post(f"{base}/gpu-compat/resolve", token, {"python": sys.executable, "args": args})
                assert first["ok"] and not first.get("cached"), first
                cached = []
                for _ in range(REPEAT):
                    started = time.perf_counter()
                    again = post(f"{base}/gpu-compat/resolve", token, {"python": sys.executable, "args": args})
                    cached.append((time.perf_counter() - started) * 1000)
                    assert again.get("cached"), again
                c, h = statistics.median(cold), statistics.median(cached)
                print(f"{label:38} {c:15.1f} {h:15.2f} {c / h:6.0f}x")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
