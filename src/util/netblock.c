#include "netblock.h"

#include <stdlib.h>
#include <string.h>

static int parse_v4(const char *s, size_t n, uint8_t out[4], int *wild_octets)
{
	int octet = 0;
	size_t i = 0;

	*wild_octets = 0;
	while (octet < 4) {
		unsigned v = 0;
		size_t digits = 0;

		if (i < n && s[i] == '*') {
			/* a.b.*: the rest are wildcards */
			if (i + 1 != n)
				return -1;
			*wild_octets = 4 - octet;
			while (octet < 4)
				out[octet++] = 0;
			return 0;
		}
		while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(s[i] - '0');
			i++;
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255)
			return -1;
		out[octet++] = (uint8_t)v;
		if (octet < 4) {
			if (i >= n || s[i] != '.')
				return -1;
			i++;
		}
	}
	return i == n ? 0 : -1;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int parse_v6(const char *s, size_t n, uint8_t out[16])
{
	uint16_t head[8], tail[8];
	int nh = 0, nt = 0, gap = 0;
	size_t i = 0;

	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 1;
		i = 2;
	} else if (n >= 1 && s[0] == ':') {
		return -1;
	}
	while (i < n) {
		unsigned v = 0;
		int d = 0, h;

		/* an embedded IPv4 tail (::ffff:1.2.3.4) */
		if (memchr(s + i, '.', n - i) && !memchr(s + i, ':', n - i)) {
			uint8_t v4[4];
			int w;
			if (parse_v4(s + i, n - i, v4, &w) != 0 || w)
				return -1;
			if (gap) {
				if (nt > 6) return -1;
				tail[nt++] = (uint16_t)(v4[0] << 8 | v4[1]);
				tail[nt++] = (uint16_t)(v4[2] << 8 | v4[3]);
			} else {
				if (nh > 6) return -1;
				head[nh++] = (uint16_t)(v4[0] << 8 | v4[1]);
				head[nh++] = (uint16_t)(v4[2] << 8 | v4[3]);
			}
			i = n;
			break;
		}
		while (i < n && (h = hexval((unsigned char)s[i])) >= 0 && d < 4) {
			v = v * 16 + (unsigned)h;
			i++;
			d++;
		}
		if (d == 0 || (i < n && hexval((unsigned char)s[i]) >= 0))
			return -1;
		if (gap) {
			if (nt >= 8) return -1;
			tail[nt++] = (uint16_t)v;
		} else {
			if (nh >= 8) return -1;
			head[nh++] = (uint16_t)v;
		}
		if (i == n)
			break;
		if (s[i] != ':')
			return -1;
		i++;
		if (i < n && s[i] == ':') {
			if (gap)
				return -1;
			gap = 1;
			i++;
		} else if (i == n) {
			return -1;
		}
	}
	if ((!gap && nh != 8) || (gap && nh + nt > 7))
		return -1;
	memset(out, 0, 16);
	for (int k = 0; k < nh; k++) {
		out[2 * k] = (uint8_t)(head[k] >> 8);
		out[2 * k + 1] = (uint8_t)head[k];
	}
	for (int k = 0; k < nt; k++) {
		int pos = 8 - nt + k;
		out[2 * pos] = (uint8_t)(tail[k] >> 8);
		out[2 * pos + 1] = (uint8_t)tail[k];
	}
	return 0;
}

int netblock_parse_addr(const char *s, uint8_t out[16])
{
	size_t n = strlen(s);
	int w;

	if (strchr(s, ':'))
		return parse_v6(s, n, out) == 0 ? 6 : 0;
	if (parse_v4(s, n, out, &w) == 0 && !w)
		return 4;
	return 0;
}

int netblock_parse(const char *s, struct netblock *nb)
{
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	char buf[64];
	int w;

	memset(nb, 0, sizeof *nb);
	if (strcmp(s, "*") == 0 || strcmp(s, "*/*") == 0) {
		nb->any = 1;
		return 0;
	}
	if (alen == 0 || alen >= sizeof buf)
		return -1;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (strchr(buf, ':')) {
		if (parse_v6(buf, alen, nb->addr) != 0)
			return -1;
		nb->family = 6;
		nb->bits = 128;
	} else {
		if (parse_v4(buf, alen, nb->addr, &w) != 0)
			return -1;
		nb->family = 4;
		nb->bits = 32 - 8 * w;
		if (w && slash)
			return -1;
	}
	if (slash) {
		const char *m = slash + 1;
		char *end;
		long bits;

		if (nb->family == 4 && strchr(m, '.')) {
			uint8_t mask[4];
			uint32_t v;
			if (parse_v4(m, strlen(m), mask, &w) != 0 || w)
				return -1;
			v = (uint32_t)mask[0] << 24 | (uint32_t)mask[1] << 16 | (uint32_t)mask[2] << 8 | mask[3];
			bits = 0;
			while (bits < 32 && (v & (0x80000000u >> bits)))
				bits++;
			if (bits < 32 && (v << bits) != 0)
				return -1; /* not a contiguous mask */
		} else {
			if (*m < '0' || *m > '9')
				return -1;
			bits = strtol(m, &end, 10);
			if (*end || bits < 0 || bits > (nb->family == 4 ? 32 : 128))
				return -1;
		}
		nb->bits = (int)bits;
	}
	return 0;
}

int netblock_match(const struct netblock *nb, const char *ip)
{
	uint8_t a[16];
	int fam, full, rem;

	if (nb->any)
		return 1;
	fam = netblock_parse_addr(ip, a);
	if (fam == 6 && nb->family == 4) {
		/* IPv4-mapped IPv6 (::ffff:a.b.c.d) is the same host */
		static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		if (memcmp(a, mapped, 12) != 0)
			return 0;
		memmove(a, a + 12, 4);
		fam = 4;
	}
	if (fam != nb->family)
		return 0;
	full = nb->bits / 8;
	rem = nb->bits % 8;
	if (memcmp(a, nb->addr, (size_t)full) != 0)
		return 0;
	if (rem) {
		uint8_t m = (uint8_t)(0xff << (8 - rem));
		if ((a[full] & m) != (nb->addr[full] & m))
			return 0;
	}
	return 1;
}
