# Fuzz harnesses of the usb layer: CCID class descriptors (with USB string
# descriptors), and Info.plist files of IFD driver bundles.
nd_fuzz(fuzz_ccid fuzz_ccid.c)
nd_fuzz(fuzz_plist fuzz_plist.c)
