/*
 * netblock.h - IP addresses and netblocks as HTCondor writes them.
 *
 * Accepted forms: "*", "* / *" (written without spaces), an IPv4 or IPv6 address, "a.b.c.d/bits",
 * "a.b.c.d/255.255.0.0", "a.b.c.*" (IPv4 wildcard on whole octets),
 * "x:y::/bits".  Used by the non-interactive approve checks and by
 * auto-approval rules.
 */
#ifndef TOKENBOX_NETBLOCK_H
#define TOKENBOX_NETBLOCK_H

#include <stdint.h>

struct netblock {
	int any;          /* "*" matches every address */
	int family;       /* 4 or 6 */
	uint8_t addr[16]; /* network address, family's length used */
	int bits;         /* prefix length */
};

/* Parse an address (family 4 or 6, 0 on error) into out[16]. */
int netblock_parse_addr(const char *s, uint8_t out[16]);
/* 0 on success, -1 if s is not a netblock. */
int netblock_parse(const char *s, struct netblock *nb);
/* 1 if the address text ip lies within nb. */
int netblock_match(const struct netblock *nb, const char *ip);

#endif
