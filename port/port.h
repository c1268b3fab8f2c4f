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
 *  - port_last_errno() gives the OS error behind the latest failure, for
 *    messages that quote strerror/errno the way HTCondor's tools do.
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

/* errno of the most recent failing port call in this thread (0 if none). */
int port_last_errno(void);
/* strerror(), except that ETIMEDOUT and ECONNREFUSED always read
 * "Connection timed out" / "Connection refused" (musl and glibc differ). */
const char *port_strerror(int errnum);

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

/* Longest host argument (name or literal, brackets excluded) + 1. */
#define PORT_HOST_MAX 256

/* Connect to host (name, IPv4 or IPv6 literal, brackets allowed) and port.
 * Tries every resolved address until timeout_ms passes (timeout_ms <= 0:
 * no limit but the kernel's); what is left is shared fairly between the
 * addresses not yet tried, so one black-holed address cannot use it all.
 * Returns a handle (>= 0) or PORT_EREFUSED / PORT_ETIMEDOUT /
 * PORT_ERESOLVE / PORT_EFAIL; errbuf then reads "Connection refused",
 * "Connection timed out", "unknown host <h>" or another strerror text (for
 * several addresses: the last one's).  Name resolution itself is not bounded
 * by the timeout.  On success, if peer_ip is not NULL, the numeric IP
 * actually connected to is stored there (no brackets; INET6_ADDRSTRLEN = 46
 * bytes always suffice). */
int port_tcp_connect(const char *host, unsigned port, int timeout_ms,
                     char *peer_ip, size_t peer_ip_len,
                     char *errbuf, size_t errlen);
/* Resolve host (name or literal, brackets allowed) to its first numeric
 * address, written to ip (no brackets).  0 or PORT_ERESOLVE. */
int port_resolve(const char *host, char *ip, size_t iplen);
/* The resolver's canonical name for host (getaddrinfo's AI_CANONNAME;
 * host itself when the resolver gives none).  0, PORT_ERESOLVE when the
 * name does not resolve, PORT_EFAIL when it does not fit. */
int port_canon_name(const char *host, char *out, size_t cap);
/* Send all n bytes before deadline. 0, PORT_ETIMEDOUT, PORT_ECLOSED (peer
 * closed or reset; never SIGPIPE) or PORT_EFAIL. */
int port_tcp_send(int h, const void *buf, size_t n, int64_t deadline);
/* Receive between 1 and n bytes before deadline.  Returns the count,
 * PORT_ECLOSED on orderly shutdown (or reset), PORT_ETIMEDOUT, or
 * PORT_EFAIL.  Data already waiting is returned even past the deadline. */
long port_tcp_recv(int h, void *buf, size_t n, int64_t deadline);
void port_tcp_close(int h);

/* Listening side (used by the test daemon).  host may be "127.0.0.1" or
 * "::1"; port 0 picks a free one, written back to *port. */
int port_tcp_listen(const char *host, unsigned *port, char *errbuf, size_t errlen);
/* Wait for a connection until deadline; returns the new handle or a
 * negative PORT_E*.  peer (optional) receives "ip" and *peer_port
 * (optional) the port. */
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
 * a NUL is appended, so at most cap-1 data bytes).  *len gets the length;
 * NUL bytes inside the file are kept, so callers that treat buf as a string
 * must check strlen(buf) == *len.  A larger file is PORT_ETOOBIG, not
 * truncated.  st (optional) is filled from the opened file (fstat), so it
 * describes the file actually read, and is all zero when nothing could be
 * opened.  Not a regular file: PORT_EFAIL. */
int port_file_read(const char *path, char *buf, size_t cap, size_t *len,
                   struct port_stat *st);
/* Create path exclusively (O_EXCL, a link at path is not followed) with
 * exactly the given mode regardless of the umask, and write data.
 * PORT_EEXIST if it exists; a failed write removes the new file. */
int port_file_write_new(const char *path, const void *data, size_t n, unsigned mode);
/* Like port_file_write_new, but an existing file is replaced keeping its
 * owner and mode, as HTCondor writes token files: written beside it and
 * renamed over it, so a concurrent reader or writer never sees a mix of
 * two contents.  A link is followed and its target rewritten in place
 * (as is a file whose owner we cannot give the new one). */
int port_file_write(const char *path, const void *data, size_t n, unsigned mode);
int port_file_unlink(const char *path);
/* mkdir with exactly mode (chmod afterwards defeats the umask and any
 * set-gid bit inherited from the parent).  PORT_EEXIST if path exists. */
int port_mkdir(const char *path, unsigned mode);
int port_rmdir(const char *path);

/* Directory listing: calls fn(name, arg) for each entry except "." and
 * "..", in sorted (strcmp) order.  At most PORT_DIR_MAX entries are
 * returned; more gives PORT_ETOOBIG after the callbacks for the
 * PORT_DIR_MAX smallest names.  A non-zero return from fn stops the walk
 * and is returned.  fn may itself call port_dir_list. */
#define PORT_DIR_MAX 1024
#define PORT_NAME_MAX 256
int port_dir_list(const char *path, int (*fn)(const char *name, void *arg), void *arg);

/* Reading a file in pieces, whatever it is that can be read (a regular
 * file, a pipe such as a shell's <(...), standard input as "-").
 * port_stream_open returns a handle >= 0 or a negative PORT_E*;
 * port_stream_read returns 1..n bytes, 0 at the end, or PORT_EFAIL;
 * closing the handle of "-" leaves standard input open. */
int port_stream_open(const char *path);
long port_stream_read(int h, void *buf, size_t n);
void port_stream_close(int h);

/* Append-only files (the approval audit log, known_hosts).  port_log_open opens
 * path for appending, creating it with exactly mode when it is missing (an
 * existing file keeps its owner and mode); it must be a regular file.
 * Returns a handle >= 0 or a negative PORT_E* (port_last_errno tells why).
 * port_log_append writes n bytes with one write(2) (O_APPEND: concurrent
 * writers never interleave inside a line) and returns only after fsync(2)
 * has put them on disk; 0, or PORT_EFAIL when either step failed. */
int port_log_open(const char *path, unsigned mode);
int port_log_append(int h, const void *data, size_t n);
void port_log_close(int h);

/* ---- identity ---------------------------------------------------------- */

uint32_t port_uid(void);
uint32_t port_euid(void);
/* Switch the effective uid/gid (FS auth as root creates its directory as the
 * condor user).  The gid is set while still root, the uid last; moving
 * between two non-root ids passes through root; port_set_euid(0, 0)
 * restores.  Supplementary groups are left alone.  An unprivileged process
 * can only "switch" to the ids it has.  Returns 0 or PORT_EFAIL (after
 * trying to restore the ids it had). */
int port_set_euid(uint32_t uid, uint32_t gid);
/* User name of uid from the password database, else (only when uid is our
 * real or effective uid) $USER / $LOGNAME; else PORT_ENOENT. */
int port_user_name(uint32_t uid, char *buf, size_t len);
/* uid/gid of a named account (e.g. "condor"); PORT_ENOENT if unknown. */
int port_user_lookup(const char *name, uint32_t *uid, uint32_t *gid);
/* Home directory: $HOME, else the password database entry of the
 * effective uid; else PORT_ENOENT. */
int port_user_home(char *buf, size_t len);
/* Host name (uname nodename). */
int port_host_name(char *buf, size_t len);
long port_pid(void);
/* The process's peak resident memory so far, in KiB (Linux: VmHWM of
 * /proc/self/status), or -1 where the system does not say. */
long port_peak_rss_kib(void);

/* ---- terminal / stdin --------------------------------------------------- */

/* Read one line from standard input without the trailing '\n' (a '\r' is
 * kept).  Never reads past the newline, so the rest of a piped stdin stays
 * for the next call or another reader.  Returns the length, or -1 on EOF
 * (or a read error) with nothing read; a last line without '\n' is
 * returned as a line.  An over-long line is consumed entirely and
 * truncated to len-1 bytes (*truncated set to 1, else 0). */
long port_stdin_line(char *buf, size_t len, int *truncated);
/* 1 if the stream (0, 1, 2) is a terminal. */
int port_isatty(int fd);

#endif
