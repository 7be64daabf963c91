#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""mkdev.py OUT.umockdev NAME[@driver]...: write a umockdev device description
(the text format umockdev-record produces) holding the named USB devices, one
per port 1-2, 1-3, ... of bus 1. The descriptors are built field by field
from the USB 2.0 and CCID 1.1 layouts, so that their lengths are right.

  acr39u       072f:b100  ACS ACR39U, CCID (libccid and acsccid list it)
  acr39t       072f:b102  ACS ACR39T, CCID (only acsccid lists it)
  acr38u       072f:9000  ACS ACR38U, the old one: vendor-specific interface
  acr38u-ccid  072f:90cc  ACS ACR38U-CCID, CCID
  generic      1209:0001  a CCID reader in no table (pid.codes test id), with strings
  badccid      1209:0002  a CCID interface whose class descriptor is 32 bytes (must be 54)
  keyboard     046d:c31c  a USB keyboard: not a smart-card device
NAME@DRIVER binds the card interface to a kernel driver (sysfs "driver" link),
e.g. acr39u@usbfs: a program has claimed it through libusb.
NAME:unauth is a device the kernel does not trust (sysfs authorized 0): as the
kernel leaves it, unconfigured (bConfigurationValue empty), without interfaces.
Every device has a serial (sysfs "serial"): SN-<port>."""
import struct
import sys

def device_desc(vid, pid, imanuf, iproduct, bcd_usb=0x0200, mps0=64):
    # bLength, bDescriptorType, bcdUSB, class, subclass, protocol, bMaxPacketSize0,
    # idVendor, idProduct, bcdDevice, iManufacturer, iProduct, iSerialNumber, bNumConfigurations
    return struct.pack("<BBHBBBBHHHBBBB", 18, 1, bcd_usb, 0, 0, 0, mps0,
                       vid, pid, 0x0100, imanuf, iproduct, 0, 1)

def interface(num, cls, n_ep):
    return struct.pack("<BBBBBBBBB", 9, 4, num, 0, n_ep, cls, 0, 0, 0)

def endpoint(addr, attributes, mps, interval=0):
    return struct.pack("<BBBBHB", 7, 5, addr, attributes, mps, interval)

def ccid_class(length=54, protocols=0x3, features=0x000204BE, max_ifsd=254, max_msg=271):
    body = struct.pack("<HBBIIIBIIBIIIIIBBHBB",
                       0x0110,            # bcdCCID 1.10
                       0,                 # bMaxSlotIndex
                       0x07,              # bVoltageSupport: 5 V, 3 V, 1.8 V
                       protocols,         # dwProtocols: T=0 | T=1
                       4000, 4000, 0,     # clocks (kHz), bNumClockSupported
                       10752, 344086, 0,  # data rates (bps), bNumDataRatesSupported
                       max_ifsd, 0, 0,    # dwMaxIFSD, dwSynchProtocols, dwMechanical
                       features, max_msg,
                       0xFF, 0xFF,        # bClassGetResponse, bClassEnvelope
                       0, 0, 1)           # wLcdLayout, bPINSupport, bMaxCCIDBusySlots
    full = struct.pack("<BB", 54, 0x21) + body
    assert len(full) == 54
    return struct.pack("<B", length) + full[1:length]

def config(ifaces, n_if=1):
    return struct.pack("<BBHBBBBB", 9, 2, 9 + len(ifaces), n_if, 1, 0, 0x80, 50) + ifaces

def ccid_reader(vid, pid, ccid=None):
    ccid = ccid if ccid is not None else ccid_class()
    return (device_desc(vid, pid, 1, 2),
            config(interface(0, 0x0B, 3) + ccid + endpoint(0x81, 3, 8, 16) +
                   endpoint(0x02, 2, 64) + endpoint(0x83, 2, 64)), 0x0B, 3)

DEVICES = {
    "acr39u": (0x072F, 0xB100, "ACS", "ACR39U ICC Reader", lambda: ccid_reader(0x072F, 0xB100)),
    "acr39t": (0x072F, 0xB102, "ACS", "ACR39T ICC Reader", lambda: ccid_reader(0x072F, 0xB102)),
    "acr38u-ccid": (0x072F, 0x90CC, "ACS", "ACR38U-CCID", lambda: ccid_reader(0x072F, 0x90CC)),
    "generic": (0x1209, 0x0001, "Test Vendor", "Test CCID Reader", lambda: ccid_reader(0x1209, 0x0001)),
    "badccid": (0x1209, 0x0002, "Test Vendor", "Broken CCID Reader",
                lambda: ccid_reader(0x1209, 0x0002, ccid_class(length=32))),
    "acr38u": (0x072F, 0x9000, "ACS", "ACR38U", lambda: (
        device_desc(0x072F, 0x9000, 1, 2, bcd_usb=0x0110, mps0=8),
        config(interface(0, 0xFF, 3) + endpoint(0x81, 3, 8, 16) + endpoint(0x02, 2, 64) +
               endpoint(0x82, 2, 64)), 0xFF, 3)),
    "keyboard": (0x046D, 0xC31C, "Logitech", "USB Keyboard", lambda: (
        device_desc(0x046D, 0xC31C, 1, 2, bcd_usb=0x0110, mps0=8),
        config(interface(0, 0x03, 1) + bytes([9, 0x21, 0x10, 0x01, 0, 1, 0x22, 0x41, 0]) +
               endpoint(0x81, 3, 8, 10)), 0x03, 1)),
}

def node(port, devnum, name, driver, unauth=False):
    vid, pid, manuf, product, build = DEVICES[name]
    dd, cfg, ifclass, n_ep = build()
    hexdesc = (dd + cfg).hex().upper()
    sysname = "1-%d" % port
    path = "/devices/pci0000:00/0000:00:14.0/usb1/" + sysname
    out = [
        "P: " + path,
        "N: bus/usb/001/%03d=%s" % (devnum, hexdesc),
        "E: DEVNAME=/dev/bus/usb/001/%03d" % devnum,
        "E: DEVTYPE=usb_device",
        "E: DRIVER=usb",
        "E: BUSNUM=001",
        "E: DEVNUM=%03d" % devnum,
        "E: MAJOR=189",
        "E: MINOR=%d" % (devnum - 1),
        "E: PRODUCT=%x/%x/100" % (vid, pid),
        "E: TYPE=0/0/0",
        "E: SUBSYSTEM=usb",
        "E: ID_VENDOR_ID=%04x" % vid,
        "E: ID_MODEL_ID=%04x" % pid,
        "E: ID_USB_INTERFACES=:%02x0000:" % ifclass,
        "A: idVendor=%04x" % vid,
        "A: idProduct=%04x" % pid,
        "A: bcdDevice=0100",
        "A: bDeviceClass=00",
        "A: bNumConfigurations=1",
        "A: bConfigurationValue=" + ("" if unauth else "1"),
        "A: authorized=" + ("0" if unauth else "1"),
        "A: serial=SN-%d" % port,
        "A: busnum=1",
        "A: devnum=%d" % devnum,
        "A: speed=12",
        "A: manufacturer=" + manuf,
        "A: product=" + product,
        "A: dev=189:%d" % (devnum - 1),
        "H: descriptors=" + hexdesc,
        "",
    ]
    if unauth:
        return "\n".join(out) + "\n\n"
    out += [
        "P: %s/%s:1.0" % (path, sysname),
        "E: DEVTYPE=usb_interface",
        "E: INTERFACE=%d/0/0" % ifclass,
        "E: MODALIAS=usb:v%04Xp%04Xd0100dc00dsc00dp00ic%02Xisc00ip00in00" % (vid, pid, ifclass),
        "E: PRODUCT=%x/%x/100" % (vid, pid),
        "E: TYPE=0/0/0",
        "E: SUBSYSTEM=usb",
        "A: bAlternateSetting= 0",
        "A: bInterfaceClass=%02x" % ifclass,
        "A: bInterfaceNumber=00",
        "A: bInterfaceProtocol=00",
        "A: bInterfaceSubClass=00",
        "A: bNumEndpoints=%02x" % n_ep,
    ]
    if driver:
        # a dangling link is enough: nesdoctor reads the link's last part
        out.append("L: driver=../../../../../../../bus/usb/drivers/" + driver)
    return "\n".join(out) + "\n\n"

def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    text = ""
    for i, arg in enumerate(sys.argv[2:]):
        arg, _, flag = arg.partition(":")
        name, _, driver = arg.partition("@")
        if name not in DEVICES or flag not in ("", "unauth"):
            sys.exit("unknown device " + name)
        text += node(i + 2, i + 2, name, driver, flag == "unauth")
    with open(sys.argv[1], "w") as f:
        f.write(text)

main()
