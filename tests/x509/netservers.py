#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""netservers.py MODE PORT [ARG] : servers that fail in one way each, for
tests/x509/net.sh, on 127.0.0.1 (inside the test's network namespace).
  silent         accepts connections and never answers
  drip           HTTP 200 with the start of a CRL, then one byte every 0.3 s
  status CODE    answers HTTP CODE with an HTML page (404, 500, 407, 502)
  html           HTTP 200 with an HTML page (a captive portal)
  big            HTTP 200 announcing 600 MB of DER (over ND_X509_MAX_CRL)
  slow FILE      answers with FILE, its second half after 2.5 s
  dns            UDP: reads DNS queries and never answers
Exits by itself after 120 s."""
import select, socket, sys, threading, time

mode, port = sys.argv[1], int(sys.argv[2])
arg = sys.argv[3] if len(sys.argv) > 3 else None
end = time.time() + 120
REASONS = {404: "Not Found", 500: "Internal Server Error", 407: "Proxy Authentication Required",
           502: "Bad Gateway", 503: "Service Unavailable"}

if mode == "dns":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    while time.time() < end:
        if select.select([s], [], [], 0.2)[0]:
            s.recvfrom(4096)
    sys.exit(0)


def read_request(c):
    c.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        k = c.recv(65536)
        if not k:
            return
        data += k
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            n = int(line.split(b":")[1])
            while len(body) < n:
                k = c.recv(65536)
                if not k:
                    break
                body += k


def serve(c):
    try:
        read_request(c)
        if mode == "drip":
            # a CRL's start that stays plausible to a reader checking it
            # as it streams (an algorithm of 65 280 bytes still to come)
            c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 100005\r\n\r\n\x30\x83\x01\x86\xa0"
                      b"\x30\x83\x01\x86\x9b\x02\x01\x01\x30\x82\xff\x00")
            while time.time() < end:
                c.sendall(b"\x00")
                time.sleep(0.3)
        elif mode in ("status", "html"):
            code = int(arg) if mode == "status" else 200
            page = b"<html><body><h1>%d</h1>please log in</body></html>\n" % code
            c.sendall(b"HTTP/1.0 %d %s\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n"
                      % (code, REASONS.get(code, "OK").encode(), len(page)) + page)
        elif mode == "big":
            n = 600 * 1024 * 1024
            c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n\x30\x84" % n
                      + (n - 6).to_bytes(4, "big") + b"\x00" * 4096)
        elif mode == "slow":
            body = open(arg, "rb").read()
            c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body)
                      + body[:len(body) // 2])
            time.sleep(2.5)
            c.sendall(body[len(body) // 2:])
    except OSError:
        pass
    c.close()


ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", port))
ls.listen(16)
held = []
while time.time() < end:
    if not select.select([ls], [], [], 0.2)[0]:
        continue
    c, _ = ls.accept()
    if mode == "silent":
        held.append(c)
        continue
    threading.Thread(target=serve, args=(c,), daemon=True).start()
