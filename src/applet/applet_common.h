/*
 * applet_common.h - the start-up steps every token tool shares: read the
 * configuration, then locate the target daemon, with the stock tools'
 * messages and exit codes.
 */
#ifndef TOKENBOX_APPLET_COMMON_H
#define TOKENBOX_APPLET_COMMON_H

#include "adlist.h"
#include "config.h"
#include "dc_token.h"
#include "err.h"

/* The large state of a tool run: the configuration (about 430 KiB), the
 * daemon client (1.2 MiB), a list of ads (2 MiB) and an arena for one
 * ad (CLASSAD_ARENA_BYTES).  One applet runs per
 * process, so all applets share these three instead of each keeping static
 * copies of its own (which put some 19 MiB of bss into every run).  Each is
 * zero until its applet initialises it; never on the stack. */
struct config *applet_cfg(void);
struct dc_client *applet_client(void);
struct adlist *applet_ads(void);
unsigned char *applet_arena(void); /* CLASSAD_ARENA_BYTES */

/* Print a failure: a single entry is one of HTCondor's own texts and is
 * printed bare, a stack as SUBSYS:code:msg|...  prefix may be "". */
void applet_print_err(const char *prefix, const struct err *e);

/* The -type value check every tool shares (cli_opt.valid / .invalid). */
int applet_type_valid(const char *name);
#define APPLET_TYPE_INVALID "ERROR: unrecognized daemon type: %s"

/* A classad_sink write callback over a FILE * (ctx). */
int applet_sink_file(void *ctx, const char *p, size_t n);

/* The end every token-getting tool shares: write token out (stdout, -token
 * NAME or -file PATH; token_write_out), wipe it (cap bytes), print the
 * stock message on failure.  Returns the exit code (0 or 1). */
int applet_token_out(const struct config *cfg, char *token, size_t cap, const char *name,
                     const char *file);
/* condor_token_fetch and condor_token_create, as their stock tools, take an
 * empty -token or -file name to mean standard output (condor_token_request
 * does not: there an empty name is refused by token_write_out). */
void applet_token_empty_is_stdout(const char **name, const char **file);

/* config_init + config_load; on failure prints the error and returns 1
 * (the exit code), else 0. */
int applet_config_load(struct config *cfg);

/* dc_locate with the stock messages ("ERROR: couldn't locate ...").
 * Returns 0, or the exit code (1, or 4 where the stock tool EXCEPTs). */
int applet_locate(const struct config *cfg, const char *type, const char *name,
                  const char *pool, struct dc_target *t);
/* The same with LOCATE_FOR_ADMIN (auto-approve asks for private attributes). */
int applet_locate_admin(const struct config *cfg, const char *type, const char *name,
                        const char *pool, struct dc_target *t);

#endif
