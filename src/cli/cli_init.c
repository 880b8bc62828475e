/*
 * cli_init.c - 'aims init': create the database, load the catalogs, create
 * the ledger signing key, and optionally a first organisation with its admin
 * and/or the demo organisation. Everything in the database is written in one
 * transaction: a failed init leaves no half-made organisation behind.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/catalog.h"
#include "core/demo.h"
#include "core/member.h"
#include "core/org.h"
#include "core/user.h"
#include "engine/readiness.h"
#include "store/db.h"
#include "util/error.h"

static const char init_usage[] =
    "usage: aims init [--db PATH] [--org SLUG --org-name NAME --admin EMAIL [--password-stdin]]\n"
    "                 [--demo]\n"
    "Creates the database (if missing), loads the catalogs and the ledger key, and\n"
    "optionally an organisation with its first admin.\n"
    "  --org SLUG         organisation to create (a-z, 0-9, '-')\n"
    "  --org-name NAME    its display name (default: the slug)\n"
    "  --admin EMAIL      its first admin (created if new)\n"
    "  --password-stdin   read the admin's password from standard input\n"
    "                     (otherwise one is generated and printed once)\n"
    "  --demo             add the 'demo' organisation with one user per role\n";

#define DEMO_SLUG "demo"

static const struct {
	const char	*email;
	const char	*name;
	enum role	 role;
} demo_users[] = {
	{ "admin@demo.example", "Dana Admin", ROLE_ADMIN },
	{ "manager@demo.example", "Max Manager", ROLE_MANAGER },
	{ "contributor@demo.example", "Cleo Contributor", ROLE_CONTRIBUTOR },
	{ "auditor@demo.example", "Ari Auditor", ROLE_AUDITOR },
	{ "viewer@demo.example", "Vic Viewer", ROLE_VIEWER },
};

struct init_opts {
	const char	*db;
	const char	*org;
	const char	*org_name;
	const char	*admin;
	int		 password_stdin;
	int		 demo;
};

static int
init_admin(struct db *db, const struct init_opts *o, int64_t org_id, char *pw, size_t pwlen,
    int *generated)
{
	struct actor cli = ACTOR_CLI;
	int64_t uid;

	*generated = 0;
	if (user_id_by_email(&uid, db, o->admin) != 0) {
		if (o->password_stdin) {
			if (cli_read_stdin_line(pw, pwlen) != 0)
				return AIMS_EINVALID;
		} else {
			user_generate_password(pw);
			*generated = 1;
		}
		if (user_add(NULL, db, &cli, o->admin, NULL, pw) != 0)
			return aims_error_code();
	}
	return member_add(db, &cli, org_id, o->admin, ROLE_ADMIN);
}

static int
init_demo(struct db *db, char pw[USER_GENERATED_PASSWORD_LEN + 1])
{
	struct actor cli = ACTOR_CLI;
	/* The sample records are the demo manager's work, as the ledger shows. */
	struct actor manager = { 0, "user:manager@demo.example", ROLE_MANAGER };
	int64_t org_id;
	size_t i;
	int rc;

	if (org_id_by_slug(&org_id, db, DEMO_SLUG) == 0)
		return aims_error_set(AIMS_EEXISTS, "org",
		    "the demo organisation already exists in this database");
	if ((rc = org_create(&org_id, db, &cli, DEMO_SLUG, "Demo AI Ltd")) != 0)
		return rc;
	user_generate_password(pw);
	for (i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
		if ((rc = user_add(NULL, db, &cli, demo_users[i].email, demo_users[i].name, pw)) != 0)
			return rc;
		if ((rc = member_add(db, &cli, org_id, demo_users[i].email,
		    demo_users[i].role)) != 0)
			return rc;
	}
	if ((rc = user_id_by_email(&manager.user_id, db, "manager@demo.example")) != 0)
		return rc;
	return demo_seed(db, org_id, &manager);
}

static int
init_demo_readiness(struct db *db)
{
	json_t *r = NULL;
	int64_t org_id;
	int rc;

	if ((rc = org_id_by_slug(&org_id, db, DEMO_SLUG)) != 0 ||
	    (rc = readiness_evaluate(&r, db, org_id, READINESS_SAVE)) != 0)
		return rc;
	json_decref(r);
	return 0;
}

static void
init_print_summary(struct db *db)
{
	struct org_instance_counts n;

	if (org_instance_counts(&n, db) != 0) {
		cli_fail("init");
		return;
	}
	printf("%s: %lld organisation%s, %lld user%s, %lld catalog requirements, "
	    "%lld ledger entries\n", db_path(db), (long long)n.orgs, n.orgs == 1 ? "" : "s",
	    (long long)n.users, n.users == 1 ? "" : "s", (long long)n.requirements,
	    (long long)n.ledger_entries);
}

static int
init_parse(struct init_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "org", required_argument, NULL, 'o' },
		{ "org-name", required_argument, NULL, 'n' },
		{ "admin", required_argument, NULL, 'a' },
		{ "password-stdin", no_argument, NULL, 'p' },
		{ "demo", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->db = cli_default_db();
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o->db = optarg; break;
		case 'o': o->org = optarg; break;
		case 'n': o->org_name = optarg; break;
		case 'a': o->admin = optarg; break;
		case 'p': o->password_stdin = 1; break;
		case 'D': o->demo = 1; break;
		case 'h': fputs(init_usage, stdout); return -1;
		default: return cli_usage_error("init", "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error("init", "unexpected argument '%s'", argv[optind]);
	if ((o->org == NULL) != (o->admin == NULL))
		return cli_usage_error("init", "--org and --admin go together");
	if (o->org_name && !o->org)
		return cli_usage_error("init", "--org-name needs --org");
	if (o->password_stdin && !o->admin)
		return cli_usage_error("init", "--password-stdin needs --admin");
	return 0;
}

int
cmd_init(int argc, char **argv)
{
	char pw[USER_PASSWORD_MAX + 2] = "", demo_pw[USER_GENERATED_PASSWORD_LEN + 1] = "";
	struct actor cli = ACTOR_CLI;
	struct init_opts o;
	struct db *db = NULL;
	int64_t org_id;
	int rc, n, generated = 0;
	size_t i;

	if ((rc = init_parse(&o, argc, argv)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = cli_open_db(&db, o.db, 1)) != CLI_OK)
		return rc;
	if (cli_ensure_key(db, 1) != 0 || db_begin(db) != 0) {
		rc = cli_fail("init");
		goto out;
	}
	if (catalog_load_builtin(db, &n) != 0)
		goto fail;
	if (o.org && (org_create(&org_id, db, &cli, o.org, o.org_name ? o.org_name : o.org) != 0 ||
	    init_admin(db, &o, org_id, pw, sizeof(pw), &generated) != 0))
		goto fail;
	if (o.demo && init_demo(db, demo_pw) != 0)
		goto fail;
	if (db_commit(db) != 0) {
		rc = cli_fail("init");
		goto out;
	}
	/* A first readiness snapshot, so the demo dashboard shows a score at once. */
	if (o.demo && init_demo_readiness(db) != 0) {
		rc = cli_fail("init");
		goto out;
	}
	init_print_summary(db);
	if (o.org)
		printf("organisation '%s' created; admin: %s%s%s\n", o.org, o.admin,
		    generated ? " password: " : "", generated ? pw : "");
	if (o.demo) {
		/* The address is aims serve's to say: make run PORT=N serves elsewhere. */
		printf("demo organisation created. Sign in at the address 'aims serve' prints "
		    "(http://127.0.0.1:8042 by default) as:\n");
		for (i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++)
			printf("  %-26s (%s)\n", demo_users[i].email, role_name(demo_users[i].role));
		printf("  password for all demo users: %s\n"
		    "  (shown once; change with 'aims user passwd EMAIL')\n", demo_pw);
	}
	rc = CLI_OK;
	goto out;
fail:
	rc = cli_fail("init");
	db_rollback(db);
out:
	sodium_memzero(pw, sizeof(pw));
	sodium_memzero(demo_pw, sizeof(demo_pw));
	db_close(db);
	return rc;
}
