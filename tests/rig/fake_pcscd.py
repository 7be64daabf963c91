#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""fake_pcscd.py MODE [SOCKET]: a stand-in for pcscd on its socket, for the
daemon behaviours a real pcscd in the rig cannot show (Debian's pcscd is built
without polkit). Run it only inside the rig's namespaces: it binds
/run/pcscd/pcscd.comm by default.

Modes, as a libpcsclite client sees them at SCardEstablishContext:
  refuse    accept and close at once, before reading anything: what pcscd's
            polkit check does to a client it does not authorize
            (libpcsclite: SCARD_W_SECURITY_VIOLATION)
  mismatch  answer the protocol version exchange with SCARD_E_SERVICE_STOPPED,
            as pcscd does when client and daemon versions differ
  silent    accept and never answer: a daemon that hangs

The wire format (pcsc-lite winscard_msg.h): the client sends a header
{uint32 size; uint32 command} and a body; CMD_VERSION (0x11) carries
{int32 major; int32 minor; uint32 rv}; the daemon answers with the body only.
Native byte order (the client is on the same machine)."""
import os
import socket
import struct
import sys
import time

CMD_VERSION = 0x11
SCARD_E_SERVICE_STOPPED = 0x8010001E


def serve(mode, path):
    # bind and listen under another name, then rename: the socket appears
    # only when it accepts (the rig waits for the file to exist)
    tmp = path + ".new"
    for p in (path, tmp):
        try:
            os.unlink(p)
        except FileNotFoundError:
            pass
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(tmp)
    os.chmod(tmp, 0o777)
    s.listen(16)
    os.rename(tmp, path)
    held = []
    while True:
        c, _ = s.accept()
        if mode == "refuse":
            c.close()
            continue
        if mode == "silent":
            held.append(c)          # keep it open, say nothing
            continue
        # mismatch: read the version request, answer "service stopped"
        c.settimeout(5)
        try:
            hdr = c.recv(8, socket.MSG_WAITALL)
            size, cmd = struct.unpack("=II", hdr)
            body = c.recv(size, socket.MSG_WAITALL) if size <= 64 else b""
            if cmd == CMD_VERSION and len(body) == 12:
                major, minor, _rv = struct.unpack("=iiI", body)
                c.sendall(struct.pack("=iiI", major + 1, 0, SCARD_E_SERVICE_STOPPED))
            time.sleep(0.2)
        except (OSError, struct.error):
            pass
        c.close()


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("refuse", "mismatch", "silent"):
        sys.exit(__doc__)
    serve(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "/run/pcscd/pcscd.comm")
