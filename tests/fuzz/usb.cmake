# SPDX-License-Identifier: BSD-2-Clause
# Fuzz harnesses of the usb layer: CCID class descriptors (with USB string
# descriptors), and Info.plist files of IFD driver bundles.
nd_fuzz(fuzz_ccid fuzz_ccid.c)
nd_fuzz(fuzz_plist fuzz_plist.c)
nd_fuzz(fuzz_usb_policy fuzz_usb_policy.c)
