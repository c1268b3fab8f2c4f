/*
 * config.h - HTCondor configuration, as a token tool sees it.
 *
 * Finds and reads the configuration the way an HTCondor 25.x tool does
 * (root file from CONDOR_CONFIG or the standard places, LOCAL_CONFIG_DIR
 * before LOCAL_CONFIG_FILE, include, use SECURITY:/ROLE: metaknobs,
 * if/elif/else/endif, _CONDOR_<KNOB> environment overrides) and answers
 * knob lookups with lazy $(MACRO) expansion and the TOOL.<KNOB> subsystem
 * prefix.  The subsystem is always TOOL and there is no local name.
 *
 * Memory: one caller-owned struct config of fixed size (about 400 KiB;
 * make it static, not a stack variable).  Nothing here allocates.  Every
 * bound below is enforced with an error that names it.
 *
 * Values are stored raw.  Only references of a knob to itself are
 * expanded when it is defined ("X = $(X) more" appends), everything else
 * at lookup time, so "A = $(B)" sees the final value of B.
 */
#ifndef TOKENBOX_CONFIG_H
#define TOKENBOX_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* ---- bounds ----------------------------------------------------------- */

/* Distinct knobs defined by files, metaknobs, environment and detection
 * (built-in defaults are a separate constant table and do not count). */
#define CONFIG_MAX_KNOBS 1024
/* Bytes for knob names, raw values and source file names.  A redefined
 * knob keeps its old text, so this also bounds redefinitions. */
#define CONFIG_TEXT_MAX (128 * 1024)
/* Bytes of configuration files held at once: a file stays loaded while
 * the files it includes are read, so this bounds the sum of the sizes of
 * the files on the include stack (and so the size of one file). */
#define CONFIG_READ_MAX (256 * 1024)
/* One logical line after joining '\' continuations (also here-doc bodies). */
#define CONFIG_LINE_MAX 16384
/* Nested include/use levels; HTCondor's CONFIG_MAX_NESTING_DEPTH is 20. */
#define CONFIG_INCLUDE_DEPTH 20
/* Files (config sources) remembered for origins ("file, line N"). */
#define CONFIG_MAX_SOURCES 256
/* A file path, a knob name. */
#define CONFIG_PATH_MAX 1024
#define CONFIG_NAME_MAX 128
/* Nested $(...) references while expanding one value; a longer chain is
 * reported as a probable macro loop (real loops are detected earlier). */
#define CONFIG_EXPAND_DEPTH 32
/* One expanded value, in bytes including the NUL. */
#define CONFIG_VALUE_MAX 8192
/* Nested if blocks in one file. */
#define CONFIG_IF_DEPTH 32
/* Arguments of a metaknob: use SECURITY:recommended(a, b, ...). */
#define CONFIG_META_ARGS 8

/* The HTCondor version this tool claims for "if version >= x.y.z". */
#define CONFIG_VERSION_MAJOR 25
#define CONFIG_VERSION_MINOR 14
#define CONFIG_VERSION_SUB 0

/* Error subsystem used in err_push(). */
#define CONFIG_ERRSUB "CONFIG"

/* Source ids: where a knob's current value came from. */
enum {
	CONFIG_SRC_DEFAULT = 0,  /* built-in defaults table */
	CONFIG_SRC_DETECTED = 1, /* HOSTNAME, USERNAME, CondorIsAdmin ... */
	CONFIG_SRC_ENV = 2,      /* _CONDOR_<KNOB> */
	CONFIG_SRC_SET = 3,      /* config_set(): command line, tests */
	CONFIG_SRC_FILE0 = 4     /* first file; ids >= this are files */
};

struct config_knob {
	uint32_t name;  /* offset of the NUL-terminated name in text[] */
	uint32_t value; /* offset of the raw value in text[] */
	uint16_t src;   /* CONFIG_SRC_* or a file id */
	int32_t line;   /* line in that file, 0 if none */
};

struct config {
	int nknobs;
	struct config_knob knob[CONFIG_MAX_KNOBS];
	uint32_t text_used;
	char text[CONFIG_TEXT_MAX];
	int nsources;                         /* files seen; id = CONFIG_SRC_FILE0 + i */
	uint32_t source[CONFIG_MAX_SOURCES];  /* offsets of their names in text[] */
	uint32_t read_used;                   /* include stack in read[] */
	char read[CONFIG_READ_MAX];
	char line[CONFIG_LINE_MAX];           /* parser scratch: the logical line */
	char here[CONFIG_LINE_MAX];           /* parser scratch: a "NAME @=TAG" body */
	int root_source;                      /* id of the root file, -1 if none */
	int only_env;                         /* CONDOR_CONFIG=ONLY_ENV */
	int no_include;                       /* reject "include" (fuzzing, untrusted text) */
	int version[3];                       /* claimed version for "if version" */
};

/* ---- setting up ---------------------------------------------------- */

/* Empty configuration: built-in defaults only. */
void config_init(struct config *c);

/*
 * Read the configuration like an HTCondor tool's config():
 * CONDOR_CONFIG (ONLY_ENV, /dev/null, a file), else /etc/condor/condor_config,
 * /usr/local/etc/condor_config, ~condor/condor_config; LOCAL_CONFIG_DIR,
 * LOCAL_CONFIG_FILE; the user config (non-root); _CONDOR_* environment; the
 * detected macros.  Returns 0, or -1 with the reason in e (the caller
 * prints it and exits 1, as the stock tools do).
 * c must have been config_init()ed (tests may preset the version).
 */
int config_load(struct config *c, struct err *e);

/* Parse text as one config source named name (used for files, metaknob
 * bodies, the fuzzer).  Definitions are added to c. 0 or -1. */
int config_parse_text(struct config *c, const char *text, size_t len,
                      const char *name, struct err *e);
/* Read and parse one file.  A missing file is an error only if must_exist
 * (return -1); otherwise it returns 1 and changes nothing. */
int config_read_file(struct config *c, const char *path, int must_exist, struct err *e);

/* Define knob = raw value with the given source (CONFIG_SRC_*) and line. */
int config_define(struct config *c, const char *knob, const char *raw, int src,
                  int line, struct err *e);
/* Define knob = raw value as CONFIG_SRC_SET (the "-set"/test entry point). */
int config_set(struct config *c, const char *knob, const char *raw);

/* ---- looking up ------------------------------------------------------ */

/* Expanded value of knob into out.  Returns 1 when defined, 0 when not
 * defined or when it expands to "" (HTCondor's param() treats both as
 * unset; out is then ""), -1 on an expansion error (loop, bound, an
 * unsupported $FUNC()), reported in e (may be NULL). */
int config_get(const struct config *c, const char *knob, char *out, size_t cap,
               struct err *e);
/* Boolean knob: true/false/yes/no/t/f/1/0 (case-insensitive, HTCondor's
 * prefix rule).  *out = def when unset.  -1 (and *out = def) on a value
 * that is not a boolean. */
int config_get_bool(const struct config *c, const char *knob, int def, int *out,
                    struct err *e);
/* Integer knob (decimal, optional sign).  *out = def when unset; -1 on junk. */
int config_get_int(const struct config *c, const char *knob, long long def,
                   long long *out, struct err *e);
/* Expand arbitrary text with this configuration (as if it were a value). */
int config_expand(const struct config *c, const char *text, char *out, size_t cap,
                  struct err *e);

/* Where knob's value comes from, as condor_config_val -v prints it. */
struct config_origin {
	const char *name_used; /* the entry found, e.g. "TOOL.X" or "X" */
	const char *raw;       /* its raw (unexpanded) value */
	const char *file;      /* file name, or "<Default>", "<Environment>", ... */
	int line;              /* > 0 for files */
	int src;               /* CONFIG_SRC_* or a file id */
	const char *def;       /* the built-in default, NULL if none */
};
/* 1 and *o filled if knob is defined (by anything incl. defaults), 0 if not. */
int config_origin(const struct config *c, const char *knob, struct config_origin *o);

/* Name of a source id: a file path or "<Default>" etc. */
const char *config_source_name(const struct config *c, int src);

/* ---- pieces shared by the config*.c files ------------------------------ */

/* The built-in default of knob (exact name, case-insensitive), or NULL. */
const char *config_default(const char *knob);
/* Body of metaknob category:name (case-insensitive), or NULL. */
const char *config_meta_body(const char *category, const char *name);
/* Is name a valid knob name (letters, digits, '_', '.', '/')? */
int config_valid_name(const char *name);
/* 1 if the file name (no directory) matches LOCAL_CONFIG_DIR_EXCLUDE_REGEXP
 * as set in c (unset: nothing is excluded), 0 if not, -1 on a bad regex. */
int config_name_excluded(const struct config *c, const char *name, struct err *e);

#endif
