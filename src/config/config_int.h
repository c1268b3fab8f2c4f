/*
 * config_int.h - helpers shared by the config*.c files only.
 */
#ifndef TOKENBOX_CONFIG_INT_H
#define TOKENBOX_CONFIG_INT_H

#include "config.h"

/* The raw value knob name has right now (config entry of exactly that
 * name, else its built-in default), for "X = $(X) more" and "X += more". */
const char *config_current_raw(const struct config *c, const char *name);
/* Id of the file source named path (added if new), or -1 when the source
 * table is full (error pushed). */
int config_source_add(struct config *c, const char *path, struct err *e);
/* Parse text (not NUL-terminated, len bytes) as source src at include
 * depth; meta_line > 0 gives every definition that line (metaknob bodies
 * take the location of their "use" line). */
int config_parse_buffer(struct config *c, const char *text, size_t len, int src,
                        int depth, int meta_line, struct err *e);

#endif
