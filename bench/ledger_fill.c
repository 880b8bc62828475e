/*
 * ledger_fill.c - benchmark helper for bench/ledger-verify.sh.
 *
 *   ledger_fill fill DB N [BATCH]   append N entries to org "bench" of DB
 *                                   through ledger_append(), BATCH per
 *                                   transaction (default 10000); creates DB
 *                                   and its key when missing
 *   ledger_fill dump DB FILE        write every entry's bytes to FILE, one
 *                                   per line (the sha256sum baseline)
 *   ledger_fill verify DB [portable] time ledger_verify() in-process
 *                                   (portable: libsodium's SHA-256 even
 *                                   where the CPU has SHA extensions);
 *                                   prints wall and CPU seconds
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/actor.h"
#include "core/org.h"
#include "ledger/ledger.h"
#include "ledger/note.h"
#include "ledger/sha256.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/str.h"

#define FILL_BATCH_DEFAULT	10000
#define FILL_N_MAX		100000000
#define FILL_REFS		50000	/* distinct records the entries touch */
#define FILL_KIND		"bench-record"	/* a kind core has no live records of */

static int
fill_org(int64_t *org_id, struct db *db)
{
	struct actor cli = ACTOR_CLI;

	if (ledger_org_id(org_id, db, "bench") == 0)
		return 0;
	return org_create(org_id, db, &cli, "bench", "Benchmark");
}

static int
fill(const char *path, int64_t n, int64_t batch)
{
	static const char *const actions[] = { "create", "update", "update", "approve" };
	struct ledger_key *key = NULL;
	struct db *db = NULL;
	char ref[32], title[64];
	int64_t i, seq, org_id, t0;
	json_t *rec;
	int rc;

	if ((rc = db_open(&db, path, DB_OPEN_CREATE)) != 0)
		goto done;
	if (ledger_key_load(&key, path) != 0) {
		if ((rc = ledger_key_create(path)) != 0 || (rc = ledger_key_load(&key, path)) != 0)
			goto done;
	}
	ledger_key_use(key);
	if ((rc = fill_org(&org_id, db)) != 0)
		goto done;
	t0 = clock_mono_usec();
	for (i = 0; i < n; i++) {
		if (i % batch == 0 && (rc = db_begin(db)) != 0)
			goto done;
		snprintf(ref, sizeof(ref), "RISK-%lld", (long long)(i % FILL_REFS + 1));
		snprintf(title, sizeof(title), "Model drift in system %lld", (long long)(i % 97));
		rec = json_pack("{s:s, s:s, s:I, s:I, s:s, s:f}", "ref", ref, "title", title,
		    "likelihood", (json_int_t)(i % 5 + 1), "impact", (json_int_t)(i % 4 + 1),
		    "owner", "alice@example.com", "residual", (double)(i % 25) / 4);
		struct ledger_event ev = { org_id, "user:alice@example.com", actions[i % 4],
		    FILL_KIND, ref, i / FILL_REFS + 1, rec };
		rc = ledger_append(&seq, db, &ev);
		json_decref(rec);
		if (rc != 0)
			goto done;
		if ((i + 1) % batch == 0 || i + 1 == n) {
			if ((rc = db_commit(db)) != 0)
				goto done;
		}
	}
	fprintf(stderr, "appended %lld entries in %.2f s\n", (long long)n,
	    (double)(clock_mono_usec() - t0) / 1e6);
done:
	if (rc != 0)
		fprintf(stderr, "ledger_fill: %s\n", aims_error_message());
	if (db && db_in_transaction(db))
		db_rollback(db);
	ledger_key_free(key);
	db_close(db);
	return rc == 0 ? 0 : 1;
}

static int
dump(const char *path, const char *out)
{
	struct db_stmt *st = NULL;
	struct db *db = NULL;
	FILE *f = NULL;
	int64_t bytes = 0, n = 0;
	int rc;

	if ((rc = db_open(&db, path, 0)) != 0 || (f = fopen(out, "w")) == NULL ||
	    (rc = db_prepare(&st, db, "SELECT entry FROM ledger_entries ORDER BY org_id, seq")) != 0)
		goto done;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *e = db_column_text(st, 0);
		size_t len = strlen(e);

		fwrite(e, 1, len, f);
		fputc('\n', f);
		bytes += (int64_t)len + 1;
		n++;
	}
	rc = rc < 0 ? rc : 0;
	printf("%lld %lld\n", (long long)n, (long long)bytes);
done:
	db_done(st);
	if (f && fclose(f) != 0)
		rc = -1;
	if (rc != 0)
		fprintf(stderr, "ledger_fill: %s\n", aims_error_message());
	db_close(db);
	return rc == 0 ? 0 : 1;
}

static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int
verify(const char *path, int portable)
{
	struct ledger_report r;
	struct note_verifier key;
	struct db *db = NULL;
	int64_t t0;
	double c0;
	int rc;

	if (portable)
		sha256_set_hardware(0);
	if ((rc = db_open(&db, path, 0)) != 0 || (rc = ledger_pubkey_load_db(&key, path)) != 0)
		goto done;
	t0 = clock_mono_usec();
	c0 = cpu_seconds();
	rc = ledger_verify(&r, db, LEDGER_ALL_ORGS, &key, NULL, NULL);
	printf("%.3f %.3f %lld %lld %s\n", (double)(clock_mono_usec() - t0) / 1e6,
	    cpu_seconds() - c0, (long long)r.entries, (long long)r.checkpoints,
	    sha256_hardware() ? "sha-extensions" : "libsodium");
done:
	if (rc != 0)
		fprintf(stderr, "ledger_fill: %s\n", aims_error_message());
	db_close(db);
	return rc == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	int64_t n, batch = FILL_BATCH_DEFAULT;

	if (sodium_init() < 0)
		return 1;
	if (argc >= 4 && strcmp(argv[1], "fill") == 0 &&
	    str_to_int64(&n, argv[3], 1, FILL_N_MAX) == 0 &&
	    (argc == 4 || str_to_int64(&batch, argv[4], 1, FILL_N_MAX) == 0))
		return fill(argv[2], n, batch);
	if (argc == 4 && strcmp(argv[1], "dump") == 0)
		return dump(argv[2], argv[3]);
	if ((argc == 3 || (argc == 4 && strcmp(argv[3], "portable") == 0)) &&
	    strcmp(argv[1], "verify") == 0)
		return verify(argv[2], argc == 4);
	fprintf(stderr, "usage: ledger_fill fill DB N [BATCH] | dump DB FILE | "
	    "verify DB [portable]\n");
	return 2;
}
