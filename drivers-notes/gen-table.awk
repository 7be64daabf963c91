# gen-table.awk: drivers-notes/devices.tsv (+ the generated udev rules) -> C
#   awk -f drivers-notes/gen-table.awk devices.tsv 70-nesdoctor.rules > usb_known.c
# The known-device table and the rules text that `nesdoctor setup udev`
# writes both come from the one table, so they cannot drift apart.
# check.sh keeps quotes and backslashes out of names; the rules text has
# quotes but no backslashes, so escaping quotes is all a C literal needs.
function cstr(s) {
	gsub(/"/, "\\\"", s)
	return "\"" s "\""
}
BEGIN {
	FS = "\t"
	print "/* Generated from drivers-notes/devices.tsv by drivers-notes/gen-table.awk; do not edit. */"
	print "#include \"usb/known.h\""
	print ""
	print "const struct nd_usb_known nd_usb_known[] = {"
}
FNR == 1 { file++ }
file == 1 && (/^#/ || /^$/) { next }
file == 1 {
	split($1, id, ":")
	printf "\t{ 0x%s, 0x%s, %s, %s, %s, %s, %s, %s },\n", id[1], id[2],
	    ($2 == "token" ? "ND_USB_TOKEN" : "ND_USB_READER"),
	    ($3 == "ccid" ? "true" : "false"), cstr($4), cstr($5),
	    ($6 == "listed" ? "true" : "false"), ($7 == "listed" ? "true" : "false")
	rows++
	next
}
file == 2 { rules[++nrules] = $0 }
END {
	print "};"
	printf "const size_t nd_usb_known_n = %d;\n\n", rows
	print "const char nd_udev_rules_text[] ="
	for (i = 1; i <= nrules; i++)
		printf "\t%s\n", cstr(rules[i] "\\n") 
	print "\t\"\";"
}
