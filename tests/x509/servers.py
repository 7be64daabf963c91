#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""servers.py MODE PORT [SECONDS]: misbehaving servers for the x509 tests,
on 127.0.0.1 (run inside the test's network namespace).
  silent   accepts connections and never answers (a black-holed proxy)
  garbage  answers every request with HTTP 200 and random bytes
Exits by itself after SECONDS (default 120)."""
import os, select, socket, sys, time

mode, port = sys.argv[1], int(sys.argv[2])
end = time.time() + (float(sys.argv[3]) if len(sys.argv) > 3 else 120)
ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", port))
ls.listen(16)
held = []
while time.time() < end:
    r, _, _ = select.select([ls], [], [], 0.2)
    if not r:
        continue
    c, _ = ls.accept()
    if mode == "silent":
        held.append(c)          # keep it open, say nothing
        continue
    c.settimeout(2)
    try:
        c.recv(65536)
        body = os.urandom(512)
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/ocsp-response\r\n"
                  b"Content-Length: %d\r\n\r\n" % len(body) + body)
    except OSError:
        pass
    c.close()
