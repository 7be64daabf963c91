#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""usb_emu.py FILE.umockdev -- PROGRAM [ARGS...]

Runs PROGRAM in a umockdev testbed made from FILE whose USB device nodes
answer the usbdevfs ioctls libusb sends, so that programs can open the
devices: standard GET_DESCRIPTOR control requests are answered from the
file (device and configuration descriptors, string descriptors from the
manufacturer/product attributes), and a device with a CCID interface (class
0x0B) answers CCID bulk messages as a one-slot reader, so that pcscd with
libccid lists it. Without this, libusb gets LIBUSB_ERROR_IO for anything
past the descriptors umockdev serves from sysfs.

Environment: ND_EMU_ATR=hex puts a card with that ATR in every CCID slot
(default: the slot is empty); ND_EMU_LOG=FILE logs each request there;
ND_EMU_TIMEOUT=seconds bounds PROGRAM (default 60).
Must run under umockdev-wrapper, with the system python (python3-gi,
gir1.2-umockdev-1.0). Written for nesdoctor's tests."""
import errno
import os
import struct
import subprocess
import sys

import gi
gi.require_version("UMockdev", "1.0")
from gi.repository import UMockdev  # noqa: E402

# <linux/usbdevice_fs.h> request numbers on 64-bit Linux (_IOC encoding)
IOC_SUBMITURB = 0x8038550A      # _IOR('U', 10, struct usbdevfs_urb), 56 bytes
IOC_DISCARDURB = 0x0000550B     # _IO('U', 11)
IOC_REAPURB = 0x4008550C        # _IOW('U', 12, void *)
IOC_REAPURBNDELAY = 0x4008550D  # _IOW('U', 13, void *)
IOC_CLAIMINTERFACE = 0x8004550F
IOC_RELEASEINTERFACE = 0x80045510
IOC_SETCONFIGURATION = 0x80045505
IOC_SETINTERFACE = 0x80085504
IOC_CLEAR_HALT = 0x80045515
IOC_GET_CAPABILITIES = 0x8004551A
IOC_GETDRIVER = 0x41045508
IOC_IOCTL = 0xC0105512
IOC_RESET = 0x00005514
IOC_ACCEPTED = {IOC_CLAIMINTERFACE, IOC_RELEASEINTERFACE, IOC_SETCONFIGURATION,
                IOC_SETINTERFACE, IOC_CLEAR_HALT, IOC_RESET}

# struct usbdevfs_urb offsets (64-bit)
URB_LEN, OFF_STATUS, OFF_BUFFER, OFF_BUFLEN, OFF_ACTUAL = 56, 4, 16, 24, 28
T_INTERRUPT, T_CONTROL, T_BULK = 1, 2, 3


def log(msg):
    path = os.environ.get("ND_EMU_LOG")
    if path:
        with open(path, "a") as f:
            f.write(msg + "\n")


def read_devices(path):
    """{devnode: {"descriptors": bytes, "strings": [manufacturer, product]}}"""
    devices, current = {}, None
    with open(path) as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("P: "):
                current = {"attrs": {}, "node": None}
            elif current is None:
                continue
            elif line.startswith("E: DEVNAME="):
                current["node"] = line.split("=", 1)[1]
                devices[current["node"]] = current
            elif line.startswith("A: ") or line.startswith("H: "):
                key, _, value = line[3:].partition("=")
                current["attrs"][key] = bytes.fromhex(value) if line[0] == "H" else value
    return {node: d for node, d in devices.items() if "descriptors" in d["attrs"]}


def has_ccid_interface(desc):
    pos = 18                                   # after the device descriptor
    while pos + 6 <= len(desc) and desc[pos] >= 2:
        if desc[pos + 1] == 4 and desc[pos + 5] == 0x0B:
            return True
        pos += desc[pos]
    return False


class Slot:
    """One CCID slot (CCID rev 1.1 section 6), card optional."""

    def __init__(self, atr):
        self.atr, self.powered = atr, False

    def icc_status(self):
        if not self.atr:
            return 2                           # no ICC present
        return 0 if self.powered else 1        # active / present, inactive

    def answer(self, msg):
        if len(msg) < 10:
            return None
        kind, length, slot, seq = msg[0], struct.unpack_from("<I", msg, 1)[0], msg[5], msg[6]
        payload = msg[10:10 + length]

        def reply(rtype, status=None, error=0, extra=0, data=b""):
            st = self.icc_status() if status is None else status
            return struct.pack("<BIBBBBB", rtype, len(data), slot, seq, st, error, extra) + data

        failed = 0x40
        if kind == 0x62:                       # PC_to_RDR_IccPowerOn
            if not self.atr:
                return reply(0x80, status=failed | 2, error=0xFE)   # ICC_MUTE
            self.powered = True
            return reply(0x80, data=self.atr)
        if kind == 0x63:                       # PC_to_RDR_IccPowerOff
            self.powered = False
            return reply(0x81)
        if kind == 0x65:                       # PC_to_RDR_GetSlotStatus
            return reply(0x81)
        if kind == 0x6F:                       # PC_to_RDR_XfrBlock, short APDU level
            if not self.powered:
                return reply(0x80, status=failed | self.icc_status(), error=0xFE)
            apdu = bytes(payload)
            rsp = b"\x90\x00" if len(apdu) >= 4 and apdu[1] == 0xA4 else b"\x6D\x00"
            log("xfr %s -> %s" % (apdu.hex(), rsp.hex()))
            return reply(0x80, data=rsp)
        if kind in (0x61, 0x6C, 0x6D):         # Set/Get/ResetParameters: T=1
            return reply(0x82, extra=1, data=bytes([0x11, 0x10, 0x00, 0x45, 0x00, 0xFE, 0x00]))
        if kind == 0x73:                       # SetDataRateAndClockFrequency
            return reply(0x84, data=struct.pack("<II", 4000, 10752))
        # Escape and the rest: "command not supported" (bError 0 = bad bMessageType)
        return reply(0x83 if kind == 0x6B else 0x81, status=failed | self.icc_status(), error=0)


class Urb:
    def __init__(self, data, buf, kind, ep, size):
        self.data, self.buf, self.kind, self.ep, self.size = data, buf, kind, ep, size
        self.done = False

    def complete(self, status, payload=b"", at=0, actual=None):
        if payload:
            self.buf.update(at, payload)
        self.data.update(OFF_STATUS, struct.pack("<i", status))
        self.data.update(OFF_ACTUAL, struct.pack("<i", len(payload) if actual is None else actual))
        self.done = True


class Device:
    def __init__(self, node, info, atr):
        self.node, self.desc = node, info["attrs"]["descriptors"]
        a = info["attrs"]
        self.strings = {self.desc[14]: a.get("manufacturer", ""), self.desc[15]: a.get("product", "")}
        self.slot = Slot(atr) if has_ccid_interface(self.desc) else None
        self.urbs, self.replies = [], []

    def control(self, setup):
        req_type, request, value, index, length = struct.unpack("<BBHHH", setup)
        if req_type != 0x80 or request != 6:  # only standard GET_DESCRIPTOR, device to host
            return None
        dtype, didx = value >> 8, value & 0xFF
        if dtype == 1:
            return self.desc[:18]
        if dtype == 2:
            total = struct.unpack_from("<H", self.desc, 20)[0]
            return self.desc[18:18 + total]
        if dtype == 3 and didx == 0:
            return bytes([4, 3]) + struct.pack("<H", 0x0409)
        if dtype == 3 and self.strings.get(didx):
            text = self.strings[didx].encode("utf-16-le")
            return bytes([2 + len(text), 3]) + text
        return None

    def deliver(self):
        for urb in self.urbs:
            if not self.replies:
                break
            if not urb.done and urb.kind == T_BULK and urb.ep & 0x80:
                urb.complete(0, self.replies.pop(0)[:urb.size])

    def submit(self, arg):
        data = arg.resolve(0, URB_LEN)
        raw = bytes(data.retrieve())
        kind, ep = raw[0], raw[1]
        size = struct.unpack_from("<i", raw, OFF_BUFLEN)[0]
        buf = data.resolve(OFF_BUFFER, size) if size > 0 else None
        urb = Urb(data, buf, kind, ep, size)
        if kind == T_CONTROL and size >= 8:
            setup = bytes(buf.retrieve())[:8]
            answer = self.control(setup)
            log("%s control %s -> %s" % (self.node, setup.hex(), "stall" if answer is None else len(answer)))
            if answer is None:
                urb.complete(-errno.EPIPE)
            else:
                answer = answer[:struct.unpack_from("<H", setup, 6)[0]]
                urb.complete(0, answer, at=8)
        elif self.slot and kind == T_BULK and not ep & 0x80:
            reply = self.slot.answer(bytes(buf.retrieve()))
            if reply:
                self.replies.append(reply)
            urb.complete(0, actual=size)
        elif self.slot and (kind == T_INTERRUPT or kind == T_BULK):
            pass                               # bulk IN waits for a reply; interrupt IN never comes
        else:
            return False
        self.urbs.append(urb)
        self.deliver()
        return True

    def reap(self, arg):
        for urb in self.urbs:
            if urb.done:
                self.urbs.remove(urb)
                arg.resolve(0, 8).set_ptr(0, urb.data)
                return True
        return False

    def discard(self, arg):
        addr = struct.unpack("<Q", bytes(arg.retrieve())[:8])[0]
        for urb in self.urbs:
            if not urb.done and urb.data.client_addr == addr:
                urb.complete(-errno.ENOENT)    # cancelled: reaped with this status
                return True
        return False

    def on_ioctl(self, handler, client):
        req, arg = client.get_request(), client.get_arg()
        ok, err = True, 0
        if req == IOC_GET_CAPABILITIES:
            arg.resolve(0, 4).update(0, struct.pack("<I", 0))
        elif req in IOC_ACCEPTED:
            pass
        elif req in (IOC_GETDRIVER, IOC_IOCTL):
            ok, err = False, errno.ENODATA     # no kernel driver on the interface
        elif req == IOC_SUBMITURB:
            ok, err = self.submit(arg), errno.EINVAL
        elif req in (IOC_REAPURB, IOC_REAPURBNDELAY):
            ok, err = self.reap(arg), errno.EAGAIN
        elif req == IOC_DISCARDURB:
            ok, err = self.discard(arg), errno.EINVAL
        else:
            ok, err = False, errno.ENOTTY
        client.complete(0 if ok else -1, 0 if ok else err)
        return True


def main():
    if "--" not in sys.argv[2:3] or len(sys.argv) < 4:
        sys.exit(__doc__)
    if "umockdev" not in os.environ.get("LD_PRELOAD", ""):
        sys.exit("usb_emu.py: run me under umockdev-wrapper")
    path, program = sys.argv[1], sys.argv[3:]
    atr = bytes.fromhex(os.environ.get("ND_EMU_ATR", "").replace(" ", ""))
    testbed = UMockdev.Testbed.new()
    testbed.add_from_file(path)
    keep = []
    for node, info in read_devices(path).items():
        dev = Device(node, info, atr)
        handler = UMockdev.IoctlBase()
        handler.connect("handle-ioctl", dev.on_ioctl)
        testbed.attach_ioctl(node, handler)
        keep.append((handler, dev))
    env = dict(os.environ, UMOCKDEV_DIR=testbed.get_root_dir())
    try:
        code = subprocess.run(program, env=env,
                              timeout=float(os.environ.get("ND_EMU_TIMEOUT", "60"))).returncode
    except subprocess.TimeoutExpired:
        code = 124
    sys.exit(code)


main()
