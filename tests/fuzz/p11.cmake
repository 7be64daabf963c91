# SPDX-License-Identifier: BSD-2-Clause
# p11: module-provided strings, ELF headers, loader messages, p11-kit
# configs, reader names; and the probing child's messages end to end.
nd_fuzz(fuzz_p11_parse ${CMAKE_CURRENT_LIST_DIR}/fuzz_p11_parse.c)
nd_fuzz(fuzz_p11_msgs ${CMAKE_CURRENT_LIST_DIR}/fuzz_p11_msgs.c)
