# SPDX-License-Identifier: BSD-2-Clause
# The PIV card of the p11 tests (OpenSC's module reads it through pcscd).
nd_rig_card(piv_vcard ${CMAKE_CURRENT_LIST_DIR}/piv_vcard.c)
target_link_libraries(piv_vcard PRIVATE PkgConfig::CRYPTO)
