/*
 * sandbox.c - the confinement of a server process (see sandbox.h): user
 * switch, no_new_privs, Landlock, seccomp.
 *
 * The seccomp filter is built with libseccomp, not written as BPF by hand:
 * the library resolves names to this architecture's numbers, refuses other
 * architectures' calls (the x32 and i386 entry points included) and gets
 * the argument comparisons right. The allow-list is what `aims serve`
 * was seen to call under its end-to-end tests (strace -f), grouped below
 * by what needs it. Anything else kills the whole process: a server that
 * was made to call execve or ptrace is not one to keep running.
 *
 * Landlock has no wrapper in the C library yet, so it is called through
 * syscall(2) with the kernel's own header.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/landlock.h>
#include <pwd.h>
#include <sched.h>
#include <stdint.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "util/error.h"
#include "util/log.h"
#include "util/sandbox.h"
#include "util/str.h"

/* Rights newer than the kernel header this is built with. */
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER	(1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE	(1ULL << 14)
#endif

/* Everything the ruleset governs (ABI 1), so nothing outside the rules is allowed. */
#define SANDBOX_FS_ABI1 \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
	 LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR | \
	 LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE | \
	 LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | \
	 LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK | \
	 LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK | \
	 LANDLOCK_ACCESS_FS_MAKE_SYM)

/* Rights that apply to a file (the others only to directories). */
#define SANDBOX_FS_FILE \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
	 LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE)

#define SANDBOX_FS_READ		(LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
/*
 * No REMOVE_DIR, no special files, no symbolic links: the server writes
 * regular files and makes directories, nothing else. REFER lets a file
 * received in one directory be linked into another (evidence uploads).
 */
#define SANDBOX_FS_WRITE \
	(SANDBOX_FS_READ | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_FILE | \
	 LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_DIR | \
	 LANDLOCK_ACCESS_FS_REFER | LANDLOCK_ACCESS_FS_TRUNCATE)

int
sandbox_path_add(struct sandbox_config *cfg, const char *path, enum sandbox_access access,
    bool optional)
{
	if (cfg->npaths >= SANDBOX_PATHS_MAX)
		return aims_error_set(AIMS_ETOOBIG, NULL, "more than %d sandbox paths",
		    SANDBOX_PATHS_MAX);
	cfg->paths[cfg->npaths].path = path;
	cfg->paths[cfg->npaths].access = access;
	cfg->paths[cfg->npaths].optional = optional;
	cfg->npaths++;
	return 0;
}

/* ---- user ---------------------------------------------------------------- */

static int
sandbox_user_lookup(struct passwd *pw, char *buf, size_t len, const char *user)
{
	struct passwd *found = NULL;
	int64_t id;
	int err;

	if (str_to_int64(&id, user, 0, INT32_MAX) == 0)
		err = getpwuid_r((uid_t)id, pw, buf, len, &found);
	else
		err = getpwnam_r(user, pw, buf, len, &found);
	if (err != 0)
		return aims_error_set(AIMS_ERROR, "user", "cannot look up user '%s': %s", user,
		    strerror(err));
	if (found == NULL)
		return aims_error_set(AIMS_EINVALID, "user", "there is no user '%s' on this system",
		    user);
	return 0;
}

int
sandbox_user_drop(const char *user)
{
	struct passwd pw;
	char buf[4096];
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
	int rc;

	if ((rc = sandbox_user_lookup(&pw, buf, sizeof(buf), user)) != 0)
		return rc;
	if (pw.pw_uid == 0)
		return aims_error_set(AIMS_EINVALID, "user",
		    "--user %s is root: name an unprivileged user", user);
	if (geteuid() != 0)
		return aims_error_set(AIMS_EINVALID, "user",
		    "--user needs the server to be started as root (it runs as uid %u)",
		    (unsigned)geteuid());
	/* Groups before the user: once the user is dropped, groups cannot change. */
	if (initgroups(pw.pw_name, pw.pw_gid) != 0 && setgroups(1, &pw.pw_gid) != 0)
		return aims_error_set(AIMS_ERROR, "user", "cannot set the groups of %s: %s",
		    user, strerror(errno));
	if (setresgid(pw.pw_gid, pw.pw_gid, pw.pw_gid) != 0)
		return aims_error_set(AIMS_ERROR, "user", "cannot switch to group %u: %s",
		    (unsigned)pw.pw_gid, strerror(errno));
	if (setresuid(pw.pw_uid, pw.pw_uid, pw.pw_uid) != 0)
		return aims_error_set(AIMS_ERROR, "user", "cannot switch to user %s: %s",
		    user, strerror(errno));
	/* Checked, not assumed: all three ids of each, and root out of reach. */
	if (getresuid(&ruid, &euid, &suid) != 0 || getresgid(&rgid, &egid, &sgid) != 0 ||
	    ruid != pw.pw_uid || euid != pw.pw_uid || suid != pw.pw_uid ||
	    rgid != pw.pw_gid || egid != pw.pw_gid || sgid != pw.pw_gid ||
	    setuid(0) == 0 || seteuid(0) == 0)
		return aims_error_set(AIMS_ERROR, "user",
		    "the switch to user %s did not take (privileges could be regained)", user);
	log_info("running as user %s (uid %u, gid %u)", pw.pw_name, (unsigned)pw.pw_uid,
	    (unsigned)pw.pw_gid);
	return 0;
}

/* Can the user this process runs as do what the sandbox will allow? */
static int
sandbox_path_check(const struct sandbox_path *p)
{
	struct stat st;
	int mode;

	if (stat(p->path, &st) != 0) {
		if (p->optional && errno == ENOENT)
			return 0;
		return aims_error_set(AIMS_ERROR, NULL, "cannot use %s: %s", p->path,
		    strerror(errno));
	}
	mode = R_OK;
	if (S_ISDIR(st.st_mode))
		mode |= X_OK;
	if (p->access == SANDBOX_WRITE)
		mode |= W_OK;
	if (access(p->path, mode) != 0)
		return aims_error_set(AIMS_EFORBIDDEN, NULL,
		    "user %u cannot %s %s: %s (give that user the database directory, for "
		    "example with chown -R)", (unsigned)geteuid(),
		    p->access == SANDBOX_WRITE ? "write" : "read", p->path, strerror(errno));
	return 0;
}

/* ---- Landlock ------------------------------------------------------------- */

int
sandbox_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);

	return abi < 0 ? 0 : (int)abi;
}

static int
sandbox_no_new_privs(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return aims_error_set(AIMS_ERROR, NULL, "cannot set no_new_privs: %s",
		    strerror(errno));
	return 0;
}

/* The rights this kernel knows, of those asked for. */
static uint64_t
sandbox_fs_rights(int abi, uint64_t want)
{
	if (abi < 2)
		want &= ~(uint64_t)LANDLOCK_ACCESS_FS_REFER;
	if (abi < 3)
		want &= ~(uint64_t)LANDLOCK_ACCESS_FS_TRUNCATE;
	return want;
}

static int
sandbox_landlock_rule(int ruleset, int abi, const struct sandbox_path *p)
{
	struct landlock_path_beneath_attr rule;
	struct stat st;
	int fd, rc = 0;

	if ((fd = open(p->path, O_PATH | O_CLOEXEC)) < 0) {
		if (p->optional && errno == ENOENT)
			return 0;
		return aims_error_set(AIMS_ERROR, NULL, "cannot open %s for the sandbox: %s",
		    p->path, strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		rc = aims_error_set(AIMS_ERROR, NULL, "cannot stat %s: %s", p->path,
		    strerror(errno));
		goto done;
	}
	memset(&rule, 0, sizeof(rule));
	rule.parent_fd = fd;
	rule.allowed_access = sandbox_fs_rights(abi,
	    p->access == SANDBOX_WRITE ? SANDBOX_FS_WRITE : SANDBOX_FS_READ);
	if (!S_ISDIR(st.st_mode))
		rule.allowed_access &= SANDBOX_FS_FILE;
	if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) != 0)
		rc = aims_error_set(AIMS_ERROR, NULL, "cannot add %s to the sandbox: %s",
		    p->path, strerror(errno));
done:
	close(fd);
	return rc;
}

int
sandbox_landlock_apply(const struct sandbox_path *paths, size_t npaths)
{
	struct landlock_ruleset_attr attr;
	int abi, ruleset = -1, rc;
	size_t i;

	if ((rc = sandbox_no_new_privs()) != 0)
		return rc;
	if ((abi = sandbox_landlock_abi()) < 1)
		return 1;
	memset(&attr, 0, sizeof(attr));
	attr.handled_access_fs = sandbox_fs_rights(abi, SANDBOX_FS_ABI1 |
	    LANDLOCK_ACCESS_FS_REFER | LANDLOCK_ACCESS_FS_TRUNCATE);
	if ((ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0)) < 0)
		return aims_error_set(AIMS_ERROR, NULL, "cannot create the Landlock ruleset: %s",
		    strerror(errno));
	for (i = 0; i < npaths; i++)
		if ((rc = sandbox_landlock_rule(ruleset, abi, &paths[i])) != 0)
			goto done;
	if (syscall(SYS_landlock_restrict_self, ruleset, 0) != 0)
		rc = aims_error_set(AIMS_ERROR, NULL, "cannot apply the Landlock ruleset: %s",
		    strerror(errno));
done:
	close(ruleset);
	return rc;
}

/* ---- seccomp -------------------------------------------------------------- */

/*
 * Allowed whatever their arguments. Left out on purpose, among others:
 * execve, execveat, fork, vfork, ptrace, process_vm_*, bind, listen (the
 * listening socket is open before the filter; socket and connect are
 * allowed below for Internet sockets only), kill,
 * chmod and chown by path, symlink, mknod, mount, chroot, setuid and the
 * other id changes, unshare, setns, bpf, perf_event_open, keyctl,
 * userfaultfd, io_uring_*.
 */
static const char *const sandbox_syscalls[] = {
	/* memory */
	"brk", "munmap", "mremap", "madvise", "mlock", "munlock", "mincore",
	/* threads, signals, time */
	"futex", "set_robust_list", "get_robust_list", "rseq", "set_tid_address",
	"exit", "exit_group", "gettid", "getpid", "getppid", "sched_yield",
	"sched_getaffinity", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn",
	"rt_sigtimedwait", "sigaltstack", "restart_syscall", "nanosleep", "clock_nanosleep",
	"clock_gettime", "clock_getres", "gettimeofday", "time", "getrusage", "getrandom",
	"getuid", "geteuid", "getgid", "getegid", "getresuid", "getresgid", "getgroups",
	"uname", "sysinfo", "prlimit64", "getrlimit", "membarrier",
	/* a ledger verification thread lowers its own CPU priority (http/verify_job.c) */
	"setpriority",
	/* files: the Landlock rules decide which */
	"read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev",
	"lseek", "close", "openat", "open", "fstat", "stat", "lstat", "newfstatat", "statx",
	"statfs", "fstatfs", "access", "faccessat", "faccessat2", "readlink", "readlinkat",
	"getcwd", "getdents64", "fcntl", "flock", "fsync", "fdatasync", "ftruncate",
	"fallocate", "fchmod", "fchown", "umask", "unlink", "unlinkat", "rename", "renameat",
	"renameat2", "link", "linkat", "mkdir", "mkdirat", "dup", "dup2", "dup3",
	"copy_file_range", "fadvise64", "utimensat", "futimesat",
	/* connections on the listening socket, and libmicrohttpd's event loop */
	"accept", "accept4", "recvfrom", "recvmsg", "recvmmsg", "sendto", "sendmsg",
	"sendmmsg", "sendfile", "shutdown", "setsockopt", "getsockopt", "getsockname",
	"getpeername", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_wait",
	"epoll_pwait", "epoll_pwait2", "eventfd", "eventfd2", "pipe", "pipe2", "poll", "ppoll",
	"select", "pselect6",
	NULL,
};

static int
sandbox_seccomp_rules(scmp_filter_ctx ctx)
{
	const char *const *name;
	int nr, rc = 0;

	for (name = sandbox_syscalls; *name != NULL && rc == 0; name++) {
		/* A name this architecture lacks (open on arm64): nothing to allow. */
		if ((nr = seccomp_syscall_resolve_name(*name)) == __NR_SCMP_ERROR)
			continue;
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	}
	if (rc != 0)
		return rc;
	/* Threads only: a clone without CLONE_THREAD is a fork. */
	rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
	    SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
	/* clone3's flags are in memory a filter cannot read: the C library falls back to clone. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	/* No new executable memory: mappings are data. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
		    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
		    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(mmap), 1,
		    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(mprotect), 1,
		    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC));
	/* Signals to this process only (abort, raise). */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
		    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
	/* ioctl: the terminal check of stdio and non-blocking sockets, no other request. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
		    SCMP_A1(SCMP_CMP_EQ, TCGETS));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
		    SCMP_A1(SCMP_CMP_EQ, FIONBIO));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
		    SCMP_A1(SCMP_CMP_EQ, FIONREAD));
	/* prctl: thread names and the dumpable flag, no other option. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
		    SCMP_A0(SCMP_CMP_EQ, PR_SET_NAME));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
		    SCMP_A0(SCMP_CMP_EQ, PR_GET_NAME));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
		    SCMP_A0(SCMP_CMP_EQ, PR_GET_DUMPABLE));
	return rc;
}

/*
 * Sockets, one policy for every use: Internet sockets and connect() are
 * always allowed (an organisation's OpenID provider, webhooks and mail can
 * be configured at any time), and AF_UNIX socket pairs (libcurl wakes its
 * resolver thread over one). Any other family fails with EAFNOSUPPORT
 * instead of ending the process, so the resolver's netlink and nscd probes
 * fall back. With client (the PostgreSQL store), AF_UNIX sockets are
 * allowed too: the database server may be reached over its unix socket,
 * and opened again after a dropped connection. No bind() and no listen():
 * the listening socket is open before the filter.
 */
static int
sandbox_seccomp_sockets(scmp_filter_ctx ctx, bool client)
{
	int family, rc;

	rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
	    SCMP_A0(SCMP_CMP_EQ, AF_INET));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
		    SCMP_A0(SCMP_CMP_EQ, AF_INET6));
	/* The other families: below AF_INET (AF_UNIX unless client), between, above AF_INET6. */
	for (family = 0; rc == 0 && family < AF_INET6; family++) {
		if (family == AF_INET)
			continue;
		rc = seccomp_rule_add(ctx, client && family == AF_UNIX ? SCMP_ACT_ALLOW :
		    SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
		    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)family));
	}
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
		    SCMP_A0(SCMP_CMP_GT, AF_INET6));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socketpair), 1,
		    SCMP_A0(SCMP_CMP_EQ, AF_UNIX));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(connect), 0);
	return rc;
}

int
sandbox_outbound_paths(struct sandbox_config *cfg)
{
	static const char *const paths[] = {
		"/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/gai.conf",
		"/etc/host.conf", "/etc/ssl", "/usr/lib/ssl", "/usr/share/ca-certificates", NULL,
	};
	const char *const *p;
	int rc;

	for (p = paths; *p != NULL; p++)
		if ((rc = sandbox_path_add(cfg, *p, SANDBOX_READ, true)) != 0)
			return rc;
	cfg->outbound = true;
	return 0;
}

/* outbound changes no system call (sockets are one policy); it is kept for the paths. */
static int
sandbox_seccomp_load(bool client, bool outbound)
{
	scmp_filter_ctx ctx;
	int rc, err;

	(void)outbound;
	if ((rc = sandbox_no_new_privs()) != 0)
		return rc;
	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL)
		return aims_error_set(AIMS_ERROR, NULL, "cannot start a seccomp filter");
	/* Another architecture's entry point (i386 on x86_64) is refused the same way. */
	if ((err = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS)) != 0 ||
	    (err = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) != 0 ||
	    (err = sandbox_seccomp_rules(ctx)) != 0 ||
	    (err = sandbox_seccomp_sockets(ctx, client)) != 0 ||
	    (err = seccomp_load(ctx)) != 0) {
		rc = aims_error_set(AIMS_ERROR, NULL, "cannot load the seccomp filter: %s",
		    strerror(-err));
		goto done;
	}
	rc = 0;
done:
	seccomp_release(ctx);
	return rc;
}

int
sandbox_seccomp_apply(void)
{
	return sandbox_seccomp_load(false, false);
}

int
sandbox_seccomp_apply_outbound(bool outbound)
{
	return sandbox_seccomp_load(false, outbound);
}

/* ---- all of it ------------------------------------------------------------ */

int
sandbox_enter(const struct sandbox_config *cfg)
{
	size_t i;
	int rc;

	for (i = 0; i < cfg->npaths; i++)
		if ((rc = sandbox_path_check(&cfg->paths[i])) != 0)
			return rc;
	if ((rc = sandbox_landlock_apply(cfg->paths, cfg->npaths)) < 0)
		return rc;
	if (rc == 1)
		log_warn("this kernel has no Landlock (or it is turned off): file access is not "
		    "restricted; the seccomp filter still applies");
	return sandbox_seccomp_load(cfg->connect, cfg->outbound);
}
