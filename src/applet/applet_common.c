#include "applet_common.h"

#include <stdio.h>

#include "debug.h"
#include "port/crypto.h"
#include "token_write.h"

static struct config shared_cfg;
static struct dc_client shared_client;
static struct adlist shared_ads;
static unsigned char shared_arena[CLASSAD_ARENA_BYTES];

struct config *applet_cfg(void)
{
	return &shared_cfg;
}

struct dc_client *applet_client(void)
{
	return &shared_client;
}

struct adlist *applet_ads(void)
{
	return &shared_ads;
}

unsigned char *applet_arena(void)
{
	return shared_arena;
}

void applet_print_err(const char *prefix, const struct err *e)
{
	char buf[ERR_MAX_ENTRIES * (ERR_MSG_LEN + 24)];

	if (e->n == 1)
		fprintf(stderr, "%s%s\n", prefix, err_message(e));
	else
		fprintf(stderr, "%s%s\n", prefix, err_text(e, buf, sizeof buf));
}

int applet_type_valid(const char *name)
{
	return dc_type_from_name(name) < 0 ? -1 : 0;
}

int applet_sink_file(void *ctx, const char *p, size_t n)
{
	return fwrite(p, 1, n, (FILE *)ctx) == n ? 0 : -1;
}

int applet_config_load(struct config *cfg)
{
	struct err e;

	err_clear(&e);
	config_init(cfg);
	if (config_load(cfg, &e) != 0) {
		applet_print_err("", &e);
		return 1;
	}
	return 0;
}

static int applet_locate_how(const struct config *cfg, const char *type, const char *name,
                             const char *pool, struct dc_target *t, int admin)
{
	char text[2048];
	struct err e;
	int rc;

	err_clear(&e);
	rc = admin ? dc_locate_admin(cfg, type, name, pool, t, &e)
	           : dc_locate(cfg, type, name, pool, t, &e);
	if (rc == 0)
		return 0;
	if (rc == DC_LOCATE_EXCEPT)
		return 4;
	if (rc != DC_LOCATE_REPORTED) {
		/* The stock tools keep the reason for -debug only. */
		dbg(D_ALWAYS, "locate failed: %s", err_text(&e, text, sizeof text));
		if (name)
			fprintf(stderr, "ERROR: couldn't locate daemon %s!\n", name);
		else
			fprintf(stderr, "ERROR: couldn't locate default daemon type.\n");
	}
	return 1;
}

int applet_locate(const struct config *cfg, const char *type, const char *name,
                  const char *pool, struct dc_target *t)
{
	return applet_locate_how(cfg, type, name, pool, t, 0);
}

int applet_locate_admin(const struct config *cfg, const char *type, const char *name,
                        const char *pool, struct dc_target *t)
{
	return applet_locate_how(cfg, type, name, pool, t, 1);
}

void applet_token_empty_is_stdout(const char **name, const char **file)
{
	if (*name && !**name)
		*name = NULL;
	if (*file && !**file)
		*file = NULL;
}

int applet_token_out(const struct config *cfg, char *token, size_t cap, const char *name,
                     const char *file)
{
	struct err e;
	int rc;

	err_clear(&e);
	rc = token_write_out(cfg, token, name, file, &e);
	crypto_wipe(token, cap);
	if (rc != 0) {
		fprintf(stderr, "%s\n", err_message(&e));
		return 1;
	}
	return 0;
}
