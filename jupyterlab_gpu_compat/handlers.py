"""The server extension: ``POST /gpu-compat/resolve`` runs the exact pre-flight's pip dry run.

On the user's own authenticated server (an ``APIHandler``: login and XSRF checked by
jupyter_server). The browser sends the kernel's interpreter (from the probe's facts), the
installer (pip, or uv for a ``uv pip`` cell) and the install command's arguments; the answer is
pip's installation report (uv's plan in the same shape), which the extension's engine judges. One resolution per interpreter and arguments runs at a time; answers are kept for a while,
so retyping a cell does not run pip again.
"""

import asyncio
import json
import os
import time
from typing import ClassVar

from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from .resolve import resolve

CACHE_SECONDS = 300
MAX_ARGS = 200


class ResolveHandler(APIHandler):
    # Shared by the handler's instances (one per request) for the server's lifetime.
    cache: ClassVar[dict] = {}
    locks: ClassVar[dict] = {}

    @web.authenticated
    async def post(self):
        try:
            body = json.loads(self.request.body or b"{}")
            python, args = body["python"], body["args"]
            timeout = float(body.get("timeout", 20))
            tool = body.get("tool", "pip")
        except (ValueError, KeyError, TypeError):
            raise web.HTTPError(400, "expected JSON: {python, args, timeout?}") from None
        if not isinstance(python, str) or not os.path.isabs(python) or not os.path.isfile(python):
            raise web.HTTPError(400, "python must be the absolute path of an interpreter")
        if not isinstance(args, list) or len(args) > MAX_ARGS or not all(isinstance(a, str) for a in args):
            raise web.HTTPError(400, "args must be a list of strings")
        if tool not in ("pip", "uv"):
            raise web.HTTPError(400, "tool must be pip or uv")
        key = (tool, python, tuple(args))
        lock = self.locks.setdefault(key, asyncio.Lock())
        async with lock:
            cached = self.cache.get(key)
            if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
                answer = {**cached[1], "cached": True}
            else:
                answer = await asyncio.get_running_loop().run_in_executor(None, resolve, python, args, min(timeout, 120), tool)
                if answer["ok"]:
                    self.cache[key] = (time.monotonic(), answer)
        self.finish(json.dumps(answer))


def setup_handlers(web_app):
    base = web_app.settings["base_url"]
    web_app.add_handlers(".*$", [(url_path_join(base, "gpu-compat", "resolve"), ResolveHandler)])
