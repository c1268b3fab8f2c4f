/*
 * fuzz_known_hosts.c - untrusted text as a known_hosts file
 * (src/security/known_hosts.h): the file may be edited by hand.
 *
 * Properties:
 *  - every entry's fields lie inside the input, are non-empty (except the
 *    host of a lone "!"), hold no space or newline, and line numbers
 *    strictly increase;
 *  - the first match for an entry's host is at or before that entry, and
 *    any_match finds the entry itself;
 *  - an entry that known_hosts_format accepts parses back from its line
 *    to the same fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "known_hosts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char host[512], method[512], info[4096], line[8192];

static int copy(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		return 0;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 1;
}

static void check_slice(const char *buf, size_t len, const char *s, size_t n)
{
	if (s < buf || s + n > buf + len || memchr(s, ' ', n) || memchr(s, '\n', n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct known_hosts_entry ent, m, back;
	size_t pos = 0;
	unsigned ln = 0, last = 0;

	if (size > KNOWN_HOSTS_FILE_MAX)
		return 0;
	while (known_hosts_next(buf, size, &pos, &ln, &ent)) {
		long n;

		if (ent.line <= last || pos > size)
			abort();
		last = ent.line;
		if (ent.host_len == 0 && ent.permitted)
			abort();
		check_slice(buf, size, ent.host, ent.host_len);
		if (ent.method_len == 0 || ent.data_len == 0)
			abort();
		check_slice(buf, size, ent.method, ent.method_len);
		check_slice(buf, size, ent.data, ent.data_len);
		if (!copy(host, sizeof host, ent.host, ent.host_len) ||
		    !copy(method, sizeof method, ent.method, ent.method_len) ||
		    !copy(info, sizeof info, ent.data, ent.data_len))
			continue;
		if (strlen(host) != ent.host_len || strlen(method) != ent.method_len ||
		    strlen(info) != ent.data_len)
			abort(); /* NUL lines are skipped */
		if (!known_hosts_first_match(buf, size, host, &m) || m.line > ent.line)
			abort();
		if (!known_hosts_any_match(buf, size, host, ent.permitted, method, info))
			abort();
		n = known_hosts_format(line, sizeof line, host, ent.permitted, method, info, NULL);
		if (n < 0)
			continue;
		if (!known_hosts_first_match(line, (size_t)n, host, &back) ||
		    back.permitted != ent.permitted || back.line != 1 ||
		    back.method_len != ent.method_len || back.data_len != ent.data_len ||
		    memcmp(back.method, method, back.method_len) != 0 ||
		    memcmp(back.data, info, back.data_len) != 0)
			abort();
	}
	return 0;
}
