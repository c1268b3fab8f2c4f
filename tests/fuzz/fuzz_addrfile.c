/*
 * fuzz_addrfile.c - untrusted bytes as a daemon address file or daemon ad
 * file (locate_parse_address_file), with and without a <Subsys>IpAddr
 * attribute to prefer, and through locate_read_address_file from a real
 * file (which adds the LOCATE_FILE_MAX bound).
 *
 * Invariants: success means the address passes sinful_is_valid (only
 * HTCondor's loose prefix check: the params may still be refused later by
 * sinful_parse, with an error, as the stock tools refuse them when
 * connecting); every output field is NUL-terminated inside its
 * array; failure always says why; reading the file agrees with parsing
 * the bytes.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "locate.h"
#include "sinful.h"

static struct locate_addrfile af, af2;
static struct sinful s;
static char path[256];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_fields(const struct locate_addrfile *a)
{
	if (!memchr(a->addr, '\0', sizeof a->addr) || !memchr(a->version, '\0', sizeof a->version) ||
	    !memchr(a->platform, '\0', sizeof a->platform) || !memchr(a->name, '\0', sizeof a->name) ||
	    !memchr(a->machine, '\0', sizeof a->machine))
		abort();
}

static void cleanup(void)
{
	unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const attrs[] = { NULL, "ScheddIpAddr", "CollectorIpAddr" };
	const char *attr = attrs[size % 3];
	struct err e;
	int rc, rc2, fd;

	err_clear(&e);
	rc = locate_parse_address_file((const char *)data, size, attr, &af, &e);
	check_fields(&af);
	if (rc == 0) {
		struct err e2;
		err_clear(&e2);
		if (!sinful_is_valid(af.addr))
			abort();
		if (sinful_parse(&s, af.addr, &e2) < 0 && err_empty(&e2))
			abort();
	} else if (rc != -1 || err_empty(&e)) {
		abort();
	}

	if (!path[0]) {
		const char *tmp = getenv("TMPDIR");
		snprintf(path, sizeof path, "%s/fuzz_addrfile.%ld", tmp && *tmp ? tmp : "/tmp",
		         (long)getpid());
		atexit(cleanup);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) || close(fd) < 0)
		abort();
	err_clear(&e);
	rc2 = locate_read_address_file(path, attr, &af2, &e);
	check_fields(&af2);
	if (size > 0 && size < LOCATE_FILE_MAX && (rc2 == 1) != (rc == 0))
		abort();
	if (rc2 == 1 && strcmp(af.addr, af2.addr) != 0)
		abort();
	return 0;
}
