# genrules.awk: drivers-notes/devices.tsv -> 70-nesdoctor.rules
#   awk -F '\t' -f udev/genrules.awk drivers-notes/devices.tsv > 70-nesdoctor.rules
# The uaccess tag makes systemd-logind give the person at the computer (the
# active local session) read/write access to the device node; it has to be
# set before 73-seat-late.rules applies it, hence the 70- prefix.
BEGIN {
	FS = "\t"
	print "# 70-nesdoctor.rules: smart-card readers and tokens known to nesdoctor."
	print "# Generated from drivers-notes/devices.tsv by udev/genrules.awk; do not edit."
	print "# Gives the active local user access to these USB devices (uaccess); pcscd's"
	print "# own access comes from the reader driver's rules (libccid, libacsccid1)."
	print ""
	print "ACTION!=\"add|change\", GOTO=\"nesdoctor_end\""
	print "SUBSYSTEM!=\"usb\", GOTO=\"nesdoctor_end\""
	print "ENV{DEVTYPE}!=\"usb_device\", GOTO=\"nesdoctor_end\""
	print ""
}
/^#/ || /^$/ { next }
{
	split($1, id, ":")
	printf "# %s (%s)\n", $4, $5
	printf "ATTR{idVendor}==\"%s\", ATTR{idProduct}==\"%s\", TAG+=\"uaccess\"\n", id[1], id[2]
}
END {
	print ""
	print "LABEL=\"nesdoctor_end\""
}
