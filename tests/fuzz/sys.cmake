# SPDX-License-Identifier: BSD-2-Clause
# Fuzz harness of the sys layer: os-release, pcscd --version, /proc/PID/status,
# scdaemon.conf, /proc/1/cgroup and the version comparison, each held against
# the parsers as they were before they read through nd_cur.
nd_fuzz(fuzz_sys_parse fuzz_sys_parse.c)
nd_fuzz(fuzz_sys_browser fuzz_sys_browser.c)
