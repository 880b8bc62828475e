/*
 * test_sandbox.c - unit tests for the confinement of `aims serve`
 * (util/sandbox.c): the seccomp filter is applied in a forked child,
 * which must be killed with SIGSYS by a forbidden call (execve, ptrace,
 * fork, bind), refuse socket families other than the Internet's, and keep working for the calls the server makes; the
 * Landlock ruleset lets a child write only beneath the paths given; the
 * switch to another user is checked and cannot be undone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/error.h"
#include "util/sandbox.h"

/* Exit codes of a child that finished instead of being killed. */
#define CHILD_OK		0
#define CHILD_SETUP_FAILED	10
#define CHILD_CALL_FAILED	11
#define CHILD_NOT_KILLED	12
#define CHILD_NOT_REFUSED	13

typedef void (*child_fn)(void);

/* Runs fn in a forked child; returns its wait status. */
static int
run_child(child_fn fn)
{
	int status = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		fn();
		_exit(CHILD_OK);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void
assert_killed_by_sigsys(int status)
{
	if (WIFEXITED(status))
		fail_msg("the child exited with %d instead of being killed", WEXITSTATUS(status));
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSYS);
}

static void
child_filter(void)
{
	if (sandbox_seccomp_apply() != 0)
		_exit(CHILD_SETUP_FAILED);
}

static void
child_execve(void)
{
	char *const argv[] = { (char *)"true", NULL };
	char *const envp[] = { NULL };

	child_filter();
	execve("/bin/true", argv, envp);
	_exit(CHILD_NOT_KILLED);
}

static void
child_ptrace(void)
{
	child_filter();
	ptrace(PTRACE_TRACEME, 0, NULL, NULL);
	_exit(CHILD_NOT_KILLED);
}

static void
child_fork(void)
{
	child_filter();
	if (fork() == 0)
		_exit(CHILD_NOT_KILLED);
	_exit(CHILD_NOT_KILLED);
}

/*
 * Internet sockets are allowed (single sign-on calls the organisation's
 * provider); other families are refused without killing (the resolver's
 * probes fall back); listening on a new socket (bind) kills.
 */
static void
child_socket(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd;

	child_filter();
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 || socket(AF_INET6, SOCK_DGRAM, 0) < 0)
		_exit(CHILD_CALL_FAILED);
	if (socket(AF_UNIX, SOCK_STREAM, 0) >= 0 || errno != EAFNOSUPPORT ||
	    socket(AF_NETLINK, SOCK_RAW, 0) >= 0 || errno != EAFNOSUPPORT ||
	    socket(AF_PACKET, SOCK_RAW, 0) >= 0 || errno != EAFNOSUPPORT)
		_exit(CHILD_NOT_REFUSED);
	bind(fd, (struct sockaddr *)&a, sizeof(a));
	_exit(CHILD_NOT_KILLED);
}

/* With outgoing connections: IPv4 sockets work, netlink and AF_UNIX are refused, not fatal. */
static void
child_outbound(void)
{
	int fd, pair[2];

	if (sandbox_seccomp_apply_outbound(true) != 0)
		_exit(CHILD_SETUP_FAILED);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 || close(fd) != 0 ||
	    (fd = socket(AF_INET6, SOCK_DGRAM, 0)) < 0 || close(fd) != 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0)
		_exit(CHILD_CALL_FAILED);
	if (socket(AF_NETLINK, SOCK_RAW, 0) >= 0 || errno != EAFNOSUPPORT ||
	    socket(AF_UNIX, SOCK_STREAM, 0) >= 0 || errno != EAFNOSUPPORT)
		_exit(CHILD_NOT_REFUSED);
	_exit(CHILD_OK);
}

static void
child_exec_mapping(void)
{
	void *p;

	child_filter();
	/* Refused (not fatal): a mapping that could run code. */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	_exit(p == MAP_FAILED && errno == EACCES ? CHILD_OK : CHILD_NOT_REFUSED);
}

static void *
thread_main(void *arg)
{
	int *fd = arg;

	return write(*fd, "thread\n", 7) == 7 ? arg : NULL;
}

/* What the server does all day: threads, files, memory, time, randomness. */
static void
child_allowed(void)
{
	char path[] = "sandbox-allowed-XXXXXX", buf[16];
	struct timespec ts;
	pthread_t t;
	void *ret = NULL, *p;
	int fd;

	child_filter();
	if ((fd = mkstemp(path)) < 0 || pthread_create(&t, NULL, thread_main, &fd) != 0 ||
	    pthread_join(t, &ret) != 0 || ret == NULL)
		_exit(CHILD_CALL_FAILED);
	if (lseek(fd, 0, SEEK_SET) != 0 || read(fd, buf, sizeof(buf)) != 7 || fsync(fd) != 0 ||
	    close(fd) != 0 || unlink(path) != 0)
		_exit(CHILD_CALL_FAILED);
	if ((p = malloc(1 << 20)) == NULL || clock_gettime(CLOCK_REALTIME, &ts) != 0 ||
	    getentropy(buf, sizeof(buf)) != 0)
		_exit(CHILD_CALL_FAILED);
	free(p);
	_exit(CHILD_OK);
}

static void
test_seccomp_kills_execve(void **state)
{
	(void)state;
	assert_killed_by_sigsys(run_child(child_execve));
}

static void
test_seccomp_kills_ptrace(void **state)
{
	(void)state;
	assert_killed_by_sigsys(run_child(child_ptrace));
}

static void
test_seccomp_kills_fork(void **state)
{
	(void)state;
	assert_killed_by_sigsys(run_child(child_fork));
}

static void
test_seccomp_inet_sockets_only_and_kills_bind(void **state)
{
	(void)state;
	assert_killed_by_sigsys(run_child(child_socket));
}

static void
test_seccomp_refuses_exec_memory(void **state)
{
	int status = run_child(child_exec_mapping);

	(void)state;
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), CHILD_OK);
}

static void
test_seccomp_allows_server_calls(void **state)
{
	int status = run_child(child_allowed);

	(void)state;
	if (WIFSIGNALED(status))
		fail_msg("killed by signal %d", WTERMSIG(status));
	assert_int_equal(WEXITSTATUS(status), CHILD_OK);
}

/* ---- Landlock ------------------------------------------------------------ */

static bool
can_create(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

	if (fd < 0)
		return false;
	close(fd);
	unlink(path);
	return true;
}

static void
child_landlock(void)
{
	struct sandbox_path paths[] = {
		{ "allowed", SANDBOX_WRITE, false },
		{ "readable", SANDBOX_READ, false },
		{ "missing-optional", SANDBOX_READ, true },
	};
	int fd;

	if (sandbox_landlock_apply(paths, 3) != 0)
		_exit(CHILD_SETUP_FAILED);
	if (!can_create("allowed/new") || mkdir("allowed/sub", 0700) != 0 ||
	    !can_create("allowed/sub/new") ||
	    (fd = open("readable/file", O_RDONLY)) < 0 || close(fd) != 0)
		_exit(CHILD_CALL_FAILED);
	/* Outside the rules, or more than they give: refused. */
	if (can_create("outside/new") || can_create("readable/new") ||
	    open("readable/file", O_WRONLY) >= 0 || open("/etc/hostname", O_RDONLY) >= 0 ||
	    errno != EACCES)
		_exit(CHILD_NOT_REFUSED);
	_exit(CHILD_OK);
}

static void
test_landlock_confines_files(void **state)
{
	int status, fd;

	(void)state;
	if (sandbox_landlock_abi() < 1) {
		print_message("skipped: this kernel has no Landlock (landlock_create_ruleset "
		    "answers no ABI version)\n");
		skip();
	}
	assert_int_equal(mkdir("allowed", 0700), 0);
	assert_int_equal(mkdir("readable", 0700), 0);
	assert_int_equal(mkdir("outside", 0700), 0);
	assert_true((fd = open("readable/file", O_WRONLY | O_CREAT, 0600)) >= 0);
	close(fd);
	status = run_child(child_landlock);
	if (WIFSIGNALED(status))
		fail_msg("killed by signal %d", WTERMSIG(status));
	assert_int_equal(WEXITSTATUS(status), CHILD_OK);
	/* The parent is not confined: only the child applied the rules. */
	assert_true(can_create("outside/new"));
}

static void
test_landlock_missing_path_named(void **state)
{
	struct sandbox_path paths[] = { { "no-such-dir", SANDBOX_WRITE, false } };
	int status;

	(void)state;
	if (sandbox_landlock_abi() < 1) {
		print_message("skipped: this kernel has no Landlock\n");
		skip();
	}
	/* In a child: a ruleset error happens before restrict_self, but no_new_privs sticks. */
	status = 0;
	fflush(NULL);
	if (fork() == 0)
		_exit(sandbox_landlock_apply(paths, 1) == AIMS_ERROR &&
		    strstr(aims_error_message(), "no-such-dir") != NULL ? CHILD_OK :
		    CHILD_CALL_FAILED);
	wait(&status);
	assert_int_equal(WEXITSTATUS(status), CHILD_OK);
}

/* ---- user ---------------------------------------------------------------- */

static void
test_user_drop_refuses_bad_users(void **state)
{
	(void)state;
	assert_int_equal(sandbox_user_drop("no-such-user-of-this-test"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "user");
	assert_non_null(strstr(aims_error_message(), "no-such-user-of-this-test"));
	assert_int_equal(sandbox_user_drop("root"), AIMS_EINVALID);
	assert_non_null(strstr(aims_error_message(), "root"));
	assert_int_equal(sandbox_user_drop("0"), AIMS_EINVALID);
}

static void
child_drop(void)
{
	struct passwd *pw = getpwnam("nobody");

	if (pw == NULL || sandbox_user_drop("nobody") != 0)
		_exit(CHILD_SETUP_FAILED);
	if (getuid() != pw->pw_uid || geteuid() != pw->pw_uid || getgid() != pw->pw_gid ||
	    getegid() != pw->pw_gid)
		_exit(CHILD_CALL_FAILED);
	if (setuid(0) == 0 || seteuid(0) == 0 || setgid(0) == 0)
		_exit(CHILD_NOT_REFUSED);
	_exit(CHILD_OK);
}

static void
test_user_drop_sticks(void **state)
{
	int status;

	(void)state;
	if (geteuid() != 0 || getpwnam("nobody") == NULL) {
		print_message("skipped: switching users needs root and a user 'nobody'\n");
		skip();
	}
	status = run_child(child_drop);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), CHILD_OK);
}

static void
test_user_drop_needs_root(void **state)
{
	int status = 0;

	(void)state;
	if (getpwnam("nobody") == NULL) {
		print_message("skipped: no user 'nobody'\n");
		skip();
	}
	fflush(NULL);
	if (fork() == 0) {
		/* Not root any more (or never): the switch is refused, not half done. */
		if (geteuid() == 0 && sandbox_user_drop("nobody") != 0)
			_exit(CHILD_SETUP_FAILED);
		_exit(sandbox_user_drop("nobody") == AIMS_EINVALID ? CHILD_OK : CHILD_CALL_FAILED);
	}
	wait(&status);
	assert_int_equal(WEXITSTATUS(status), CHILD_OK);
}

static void
test_path_add_limit(void **state)
{
	struct sandbox_config cfg;
	size_t i;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	for (i = 0; i < SANDBOX_PATHS_MAX; i++)
		assert_int_equal(sandbox_path_add(&cfg, "/", SANDBOX_READ, false), 0);
	assert_int_equal(sandbox_path_add(&cfg, "/", SANDBOX_READ, false), AIMS_ETOOBIG);
}

static void
test_seccomp_outbound_sockets(void **state)
{
	int status;

	(void)state;
	status = run_child(child_outbound);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), CHILD_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seccomp_kills_execve),
		cmocka_unit_test(test_seccomp_kills_ptrace),
		cmocka_unit_test(test_seccomp_kills_fork),
		cmocka_unit_test(test_seccomp_outbound_sockets),
		cmocka_unit_test(test_seccomp_inet_sockets_only_and_kills_bind),
		cmocka_unit_test(test_seccomp_refuses_exec_memory),
		cmocka_unit_test(test_seccomp_allows_server_calls),
		cmocka_unit_test(test_landlock_confines_files),
		cmocka_unit_test(test_landlock_missing_path_named),
		cmocka_unit_test(test_user_drop_refuses_bad_users),
		cmocka_unit_test(test_user_drop_sticks),
		cmocka_unit_test(test_user_drop_needs_root),
		cmocka_unit_test(test_path_add_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
