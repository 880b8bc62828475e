/*
 * cli_ledger.c - 'aims ledger list|proof' and 'aims verify': show a log,
 * export an inclusion proof, verify every log or a proof offline.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/evidence.h"
#include "io/pack.h"
#include "ledger/ledger.h"
#include "ledger/note.h"
#include "store/db.h"
#include "util/error.h"
#include "util/str.h"

#define LEDGER_LIST_DEFAULT	100
#define LEDGER_LIST_MAX		1000000

static const char ledger_usage[] =
    "usage: aims ledger COMMAND [options]\n"
    "The per-organisation audit log: every change, hash-chained and signed.\n";

static const char list_usage[] =
    "usage: aims ledger list --org SLUG [--limit N] [--format text|json|csv] [--db PATH]\n"
    "       aims ledger list --instance [...]\n"
    "Lists the newest entries of an organisation's log (or the instance log).\n"
    "  --org SLUG     the organisation\n"
    "  --instance     the instance log (users) instead\n"
    "  --limit N      at most N entries (default 100; 0 for all)\n"
    "  --format F     text (default), json or csv\n"
    "  --db PATH      database file (default $AIMS_DB or ./aims.db)\n";

static const char proof_usage[] =
    "usage: aims ledger proof --org SLUG --seq N [--out FILE] [--db PATH]\n"
    "       aims ledger proof --instance --seq N [...]\n"
    "Writes an inclusion proof of entry N against the log's latest signed checkpoint:\n"
    "the entry, its audit path, the checkpoint and the public key, as JSON that\n"
    "'aims verify --proof FILE' checks without the database.\n"
    "  --org SLUG     the organisation\n"
    "  --instance     the instance log (users) instead\n"
    "  --seq N        the entry\n"
    "  --out FILE     write to FILE instead of standard output\n"
    "  --db PATH      database file (default $AIMS_DB or ./aims.db)\n";

static const char verify_usage[] =
    "usage: aims verify [--org SLUG] [--key FILE] [--no-file-hashes] [--db PATH]\n"
    "       aims verify --proof FILE [--key FILE]\n"
    "       aims verify --pack FILE [--key FILE]\n"
    "Recomputes every organisation's log (or one) from its entries and checks it\n"
    "against the signed checkpoints; checks every record's current state and every\n"
    "stored version against the entry that wrote it, the columns, counts and\n"
    "indexes derived from records, every evidence file revision against the\n"
    "evidence version that recorded it, every stored evidence file against its\n"
    "SHA-256, and that the tables' protective triggers are in place. Prints one\n"
    "line and exits 0 when everything verifies, or names the first thing that does\n"
    "not and exits 1.\n"
    "  --org SLUG        only this organisation\n"
    "  --key FILE        the public key to trust (default: the database's PATH.pub)\n"
    "  --no-file-hashes  do not re-read stored evidence files: check only that each\n"
    "                    is there with its recorded size (quicker on a large store)\n"
    "  --proof FILE      check an inclusion proof from 'aims ledger proof' offline\n"
    "  --pack FILE       check an audit pack from 'aims pack' offline: every file\n"
    "                    hash, every record against its commitment, every proof and\n"
    "                    checkpoint signature (against --key when given)\n"
    "  --db PATH         database file (default $AIMS_DB or ./aims.db)\n";

/* Options shared by list and proof: which log. */
struct log_opts {
	const char	*db_path;
	const char	*org;
	int		 instance;
};

static int
cli_log_org(int64_t *out, struct db *db, const struct log_opts *o)
{
	if (o->instance) {
		*out = LEDGER_INSTANCE_ORG;
		return 0;
	}
	return ledger_org_id(out, db, o->org);
}

static int
cli_log_check(const char *cmd, const struct log_opts *o)
{
	if ((o->org == NULL) == (o->instance == 0))
		return cli_usage_error(cmd, "give exactly one of --org SLUG and --instance");
	return CLI_OK;
}

static int
list_row(void *arg, const struct ledger_entry *e)
{
	char seq[24], version[24];
	const char *row[8];

	snprintf(seq, sizeof(seq), "%lld", (long long)e->seq);
	snprintf(version, sizeof(version), "%lld", (long long)e->version);
	row[0] = seq;
	row[1] = e->time;
	row[2] = e->actor;
	row[3] = e->action;
	row[4] = e->kind;
	row[5] = e->ref;
	row[6] = version;
	row[7] = e->commitment ? e->commitment : "";
	cli_table_add(arg, row);
	return 0;
}

static int
cmd_ledger_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "org", required_argument, NULL, 'o' },
		{ "instance", no_argument, NULL, 'i' },
		{ "limit", required_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const cols[] = {
		"seq", "time", "actor", "action", "kind", "ref", "version", "commitment",
	};
	struct log_opts o = { cli_default_db(), NULL, 0 };
	enum cli_format fmt = CLI_FORMAT_TEXT;
	struct cli_table *t = NULL;
	struct db *db = NULL;
	int64_t limit = LEDGER_LIST_DEFAULT, org_id;
	int c, rc = CLI_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o.db_path = optarg; break;
		case 'o': o.org = optarg; break;
		case 'i': o.instance = 1; break;
		case 'l':
			if (str_to_int64(&limit, optarg, 0, LEDGER_LIST_MAX) != 0)
				return cli_usage_error("ledger list", "--limit must be 0 to %d",
				    LEDGER_LIST_MAX);
			break;
		case 'f':
			if (cli_parse_format(&fmt, optarg) != 0)
				return cli_usage_error("ledger list", "%s", aims_error_message());
			break;
		case 'h': fputs(list_usage, stdout); return CLI_OK;
		default: return cli_usage_error("ledger list", "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error("ledger list", "unexpected argument '%s'", argv[optind]);
	if (cli_log_check("ledger list", &o) != CLI_OK)
		return CLI_USAGE;
	if (cli_open_db(&db, o.db_path, 0) != CLI_OK)
		return CLI_FAIL;
	t = cli_table_new(8, cols);
	if (cli_log_org(&org_id, db, &o) != 0 || ledger_list(db, org_id, limit, list_row, t) != 0) {
		rc = cli_fail("ledger list");
		goto done;
	}
	cli_table_print(t, fmt, stdout);
	rc = CLI_OK;
done:
	cli_table_free(t);
	db_close(db);
	return rc;
}

static int
cmd_ledger_proof(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "org", required_argument, NULL, 'o' },
		{ "instance", no_argument, NULL, 'i' },
		{ "seq", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'O' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct log_opts o = { cli_default_db(), NULL, 0 };
	struct note_verifier key;
	const char *out_path = NULL;
	struct db *db = NULL;
	json_t *proof = NULL;
	int64_t seq = 0, org_id;
	int c, rc = CLI_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o.db_path = optarg; break;
		case 'o': o.org = optarg; break;
		case 'i': o.instance = 1; break;
		case 's':
			if (str_to_int64(&seq, optarg, 1, INT64_MAX) != 0)
				return cli_usage_error("ledger proof", "--seq must be a positive number");
			break;
		case 'O': out_path = optarg; break;
		case 'h': fputs(proof_usage, stdout); return CLI_OK;
		default: return cli_usage_error("ledger proof", "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error("ledger proof", "unexpected argument '%s'", argv[optind]);
	if (cli_log_check("ledger proof", &o) != CLI_OK)
		return CLI_USAGE;
	if (seq == 0)
		return cli_usage_error("ledger proof", "--seq N is required");
	if (cli_open_db(&db, o.db_path, 0) != CLI_OK)
		return CLI_FAIL;
	if (ledger_pubkey_load_db(&key, o.db_path) != 0 || cli_log_org(&org_id, db, &o) != 0 ||
	    ledger_proof(&proof, db, org_id, seq, &key) != 0) {
		rc = cli_fail("ledger proof");
		goto done;
	}
	if (out_path ? json_dump_file(proof, out_path, JSON_INDENT(2)) != 0 :
	    json_dumpf(proof, stdout, JSON_INDENT(2)) != 0) {
		aims_error_set(AIMS_ERROR, NULL, "cannot write %s", out_path ? out_path : "the proof");
		rc = cli_fail("ledger proof");
		goto done;
	}
	if (!out_path)
		fputc('\n', stdout);
	rc = CLI_OK;
done:
	json_decref(proof);
	db_close(db);
	return rc;
}

int
cmd_ledger(int argc, char **argv)
{
	static const struct cli_command subs[] = {
		{ "list", "list the newest entries of a log", cmd_ledger_list },
		{ "proof", "export an inclusion proof of one entry", cmd_ledger_proof },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch("ledger", subs, argc, argv, ledger_usage);
}

static int
verify_proof_file(const char *path, const char *key_path)
{
	struct note_verifier pin;
	char summary[LEDGER_REPORT_MAX];
	json_error_t jerr;
	json_t *proof;
	int rc;

	if (key_path && ledger_pubkey_load(&pin, key_path) != 0)
		return cli_fail("verify");
	if ((proof = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
		aims_error_set(AIMS_EINVALID, "proof", "cannot read proof %s: %s (line %d)", path,
		    jerr.text, jerr.line);
		return cli_fail("verify");
	}
	rc = ledger_proof_verify(summary, proof, key_path ? &pin : NULL);
	json_decref(proof);
	if (rc != 0)
		return cli_fail("verify: the proof does not verify");
	printf("proof verified: %s%s\n", summary, key_path ? "" :
	    " (the key is the one the proof carries: pass --key to pin it)");
	return CLI_OK;
}

static int
verify_pack_file(const char *path, const char *key_path)
{
	struct pack_report r;
	struct note_verifier pin;

	if (key_path && ledger_pubkey_load(&pin, key_path) != 0)
		return cli_fail("verify");
	if (pack_verify_file(&r, path, key_path ? &pin : NULL) != 0)
		return cli_fail("verify: the pack does not verify");
	printf("pack verified: %s, %lld record version%s, %lld evidence file%s, %lld "
	    "checkpoint%s of a log of %llu entries, %lld files, signed by key %s%s\n",
	    r.org[0] ? r.org : "(no org)", (long long)r.stats.records,
	    r.stats.records == 1 ? "" : "s", (long long)r.stats.evidence,
	    r.stats.evidence == 1 ? "" : "s", (long long)r.stats.checkpoints,
	    r.stats.checkpoints == 1 ? "" : "s", (unsigned long long)r.stats.tree_size,
	    (long long)r.stats.files, r.key, key_path ? "" :
	    " (the key is the one the pack carries: pass --key to pin it)");
	return CLI_OK;
}

static void
verify_print(const struct ledger_report *r, int all, int rehash)
{
	if (all)
		printf("verified %lld organisation%s%s: ", (long long)r->orgs,
		    r->orgs == 1 ? "" : "s", r->instance ? " and the instance log" : "");
	else
		printf("verified: ");
	printf("%lld entr%s, %lld checkpoint%s", (long long)r->entries,
	    r->entries == 1 ? "y" : "ies", (long long)r->checkpoints,
	    r->checkpoints == 1 ? "" : "s");
	if (r->records_checked)
		printf(", %lld record%s, %lld version%s%s\n", (long long)r->records,
		    r->records == 1 ? "" : "s", (long long)r->versions,
		    r->versions == 1 ? "" : "s", rehash ? "" :
		    "; evidence files were not re-hashed (--no-file-hashes)");
	else
		printf("; records were not compared (no record source in this build)\n");
}

int
cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "org", required_argument, NULL, 'o' },
		{ "key", required_argument, NULL, 'k' },
		{ "proof", required_argument, NULL, 'p' },
		{ "pack", required_argument, NULL, 'P' },
		{ "no-file-hashes", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = cli_default_db(), *org = NULL, *key_path = NULL, *proof = NULL;
	const char *pack = NULL;
	int rehash = 1;
	struct ledger_report report;
	struct note_verifier key;
	ledger_load_fn load;
	ledger_enum_fn enumerate;
	struct db *db = NULL;
	int64_t org_id = LEDGER_ALL_ORGS;
	char *data_dir = NULL, *problem = NULL;
	int c, rc = CLI_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'o': org = optarg; break;
		case 'k': key_path = optarg; break;
		case 'p': proof = optarg; break;
		case 'P': pack = optarg; break;
		case 'n': rehash = 0; break;
		case 'h': fputs(verify_usage, stdout); return CLI_OK;
		default: return cli_usage_error("verify", "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error("verify", "unexpected argument '%s'", argv[optind]);
	if ((proof || pack) && org)
		return cli_usage_error("verify", "--%s is checked without the database: drop --org",
		    proof ? "proof" : "pack");
	if (proof && pack)
		return cli_usage_error("verify", "give --proof or --pack, not both");
	if (proof)
		return verify_proof_file(proof, key_path);
	if (pack)
		return verify_pack_file(pack, key_path);
	if (cli_open_db(&db, path, 0) != CLI_OK)
		return CLI_FAIL;
	if ((key_path ? ledger_pubkey_load(&key, key_path) : ledger_pubkey_load_db(&key, path)) != 0 ||
	    (org && ledger_org_id(&org_id, db, org) != 0)) {
		rc = cli_fail("verify");
		goto done;
	}
	ledger_record_source(&load, &enumerate);
	/* Lookups planned on fresh statistics (db.h); a verify without them still runs. */
	if (db_refresh_statistics(db) != 0)
		fprintf(stderr, "aims: verify: the database's statistics were not refreshed (%s): "
		    "this may be slow\n", aims_error_message());
	if (ledger_verify(&report, db, org_id, &key, load, enumerate) != 0) {
		rc = cli_fail("verify");
		goto done;
	}
	/*
	 * Evidence files: every stored revision is there with its size and, by
	 * default, re-hashed; the first changed or gone is named. Re-hashing
	 * reads the whole store, so a routine check may skip it.
	 */
	evidence_data_dir(&data_dir, path);
	if (evidence_verify_files(&problem, db, data_dir, org ? org_id : 0, rehash) != 0) {
		rc = cli_fail("verify");
		goto done;
	}
	verify_print(&report, org == NULL, rehash);
	rc = CLI_OK;
done:
	free(problem);
	free(data_dir);
	db_close(db);
	return rc;
}
