/*
 * crypto_tls_name.c - HTCondor's rule for matching a certificate name to
 * the host the client asked for.  Plain string work, no Mbed TLS: the TLS
 * engine (crypto_tls.c) applies it from its verify callback, and it is
 * here on its own so that builds without SSL and the unit tests have it.
 */
#include <string.h>

#include "port/crypto.h"

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Next non-empty '.'-separated label of s[*pos..n); 0 when none is left. */
static int next_label(const char *s, size_t n, size_t *pos, const char **lab, size_t *llen)
{
	size_t i = *pos, start;

	while (i < n && s[i] == '.')
		i++;
	if (i >= n)
		return 0;
	start = i;
	while (i < n && s[i] != '.')
		i++;
	*lab = s + start;
	*llen = i - start;
	*pos = i;
	return 1;
}

static int label_match(const char *p, size_t pl, const char *h, size_t hl)
{
	size_t i;

	for (i = 0; i < pl; i++) {
		/* A '*' must end the pattern label and matches any rest, but
		 * not a host that has a literal '*' at the same place. */
		if (p[i] == '*')
			return i + 1 == pl && !(i < hl && h[i] == '*');
		if (i >= hl || h[i] == '*' || lower((unsigned char)p[i]) != lower((unsigned char)h[i]))
			return 0;
	}
	return i == hl;
}

int crypto_tls_hostname_match(const char *pattern, size_t plen, const char *host)
{
	size_t hlen, pp = 0, hp = 0;
	const char *pl, *hl;
	size_t pll, hll;

	if (!pattern || !host)
		return 0;
	hlen = strlen(host);
	if (plen > CRYPTO_TLS_HOST_MAX || hlen > CRYPTO_TLS_HOST_MAX)
		return 0;
	if (memchr(pattern, '\0', plen))
		return 0; /* embedded NUL: a classic certificate spoofing trick */
	for (;;) {
		int more_p = next_label(pattern, plen, &pp, &pl, &pll);
		int more_h = next_label(host, hlen, &hp, &hl, &hll);
		if (!more_p || !more_h)
			return !more_p && !more_h && pp > 0; /* equal counts, not both empty */
		if (!label_match(pl, pll, hl, hll))
			return 0;
	}
}
