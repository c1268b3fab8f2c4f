/*
 * port.h - everything tokenbox needs from the operating system.
 *
 * The portable core (src/) includes this header and port/crypto.h, never a
 * socket, terminal or TLS header. Implementations live in port/posix/.
 *
 * Conventions:
 *  - Functions return 0 (or a non-negative count) on success and a negative
 *    PORT_E* code on failure; when an errbuf is given it receives a short
 *    human-readable reason (no trailing newline).
 *  - Deadlines are absolute values of port_clock_ms() (monotonic ms);
 *    a deadline of 0 means "no deadline".
 *  - No function allocates memory that the caller must free.
 */
#ifndef TOKENBOX_PORT_H
#define TOKENBOX_PORT_H

#include <stddef.h>
#include <stdint.h>

enum {
	PORT_OK = 0,
	PORT_EFAIL = -1,     /* generic failure, see errbuf */
	PORT_ETIMEDOUT = -2, /* deadline passed */
	PORT_ECLOSED = -3,   /* peer closed the connection */
	PORT_EREFUSED = -4,  /* connection refused */
	PORT_ERESOLVE = -5,  /* host name did not resolve */
	PORT_ENOENT = -6,    /* file or directory does not exist */
	PORT_ETOOBIG = -7,   /* does not fit the caller's buffer */
	PORT_EEXIST = -8,    /* already exists */
	PORT_EACCES = -9     /* permission denied */
};

/* ---- clocks ---------------------------------------------------------- */

/* Monotonic milliseconds since an arbitrary origin (never 0). */
int64_t port_clock_ms(void);
/* Wall clock, seconds since the Unix epoch. */
int64_t port_time_now(void);
/* Local broken-down time of t (for debug timestamps):
 * out[0..5] = year, month (1-12), day, hour, minute, second. */
void port_time_local(int64_t t, int out[6]);
void port_sleep_ms(int ms);

/* ---- randomness ------------------------------------------------------ */

/* Fill buf with n bytes from the OS CSPRNG (getrandom). 0 or PORT_EFAIL. */
int port_random(void *buf, size_t n);

/* ---- TCP --------------------------------------------------------------- */

/* Connect to host (name, IPv4 or IPv6 literal, brackets allowed) and port.
 * Tries every resolved address until timeout_ms passes.  Returns a handle
 * (>= 0) or PORT_EREFUSED / PORT_ETIMEDOUT / PORT_ERESOLVE / PORT_EFAIL.
 * On success, if peer_ip is not NULL, the numeric IP actually connected to
 * is stored there (no brackets). */
int port_tcp_connect(const char *host, unsigned port, int timeout_ms,
                     char *peer_ip, size_t peer_ip_len,
                     char *errbuf, size_t errlen);
/* Send all n bytes before deadline. 0 or negative PORT_E*. */
int port_tcp_send(int h, const void *buf, size_t n, int64_t deadline);
/* Receive between 1 and n bytes before deadline.  Returns the count,
 * PORT_ECLOSED on orderly shutdown, PORT_ETIMEDOUT, or PORT_EFAIL. */
long port_tcp_recv(int h, void *buf, size_t n, int64_t deadline);
void port_tcp_close(int h);

/* Listening side (used by the test daemon).  host may be "127.0.0.1" or
 * "::1"; port 0 picks a free one, written back to *port. */
int port_tcp_listen(const char *host, unsigned *port, char *errbuf, size_t errlen);
/* Wait for a connection until deadline; returns the new handle or a
 * negative PORT_E*.  peer receives "ip" and *peer_port the port. */
int port_tcp_accept(int lh, int64_t deadline, char *peer, size_t peer_len,
                    unsigned *peer_port);

/* ---- files ------------------------------------------------------------- */

struct port_stat {
	int is_dir;
	int is_reg;
	int is_link;
	uint32_t uid;
	uint32_t mode; /* permission bits only (07777) */
	uint64_t size;
	uint32_t nlink;
};

/* lstat-like: information about path itself (links are not followed). */
int port_file_stat(const char *path, struct port_stat *st);
/* Read a whole regular file (following links) into buf (at most cap bytes,
 * a NUL is appended, so at most cap-1 data bytes).  *len gets the length.
 * st (optional) is filled from the opened file (fstat). */
int port_file_read(const char *path, char *buf, size_t cap, size_t *len,
                   struct port_stat *st);
/* Create path exclusively with the given mode and write data. */
int port_file_write_new(const char *path, const void *data, size_t n, unsigned mode);
int port_file_unlink(const char *path);
int port_mkdir(const char *path, unsigned mode);
int port_rmdir(const char *path);

/* Directory listing: calls fn(name, arg) for each entry except "." and
 * "..", in sorted (strcmp) order.  At most PORT_DIR_MAX entries are
 * returned; more gives PORT_ETOOBIG after the callbacks for the first ones.
 * A non-zero return from fn stops the walk and is returned. */
#define PORT_DIR_MAX 1024
#define PORT_NAME_MAX 256
int port_dir_list(const char *path, int (*fn)(const char *name, void *arg), void *arg);

/* ---- identity ---------------------------------------------------------- */

uint32_t port_uid(void);
uint32_t port_euid(void);
/* Switch the effective uid/gid (FS auth as root creates its directory as the
 * condor user).  Returns 0 or PORT_EFAIL. */
int port_set_euid(uint32_t uid, uint32_t gid);
/* User name of uid from the password database, else $USER / $LOGNAME. */
int port_user_name(uint32_t uid, char *buf, size_t len);
/* uid/gid of a named account (e.g. "condor"); PORT_ENOENT if unknown. */
int port_user_lookup(const char *name, uint32_t *uid, uint32_t *gid);
/* Home directory: $HOME, else the password database entry. */
int port_user_home(char *buf, size_t len);
/* Host name (uname nodename). */
int port_host_name(char *buf, size_t len);
long port_pid(void);

/* ---- terminal / stdin --------------------------------------------------- */

/* Read one line from standard input without the trailing '\n'.  Returns the
 * length, or -1 on EOF with nothing read.  An over-long line is consumed
 * entirely and truncated to len-1 bytes (*truncated set to 1). */
long port_stdin_line(char *buf, size_t len, int *truncated);
/* 1 if the stream (0, 1, 2) is a terminal. */
int port_isatty(int fd);

#endif
