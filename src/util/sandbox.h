/*
 * sandbox.h - confinement of a long-running process once it holds what it
 * opened with privileges (a listening socket, a database): a switch to an
 * unprivileged user (sandbox_user_drop), no_new_privs, a Landlock
 * file-system ruleset (the only paths it may still open) and a seccomp
 * allow-list of the system calls it may make. The caller composes the
 * paths (`aims serve` in http/server.c); this module knows nothing of
 * what they are for.
 *
 * Every step applies to the calling thread and to the threads and
 * processes it creates afterwards, so the main thread runs sandbox_enter()
 * before any other thread starts.
 */
#ifndef AIMS_UTIL_SANDBOX_H
#define AIMS_UTIL_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

#define SANDBOX_PATHS_MAX	32

enum sandbox_access {
	SANDBOX_READ,		/* read files (and list directories) beneath */
	SANDBOX_WRITE,		/* also create, write, truncate, remove, make directories */
};

struct sandbox_path {
	const char		*path;
	enum sandbox_access	 access;
	bool			 optional;	/* skipped when it does not exist */
};

struct sandbox_config {
	struct sandbox_path	 paths[SANDBOX_PATHS_MAX];
	size_t			 npaths;
	bool			 connect;	/* may open client sockets (a database server) */
	/*
	 * Outgoing connections (the outbox's mail and webhooks): socket for
	 * IPv4 and IPv6 only (others fail with EAFNOSUPPORT), connect, and
	 * socketpair for AF_UNIX pairs; the caller adds the files name
	 * resolution and TLS read (sandbox_outbound_paths).
	 */
	bool			 outbound;
};

/* Adds the files outgoing connections read: resolver configuration, CA certificates. */
int sandbox_outbound_paths(struct sandbox_config *cfg);

/* Adds a path to cfg (AIMS_ETOOBIG past SANDBOX_PATHS_MAX). */
int sandbox_path_add(struct sandbox_config *cfg, const char *path, enum sandbox_access access,
    bool optional);

/*
 * Becomes user (name or numeric id): supplementary groups, group, then
 * user, real, effective and saved, each checked afterwards (and that root
 * cannot be regained). Needs root; refused for root itself.
 */
int sandbox_user_drop(const char *user);

/* The kernel's Landlock ABI version, or 0 when it has none (or it is off). */
int sandbox_landlock_abi(void);

/*
 * Sets no_new_privs, then restricts file access to the paths given (all
 * others: no access at all; executing: nowhere). Returns 0 when
 * applied, 1 when the kernel has no Landlock (nothing restricted, the
 * caller warns), or an error (a path that cannot be opened names it).
 */
int sandbox_landlock_apply(const struct sandbox_path *paths, size_t npaths);

/*
 * Sets no_new_privs and loads the seccomp allow-list: any system call not
 * on it (execve, ptrace, fork, socket, mount, ...) kills the whole
 * process with SIGSYS. Threads may still be created.
 */
int sandbox_seccomp_apply(void);
/* The same with cfg.outbound's system calls added when outbound. */
int sandbox_seccomp_apply_outbound(bool outbound);

/*
 * The rest, in order, once the process runs as the user it will stay: the
 * access check of every path for that user (an error naming the first it
 * cannot use), Landlock (a warning when the kernel lacks it), seccomp.
 */
int sandbox_enter(const struct sandbox_config *cfg);

#endif
