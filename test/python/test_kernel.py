"""The probe inside a real ipykernel, sent the way the extension sends it."""

import json
import time
from pathlib import Path

import pytest
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[2]
SOURCE = (ROOT / "python_kernel_probe" / "probe.py").read_text()
NAME = "_jupyterlab_gpu_compat_probe_test"
# The same shape as LOADER_CODE in src/kernel/probeRunner.ts: one expression, no names left behind.
LOADER = (
    f"(lambda sys, types, src: sys.modules.setdefault('{NAME}', "
    f"(lambda m: (m.__dict__.update(__name__='{NAME}'), exec(compile(src, '<probe>', 'exec'), m.__dict__), "
    f"m.__dict__.update(_SOURCE=src), m)[-1])(types.ModuleType('{NAME}'))))"
    f"(__import__('sys'), __import__('types'), {json.dumps(SOURCE)})"
)
EXPRESSION = f"__import__('sys').modules['{NAME}'].report()"
FRAMEWORKS = ("torch", "tensorflow", "jax", "jaxlib", "bitsandbytes")


@pytest.fixture(scope="module")
def kernel():
    manager, client = start_new_kernel(kernel_name="python3")
    yield client
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def execute(client, code, expressions):
    msg_id = client.execute(code, silent=True, store_history=False, user_expressions=expressions)
    reply = client.get_shell_msg(timeout=30)
    assert reply["parent_header"]["msg_id"] == msg_id
    outputs = []
    while True:
        msg = client.get_iopub_msg(timeout=10)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        if msg["msg_type"] in ("stream", "display_data", "execute_result", "error"):
            outputs.append(msg)
    return reply["content"], outputs


def user_names(client):
    content, _ = execute(client, "", {"names": "sorted(k for k in globals() if not k.startswith('_'))"})
    return content["user_expressions"]["names"]["data"]["text/plain"]


def test_first_call_loads_then_reports_without_output_or_leftovers(kernel):
    before = user_names(kernel)
    content, _ = execute(kernel, "", {"facts": EXPRESSION})
    assert content["user_expressions"]["facts"]["ename"] == "KeyError"
    content, outputs = execute(kernel, LOADER, {"facts": EXPRESSION})
    facts = content["user_expressions"]["facts"]["data"]["application/json"]
    assert facts["schema_version"] == 1 and facts["errors"] == []
    assert outputs == []  # nothing printed into the notebook
    assert user_names(kernel) == before
    modules, _ = execute(kernel, "", {"m": f"[m for m in {FRAMEWORKS!r} if m in __import__('sys').modules]"})
    assert modules["user_expressions"]["m"]["data"]["text/plain"] == "[]"


def test_warm_round_trip_is_fast(kernel):
    execute(kernel, LOADER, {"facts": EXPRESSION})
    times = []
    for _ in range(5):
        started = time.perf_counter()
        content, _ = execute(kernel, "", {"facts": EXPRESSION})
        times.append((time.perf_counter() - started) * 1000)
        assert "application/json" in content["user_expressions"]["facts"]["data"]
    times.sort()
    print(f"warm probe round trip: median {times[2]:.1f} ms, min {times[0]:.1f} ms")
    # The 50 ms target lives in bench/; this only guards against an order-of-magnitude regression.
    assert times[2] < 1000
