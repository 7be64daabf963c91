# SPDX-License-Identifier: BSD-2-Clause
# Fuzz harness of the sys layer: os-release, pcscd --version and pcscd's
# program file, /proc/PID/status, scdaemon.conf, /proc/1/cgroup, systemctl
# show, loginctl show-session and the version comparison, each held against
# a plain reference reader.
nd_fuzz(fuzz_sys_parse fuzz_sys_parse.c)
nd_fuzz(fuzz_sys_browser fuzz_sys_browser.c)
