/*
 * token_write.h - where a received token goes, as the stock tools decide:
 * stdout, a named file in the token directory (-token NAME), or a path
 * (-file PATH).
 */
#ifndef TOKENBOX_TOKEN_WRITE_H
#define TOKENBOX_TOKEN_WRITE_H

#include "config.h"
#include "err.h"

/* name: -token value or NULL; path: -file value or NULL (the later of
 * the two on the command line wins, so at most one is non-NULL).  On
 * failure e holds the stock message ("Cannot write token to F: ..."). */
int token_write_out(const struct config *cfg, const char *token, const char *name,
                    const char *path, struct err *e);

#endif
