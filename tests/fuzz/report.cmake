# SPDX-License-Identifier: BSD-2-Clause
# Fuzz harness of a saved report read back (render/saved.c, `nesdoctor show`):
# parsing and checking the JSON, then rendering what was accepted.
nd_fuzz(fuzz_saved_report fuzz_saved_report.c)
