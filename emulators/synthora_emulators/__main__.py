"""`python -m synthora_emulators`: serve every emulator on a loopback port.

SYNTHORA_EMULATOR_PORT   port (default 8090); always bound to 127.0.0.1
SYNTHORA_EMULATOR_CLOCK_FACTOR   emulated seconds per real second (default 1)
"""

from __future__ import annotations

import logging
import os
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server

from synthora_emulators.app import create_app

DEFAULT_PORT = 8090


class RequestHandler(WSGIRequestHandler):
    """Keeps headers whose names contain underscores.

    werkzeug drops them (they are ambiguous with dashes in WSGI), but Meta's upload
    endpoints are driven by exactly such headers: `file_offset`, `file_size`, `file_url`.
    """

    def make_environ(self) -> Any:
        environ = super().make_environ()
        for key, value in self.headers.items():
            if "_" in key:
                environ["HTTP_" + key.upper()] = value
        return environ


def main() -> None:
    port = int(os.environ.get("SYNTHORA_EMULATOR_PORT", DEFAULT_PORT))
    factor = float(os.environ.get("SYNTHORA_EMULATOR_CLOCK_FACTOR", "1"))
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    app = create_app(clock_factor=factor)
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=RequestHandler)
    logging.getLogger("synthora_emulators").warning(
        '{"severity": "NOTICE", "message": "emulators listening", "port": %d}', port
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:  # the gateway stops us with SIGINT
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
