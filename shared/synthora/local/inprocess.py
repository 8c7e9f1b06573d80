"""The embedded queue delivering to the function apps in this process, with no server.

The CLI, the video benchmark and the pipeline tests run generations this way:
the same task functions, the same queue semantics, an in-process WSGI transport.
"""

from __future__ import annotations

import httpx

from synthora.adapters.sqlite_tasks import QueueDispatcher, SqliteTaskQueue
from synthora.local.gateway import Gateway
from synthora.platform import Platform

BASE_URL = "http://in-process"


def in_process_dispatcher(platform: Platform) -> QueueDispatcher:
    """A dispatcher whose deliveries reach every function of the manifest in this process."""
    queue = platform.tasks
    if not isinstance(queue, SqliteTaskQueue):
        raise TypeError("in-process delivery needs the embedded queue")
    gateway = Gateway(settings=platform.settings, manifest=platform.manifest)
    client = httpx.Client(transport=httpx.WSGITransport(app=gateway), base_url=BASE_URL)
    return QueueDispatcher(
        queue=queue,
        url_for=lambda fn: f"{BASE_URL}/_fn/{fn}",
        internal_token=platform.settings.secret("internal_token"),
        client=client,
    )
