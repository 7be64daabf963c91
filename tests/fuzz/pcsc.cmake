# SPDX-License-Identifier: BSD-2-Clause
# Fuzz harnesses of the pcsc layer: the ATR parser (+ identification) and
# the smartcard_list.txt reader (+ its pattern matcher).
nd_fuzz(fuzz_pcsc_atr fuzz_pcsc_atr.c)
nd_fuzz(fuzz_pcsc_cardlist fuzz_pcsc_cardlist.c)
