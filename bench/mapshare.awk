# bench/mapshare.awk - the bytes each part of tokenbox puts in the file,
# from a GNU ld link map (build/ARCH/tokenbox.map): the code, read-only
# data and initialised data of every input object that the link kept,
# grouped as one line per folder of ours (src/cedar, port/mbedtls ...),
# per Mbed TLS library, libc (musl) and the compiler's runtime.
#
#   awk -v objmap=FILE -f bench/mapshare.awk build/x86_64/tokenbox.map
#
# objmap lists "object.o folder" for our sources (sizes.sh writes it), as
# archive members carry no directory.  mawk has no strtonum: hex() below.
function hex(s,    i, v) {
	s = tolower(s)
	sub(/^0x/, "", s)
	v = 0
	for (i = 1; i <= length(s); i++)
		v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return v
}
function group(f,    m) {
	if (f ~ /libmbedcrypto\.a/) return "Mbed TLS crypto"
	if (f ~ /libmbedx509\.a/) return "Mbed TLS X.509"
	if (f ~ /libmbedtls\.a/) return "Mbed TLS TLS"
	if (f ~ /libc\.a|crt1\.o|crti\.o|crtn\.o/) return "libc (musl)"
	if (f ~ /libgcc|crtbegin|crtend/) return "compiler runtime"
	m = f
	sub(/.*\(/, "", m); sub(/\)$/, "", m); sub(/.*\//, "", m)
	if (m in folder) return folder[m]
	return "other"
}
BEGIN {
	while ((getline line < objmap) > 0) {
		split(line, a, " ")
		folder[a[1]] = a[2]
	}
}
# Only the output sections that become file bytes; stop at the discards
# and debug sections.
/^\.(text|rodata|data|data\.rel\.ro|init_array|fini_array|tdata|eh_frame|ARM\.exidx|ARM\.extab)([ \t]|$)/ { keep = 1; next }
/^\.(bss|tbss|comment|debug|note|symtab|strtab|shstrtab|gnu|stab|ARM\.attributes)/ { keep = 0; next }
/^\/DISCARD\// { keep = 0; next }
keep && /^ \.[A-Za-z_.]/ {
	if (NF >= 4 && $2 ~ /^0x/) { size = hex($3); file = $4 }
	else if (NF == 1) {
		if ((getline) <= 0) next
		if ($1 !~ /^0x/) next
		size = hex($2); file = $3
	} else next
	if (size > 0 && file != "") { total += size; share[group(file)] += size }
}
END {
	for (g in share) printf "%9d %5.1f%%  %s\n", share[g], 100 * share[g] / total, g | "sort -rn"
	close("sort -rn")
	printf "%9d 100.0%%  total\n", total
}
