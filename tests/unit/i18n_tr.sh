#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# test_i18n with LANG=tr_TR.UTF-8: once where the locale is not generated
# (the fallback to C.UTF-8 + LANGUAGE), once where it is (generated here
# with localedef into a private folder, when the locale sources exist).
set -u
: "${ND_BUILD:?}"
bin=$ND_BUILD/tests/unit/test_i18n
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
rc=0
echo "# tr_TR.UTF-8 not generated"
env -u LC_ALL -u LC_MESSAGES LANG=tr_TR.UTF-8 LOCPATH="$t/none" "$bin" || rc=1
if localedef -i tr_TR -f UTF-8 "$t/tr_TR.UTF-8" 2>/dev/null; then
	echo "# tr_TR.UTF-8 generated"
	env -u LC_ALL -u LC_MESSAGES LANG=tr_TR.UTF-8 LOCPATH="$t" "$bin" || rc=1
else
	echo "# tr_TR.UTF-8 cannot be generated here (no locale sources): that half skipped"
fi
exit $rc
