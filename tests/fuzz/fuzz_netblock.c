/*
 * fuzz_netblock.c - untrusted text as a netblock and as an address
 * (src/netblock.h).  The input up to the first '\n' is the netblock, the
 * rest the address matched against it.
 *
 * Properties:
 *  - a parsed netblock has family 4 with 0..32 bits or 6 with 0..128;
 *  - a netblock matches its own network address (printed by inet_ntop),
 *    and "*" matches anything;
 *  - every address inet_pton accepts, netblock_parse_addr accepts with
 *    the same bytes; what netblock_parse_addr accepts, printed and parsed
 *    again, gives the same bytes.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "netblock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char a[512], b[512];

static void check_addr(const char *s)
{
	uint8_t out[16], again[16], sys[16];
	char txt[INET6_ADDRSTRLEN];
	int fam = netblock_parse_addr(s, out);

	if (fam != 0 && fam != 4 && fam != 6)
		abort();
	if (inet_pton(AF_INET, s, sys) == 1 && (fam != 4 || memcmp(sys, out, 4) != 0))
		abort();
	if (inet_pton(AF_INET6, s, sys) == 1 && (fam != 6 || memcmp(sys, out, 16) != 0))
		abort();
	if (fam) {
		if (!inet_ntop(fam == 4 ? AF_INET : AF_INET6, out, txt, sizeof txt))
			abort();
		if (netblock_parse_addr(txt, again) != fam || memcmp(again, out, fam == 4 ? 4 : 16) != 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t n1 = nl ? (size_t)(nl - data) : size, n2 = nl ? size - n1 - 1 : 0;
	struct netblock nb;
	char txt[INET6_ADDRSTRLEN];

	if (n1 >= sizeof a || n2 >= sizeof b)
		return 0;
	memcpy(a, data, n1);
	a[n1] = '\0';
	memcpy(b, nl ? nl + 1 : data, n2);
	b[n2] = '\0';

	check_addr(a);
	check_addr(b);
	if (netblock_parse(a, &nb) == 0) {
		if (nb.any) {
			if (netblock_match(&nb, b) != 1)
				abort();
		} else {
			if (!((nb.family == 4 && nb.bits >= 0 && nb.bits <= 32) ||
			      (nb.family == 6 && nb.bits >= 0 && nb.bits <= 128)))
				abort();
			if (!inet_ntop(nb.family == 4 ? AF_INET : AF_INET6, nb.addr, txt, sizeof txt))
				abort();
			if (netblock_match(&nb, txt) != 1)
				abort();
		}
		(void)netblock_match(&nb, b);
	}
	return 0;
}
