/*
 * test_evidence.c - unit tests for evidence records and their files
 * (core/kind_evidence.c, core/evidence.c): the content-addressed store,
 * deduplication, revisions, the type check, nothing left behind on
 * failure, and verification that notices changed and vanished files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/evidence.h"
#include "core/record.h"
#include "record_fixture.h"

#define DATA_DIR "data"
/* SHA-256 of "received evidence\n". */
#define RECEIVED_SHA "5882a4a1a210ee45a265abd2e9e385c05d59dbcc963940f152bb73f1e7892bc0"
/* A well-formed SHA-256 that is not the one of hello.txt. */
#define HELLO_SHA "b0fd2b1e8d5b1fbd53a1f9b7e0a3b16e7bba67e7e6d4b1e64c8b0b3cdcfb0e3e"

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int
count_blobs(void)
{
	char path[512];
	struct dirent *d, *e;
	DIR *top, *sub;
	int n = 0;

	if ((top = opendir(DATA_DIR "/blobs")) == NULL)
		return 0;
	while ((d = readdir(top)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), DATA_DIR "/blobs/%s", d->d_name);
		if ((sub = opendir(path)) == NULL)
			continue;
		while ((e = readdir(sub)) != NULL)
			n += e->d_name[0] != '.';
		closedir(sub);
	}
	closedir(top);
	return n;
}

static int
setup(void **state)
{
	struct db *db = fx_open("evidence.db");

	assert_int_equal(system("rm -rf " DATA_DIR), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "evidence",
	    "{\"title\": \"Model card\", \"kind\": \"file\", \"source\": \"ci\","
	    " \"collected_at\": \"2026-03-01T10:00:00+01:00\", \"valid_until\": \"2027-03-01\","
	    " \"requirements\": [\"A.6.2.7\"]}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "evidence",
	    "{\"title\": \"Copy\", \"kind\": \"file\"}"), 0);
	write_file("hello.txt", "hello evidence\n");
	write_file("other.txt", "other evidence\n");
	*state = db;
	return 0;
}

static int
teardown(void **state)
{
	fx_close(*state);
	return 0;
}

static int
add(json_t **out, struct db *db, const char *ref, const char *path, const char *sha)
{
	struct evidence_upload up = { path, sha, path };

	return evidence_file_add(out, db, DATA_DIR, FX_ORG, &fx_bob, ref, 0, &up);
}

static void
test_evidence__metadata_rules(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL;

	assert_int_equal(record_get(&rec, db, FX_ORG, record_kind_find("evidence"), "EV-1"), 0);
	assert_string_equal(fx_str(rec, "collected_at"), "2026-03-01T09:00:00Z");	/* UTC */
	json_decref(rec);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "evidence",
	    "{\"title\": \"Dashboard\", \"kind\": \"link\"}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "url");
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "evidence",
	    "{\"title\": \"Dashboard\", \"kind\": \"link\", \"url\": \"javascript:alert(1)\"}"),
	    AIMS_EINVALID);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "evidence",
	    "{\"title\": \"Dashboard\", \"kind\": \"link\", \"url\": \"https://grafana.example/d/1\","
	    " \"source\": \"monitoring\"}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "evidence",
	    "{\"title\": \"Old\", \"kind\": \"link\", \"url\": \"https://x.example\","
	    " \"collected_at\": \"2026-03-01T00:00:00Z\", \"valid_until\": \"2025-01-01\"}"),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "valid_until");
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "evidence",
	    "{\"title\": \"x\", \"kind\": \"file\", \"sha256\": \"" HELLO_SHA "\"}"), AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "sha256");
}

static void
test_evidence__store_dedup_revisions(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL, *files = NULL, *meta = NULL;
	char *path = NULL, *blob = NULL;
	struct stat sb;
	const char *sha1;

	assert_int_equal(add(&rec, db, "EV-1", "hello.txt", NULL), 0);
	assert_int_equal(fx_int(rec, "revision"), 1);
	assert_int_equal(fx_int(rec, "size"), 15);
	assert_string_equal(fx_str(rec, "media_type"), "text/plain");
	assert_string_equal(fx_str(rec, "filename"), "hello.txt");
	assert_int_equal(fx_int(rec, "version"), 2);
	sha1 = fx_str(rec, "sha256");
	assert_int_equal(strlen(sha1), 64);
	assert_int_equal(evidence_blob_path(&blob, DATA_DIR, sha1), 0);
	assert_int_equal(stat(blob, &sb), 0);
	assert_int_equal(sb.st_size, 15);
	assert_non_null(strstr(blob, "/blobs/"));
	assert_int_equal(strncmp(strstr(blob, "/blobs/") + 7, sha1, 2), 0);
	/* The same bytes for another evidence record are stored once. */
	assert_int_equal(add(&meta, db, "EV-2", "hello.txt", sha1), 0);
	json_decref(meta);
	assert_int_equal(count_blobs(), 1);
	/* A new revision keeps the old one and its hash. */
	assert_int_equal(add(&meta, db, "EV-1", "other.txt", NULL), 0);
	assert_int_equal(fx_int(meta, "revision"), 2);
	assert_string_not_equal(fx_str(meta, "sha256"), sha1);
	json_decref(meta);
	assert_int_equal(count_blobs(), 2);
	assert_int_equal(evidence_file_list(&files, db, FX_ORG, "EV-1"), 0);
	assert_int_equal(json_array_size(files), 2);
	assert_string_equal(fx_str(json_array_get(files, 0), "sha256"), sha1);
	json_decref(files);
	assert_int_equal(evidence_file_get(&meta, &path, db, DATA_DIR, FX_ORG, "EV-1", 1), 0);
	assert_string_equal(path, blob);
	assert_string_equal(fx_str(meta, "filename"), "hello.txt");
	json_decref(meta);
	free(path);
	assert_int_equal(evidence_file_get(&meta, &path, db, DATA_DIR, FX_ORG, "EV-1", 3),
	    AIMS_ENOTFOUND);
	/* Another organisation sees none of it. */
	assert_int_equal(evidence_file_list(&files, db, FX_OTHER_ORG, "EV-1"), AIMS_ENOTFOUND);
	free(blob);
	json_decref(rec);
}

static void
test_evidence__failures_leave_nothing(void **state)
{
	struct db *db = *state;
	struct evidence_upload up = { "hello.txt", NULL, "hello.txt" };
	json_t *rec = NULL, *files = NULL;

	/* A wrong hash from the uploader. */
	assert_int_equal(add(&rec, db, "EV-1", "hello.txt", HELLO_SHA), AIMS_EINVALID);
	assert_null(rec);
	assert_int_equal(count_blobs(), 0);
	/* A stale version: the blob written for it is removed again. */
	assert_int_equal(evidence_file_add(&rec, db, DATA_DIR, FX_ORG, &fx_bob, "EV-1", 7, &up),
	    AIMS_ESTALE);
	assert_int_equal(count_blobs(), 0);
	assert_int_equal(evidence_file_list(&files, db, FX_ORG, "EV-1"), 0);
	assert_int_equal(json_array_size(files), 0);
	json_decref(files);
	/* Types outside the allow-list. */
	write_file("page.html", "<!DOCTYPE html><html><head><title>x</title></head>"
	    "<body><script>alert(1)</script></body></html>\n");
	assert_int_equal(add(&rec, db, "EV-1", "page.html", NULL), AIMS_EUNSUPPORTED);
	assert_non_null(strstr(aims_error_message(), "text/html"));
	/* Only file evidence has files. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "evidence",
	    "{\"title\": \"Link\", \"kind\": \"link\", \"url\": \"https://x.example\"}"), 0);
	assert_int_equal(add(&rec, db, "EV-3", "hello.txt", NULL), AIMS_ECONFLICT);
	assert_int_equal(add(&rec, db, "EV-9", "hello.txt", NULL), AIMS_ENOTFOUND);
	assert_int_equal(count_blobs(), 0);
	/* A file name with a directory keeps only its last part. */
	up.filename = "../../etc/passwd";
	assert_int_equal(evidence_file_add(&rec, db, DATA_DIR, FX_ORG, &fx_bob, "EV-1", 0, &up), 0);
	assert_string_equal(fx_str(rec, "filename"), "passwd");
	json_decref(rec);
}

/*
 * A received upload (hashed as it arrived, in the data directory) is linked
 * into the store, not copied: the blob is the same inode, read-only, and
 * stays when the upload's own name is removed; a refused one leaves none.
 */
static void
test_evidence__received_upload_linked(void **state)
{
	struct db *db = *state;
	struct evidence_upload up = { DATA_DIR "/uploads/up-1", RECEIVED_SHA, "report.txt", true };
	struct stat a, b;
	json_t *rec = NULL;
	char *blob = NULL;

	assert_int_equal(system("mkdir -p " DATA_DIR "/uploads"), 0);
	write_file(up.path, "received evidence\n");
	/* A stale version: nothing stored, the upload untouched. */
	assert_int_equal(evidence_file_add(&rec, db, DATA_DIR, FX_ORG, &fx_bob, "EV-1", 9, &up),
	    AIMS_ESTALE);
	assert_int_equal(count_blobs(), 0);
	assert_int_equal(stat(up.path, &a), 0);
	assert_int_equal(a.st_nlink, 1);
	assert_int_equal(evidence_file_add(&rec, db, DATA_DIR, FX_ORG, &fx_bob, "EV-1", 0, &up), 0);
	assert_string_equal(fx_str(rec, "sha256"), RECEIVED_SHA);
	assert_int_equal(fx_int(rec, "size"), 18);
	assert_int_equal(evidence_blob_path(&blob, DATA_DIR, RECEIVED_SHA), 0);
	assert_int_equal(stat(up.path, &a), 0);
	assert_int_equal(stat(blob, &b), 0);
	assert_true(a.st_ino == b.st_ino);
	assert_int_equal(b.st_nlink, 2);
	assert_int_equal(b.st_mode & 0777, 0400);
	/* The upload's name goes (as the server removes it); the stored bytes stay and verify. */
	assert_int_equal(unlink(up.path), 0);
	assert_int_equal(stat(blob, &b), 0);
	assert_int_equal(b.st_nlink, 1);
	free(blob);
	json_decref(rec);
	blob = NULL;
	assert_int_equal(evidence_verify_files(&blob, db, DATA_DIR, FX_ORG, true), 0);
}

static void
test_evidence__verify_detects_change_and_loss(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL;
	char *problem = NULL, *blob = NULL;

	assert_int_equal(evidence_verify_files(&problem, db, DATA_DIR, 0, true), 0);
	assert_int_equal(add(&rec, db, "EV-1", "hello.txt", NULL), 0);
	assert_int_equal(evidence_blob_path(&blob, DATA_DIR, fx_str(rec, "sha256")), 0);
	json_decref(rec);
	assert_int_equal(evidence_verify_files(&problem, db, DATA_DIR, 0, true), 0);
	assert_null(problem);
	/* One byte changed. */
	chmod(blob, 0600);
	write_file(blob, "hello evidencE\n");
	assert_int_equal(evidence_verify_files(&problem, db, DATA_DIR, FX_ORG, true), AIMS_EVERIFY);
	assert_non_null(problem);
	assert_non_null(strstr(problem, "EV-1 revision 1 (hello.txt)"));
	assert_non_null(strstr(problem, "changed"));
	free(problem);
	problem = NULL;
	/*
	 * The file gone: missing on SQLite. On PostgreSQL the bytes are in the
	 * database (evidence_chunks) and the file was the server's cache of them.
	 */
	assert_int_equal(unlink(blob), 0);
	if (strcmp(db_backend(db), "postgres") == 0) {
		assert_int_equal(evidence_verify_files(&problem, db, DATA_DIR, 0, true), 0);
		assert_null(problem);
	} else {
		assert_int_equal(evidence_verify_files(&problem, db, DATA_DIR, 0, true),
		    AIMS_EVERIFY);
		assert_non_null(strstr(problem, "missing"));
	}
	free(problem);
	free(blob);
}

/* The finding of record_verify_derived(), or "" when everything matches. */
static const char *
derived_finding(struct db *db)
{
	return record_verify_derived(db, FX_ORG) == AIMS_EVERIFY ? aims_error_message() : "";
}

static void
test_evidence__revisions_are_held_to_their_version(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL;
	int64_t n = -1;

	assert_int_equal(add(&rec, db, "EV-1", "hello.txt", NULL), 0);
	json_decref(rec);
	assert_int_equal(add(&rec, db, "EV-1", "other.txt", NULL), 0);
	json_decref(rec);
	assert_int_equal(add(&rec, db, "EV-2", "hello.txt", NULL), 0);
	json_decref(rec);
	assert_string_equal(derived_finding(db), "");
	/* Who and when are the version's, to the second. */
	assert_int_equal(db_query_int64(&n, db, "SELECT count(*) FROM evidence_files f "
	    "JOIN records r ON r.org_id = f.org_id AND r.kind = 'evidence' AND r.ref = f.evidence_ref "
	    "JOIN record_versions v ON v.org_id = r.org_id AND v.kind = r.kind AND v.num = r.num "
	    "AND v.action = 'file' AND json_extract(v.data, '$.revision') = f.revision "
	    "WHERE f.stored_at = v.at AND f.stored_by = v.actor"), 0);
	assert_int_equal(n, 3);
	/* Revisions and versions are append-only... */
	assert_int_not_equal(db_exec(db, "UPDATE evidence_files SET filename = 'x.pdf'"), 0);
	assert_int_not_equal(db_exec(db, "DELETE FROM evidence_files WHERE revision = 2"), 0);
	assert_int_not_equal(db_exec(db, "UPDATE record_versions SET data = '{}'"), 0);
	assert_int_not_equal(db_exec(db, "DELETE FROM record_versions WHERE kind = 'evidence'"),
	    0);
	/* ...and with the triggers out of the way, each change is named. */
	fx_exec(db, "DROP TRIGGER evidence_files_append_only; DROP TRIGGER evidence_files_no_delete");
	fx_exec(db, "UPDATE evidence_files SET filename = 'clean.pdf' WHERE evidence_ref = 'EV-1' "
	    "AND revision = 1");
	assert_non_null(strstr(derived_finding(db), "evidence EV-1 file revision 1 (clean.pdf): "
	    "its file name differs from version"));
	fx_exec(db, "UPDATE evidence_files SET filename = 'hello.txt', sha256 = (SELECT sha256 "
	    "FROM evidence_files WHERE evidence_ref = 'EV-1' AND revision = 2) "
	    "WHERE evidence_ref = 'EV-1' AND revision = 1");
	assert_non_null(strstr(derived_finding(db), "revision 1 (hello.txt): its SHA-256 differs"));
	fx_exec(db, "UPDATE evidence_files SET sha256 = (SELECT sha256 FROM evidence_files "
	    "WHERE evidence_ref = 'EV-2') WHERE evidence_ref = 'EV-1' AND revision = 1");
	assert_string_equal(derived_finding(db), "");
	fx_exec(db, "UPDATE evidence_files SET stored_by = 'user:eve@example.org' "
	    "WHERE evidence_ref = 'EV-2'");
	assert_non_null(strstr(derived_finding(db), "EV-2 file revision 1 (hello.txt): its "
	    "stored_by differs"));
	fx_exec(db, "UPDATE evidence_files SET stored_by = (SELECT stored_by FROM evidence_files "
	    "WHERE evidence_ref = 'EV-1' AND revision = 1) WHERE evidence_ref = 'EV-2'");
	fx_exec(db, "DELETE FROM evidence_files WHERE evidence_ref = 'EV-1' AND revision = 2");
	assert_non_null(strstr(derived_finding(db), "evidence EV-1 file revision 2 (other.txt), "
	    "recorded by version 3 of the evidence, is missing"));
	fx_exec(db, "INSERT INTO evidence_files SELECT org_id, 'EV-1', 2, sha256, size, media_type, "
	    "filename, stored_at, stored_by FROM evidence_files WHERE evidence_ref = 'EV-2'");
	assert_non_null(strstr(derived_finding(db), "EV-1 file revision 2 (hello.txt): its "));
	fx_exec(db, "INSERT INTO evidence_files SELECT org_id, 'EV-2', 5, sha256, size, media_type, "
	    "'extra.txt', stored_at, stored_by FROM evidence_files WHERE evidence_ref = 'EV-2'");
	fx_exec(db, "DELETE FROM evidence_files WHERE evidence_ref = 'EV-1' AND revision = 2");
	fx_exec(db, "INSERT INTO evidence_files SELECT f.org_id, 'EV-1', 2, "
	    "json_extract(v.data, '$.sha256'), CAST(json_extract(v.data, '$.size') AS BIGINT), "
	    "json_extract(v.data, '$.media_type'), json_extract(v.data, '$.filename'), v.at, v.actor "
	    "FROM evidence_files f JOIN record_versions v ON v.kind = 'evidence' AND v.num = 1 "
	    "AND v.action = 'file' AND json_extract(v.data, '$.revision') = 2 "
	    "WHERE f.evidence_ref = 'EV-2' AND f.revision = 1");
	assert_non_null(strstr(derived_finding(db), "evidence EV-2 file revision 5 (extra.txt) "
	    "was not recorded by any version of the evidence"));
}

/*
 * Rewrites the version that recorded EV-1's file to name the bytes its row
 * now points at (what SQLite's json_set() would do, in C for either store).
 */
static void
forge_file_version(struct db *db)
{
	struct db_stmt *st;
	json_t *data;
	char *sha, *text;
	int64_t size;

	assert_int_equal(db_prepare(&st, db, "SELECT sha256, size FROM evidence_files "
	    "WHERE evidence_ref = 'EV-1'"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	sha = strdup(db_column_text(st, 0));
	size = db_column_int64(st, 1);
	db_done(st);
	assert_int_equal(db_prepare(&st, db, "SELECT data FROM record_versions "
	    "WHERE kind = 'evidence' AND action = 'file' AND num = 1"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_non_null(data = json_loads(db_column_text(st, 0), 0, NULL));
	db_done(st);
	json_object_set_new(data, "sha256", json_string(sha));
	json_object_set_new(data, "size", json_integer(size));
	text = json_dumps(data, JSON_COMPACT);
	assert_int_equal(db_prepare(&st, db, "UPDATE record_versions SET data = ? "
	    "WHERE kind = 'evidence' AND action = 'file' AND num = 1"), 0);
	db_bind_text(st, 1, text);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	free(text);
	free(sha);
	json_decref(data);
}

static void
test_evidence__forged_revision_is_not_served(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL, *meta = NULL;
	char *path = NULL;

	assert_int_equal(add(&rec, db, "EV-1", "hello.txt", NULL), 0);
	json_decref(rec);
	assert_int_equal(add(&rec, db, "EV-2", "other.txt", NULL), 0);
	json_decref(rec);
	assert_int_equal(evidence_file_get(&meta, &path, db, DATA_DIR, FX_ORG, "EV-1", 1), 0);
	json_decref(meta);
	free(path);
	/* The row re-pointed at other stored bytes: refused, not served with their hash. */
	fx_exec(db, "DROP TRIGGER evidence_files_append_only");
	fx_exec(db, "UPDATE evidence_files SET sha256 = (SELECT sha256 FROM evidence_files "
	    "WHERE evidence_ref = 'EV-2'), size = (SELECT size FROM evidence_files "
	    "WHERE evidence_ref = 'EV-2') WHERE evidence_ref = 'EV-1'");
	assert_int_equal(evidence_file_get(&meta, &path, db, DATA_DIR, FX_ORG, "EV-1", 0),
	    AIMS_EVERIFY);
	assert_null(meta);
	assert_null(path);
	assert_non_null(strstr(aims_error_message(), "evidence EV-1 file revision 1 (hello.txt): "
	    "its SHA-256 differs"));
	assert_non_null(strstr(aims_error_message(), "the file is not served"));
	/* The version that recorded it forged to match: the ledger entry still says no. */
	fx_exec(db, "DROP TRIGGER record_versions_append_only");
	forge_file_version(db);
	assert_int_equal(evidence_file_get(&meta, &path, db, DATA_DIR, FX_ORG, "EV-1", 1),
	    AIMS_EVERIFY);
	assert_non_null(strstr(aims_error_message(), "evidence EV-1 version 2 differs from ledger "
	    "entry"));
}

static void
test_evidence__quick_check_reads_sizes_only(void **state)
{
	struct db *db = *state;
	json_t *rec = NULL;
	char *problem = NULL, *blob = NULL;

	assert_int_equal(add(&rec, db, "EV-1", "hello.txt", NULL), 0);
	assert_int_equal(evidence_blob_path(&blob, DATA_DIR, fx_str(rec, "sha256")), 0);
	json_decref(rec);
	chmod(blob, 0600);
	/* Same size, other bytes: only re-hashing sees it. */
	write_file(blob, "hello evidencE\n");
	assert_int_equal(evidence_verify_files(&problem, db, DATA_DIR, 0, false), 0);
	assert_int_equal(evidence_verify_files(&problem, db, DATA_DIR, 0, true), AIMS_EVERIFY);
	free(problem);
	problem = NULL;
	/* Another size is seen either way. */
	write_file(blob, "hello\n");
	assert_int_equal(evidence_verify_files(&problem, db, DATA_DIR, 0, false), AIMS_EVERIFY);
	assert_non_null(strstr(problem, "EV-1 revision 1 (hello.txt)"));
	assert_non_null(strstr(problem, "6 bytes, not 15"));
	free(problem);
	free(blob);
}

/*
 * A name with a bidirectional control character reads as something it is
 * not ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf"): refused, naming
 * the field and the character, whichever front-end sent it.
 */
static void
test_evidence__bidi_names_refused(void **state)
{
	static const char *const bad[] = {
		"invoice\xe2\x80\xae" "fdp.exe",		/* U+202E RIGHT-TO-LEFT OVERRIDE */
		"a\xe2\x80\xaa" ".txt", "a\xe2\x80\xab" ".txt", "a\xe2\x80\xac" ".txt",
		"a\xe2\x80\xad" ".txt", "a\xe2\x81\xa6" ".txt", "a\xe2\x81\xa7" ".txt",
		"a\xe2\x81\xa8" ".txt", "a\xe2\x81\xa9" ".txt", "a\xe2\x80\x8e" ".txt",
		"a\xe2\x80\x8f" ".txt", "a\xd8\x9c" ".txt",
	};
	struct db *db = *state;
	struct evidence_upload up = { "hello.txt", NULL, NULL };
	json_t *rec = NULL;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		up.filename = bad[i];
		assert_int_equal(evidence_file_add(&rec, db, DATA_DIR, FX_ORG, &fx_bob, "EV-1", 0,
		    &up), AIMS_EINVALID);
		assert_string_equal(aims_error_field(), "filename");
		assert_non_null(strstr(aims_error_message(), "bidirectional"));
		assert_null(rec);
	}
	assert_non_null(strstr(aims_error_message(), "U+061C"));
	assert_int_equal(evidence_bidi_control(bad[0]), 0x202e);
	assert_int_equal(evidence_bidi_control("a\xe2\x81\xa9"), 0x2069);
	assert_int_equal(count_blobs(), 0);
	/* Other scripts and marks that are not controls stay allowed. */
	assert_int_equal(evidence_bidi_control("\xd8\xaa\xd9\x82\xd8\xb1\xd9\x8a\xd8\xb1" ".pdf"), 0);
	assert_int_equal(evidence_bidi_control("r\xc3\xa9" "sum\xc3\xa9 \xe2\x80\x94 \xe2\x80\x9cq\xe2\x80\x9d" ".txt"), 0);
	up.filename = "r\xc3\xa9" "sum\xc3\xa9 \xe2\x80\x94 2026.txt";
	assert_int_equal(evidence_file_add(&rec, db, DATA_DIR, FX_ORG, &fx_bob, "EV-1", 0, &up), 0);
	json_decref(rec);
}

static void
touch_old(const char *path, time_t age)
{
	struct timespec ts[2];

	write_file(path, "partial");
	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[0].tv_sec -= age;
	ts[1] = ts[0];
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

/*
 * Temporary files a crash left (nobody holds them) are removed; one a
 * writer holds, one just made, and the stored blobs are not.
 */
static void
test_evidence__temp_files_cleaned(void **state)
{
	json_t *rec = NULL;
	size_t n = 99;
	int fd;

	(void)state;
	assert_int_equal(evidence_temp_clean(&n, "no-such-dir", (int64_t)time(NULL)), 0);
	assert_int_equal(n, 0);
	assert_int_equal(add(&rec, *state, "EV-1", "hello.txt", NULL), 0);
	json_decref(rec);
	assert_int_equal(mkdir(DATA_DIR "/" EVIDENCE_UPLOAD_DIR, 0700), 0);
	touch_old(DATA_DIR "/" EVIDENCE_UPLOAD_DIR "/" EVIDENCE_UPLOAD_PREFIX "crashed", 3600);
	touch_old(DATA_DIR "/blobs/" EVIDENCE_BLOB_TMP_PREFIX "crashed", 3600);
	touch_old(DATA_DIR "/" EVIDENCE_UPLOAD_DIR "/" EVIDENCE_UPLOAD_PREFIX "held", 3600);
	touch_old(DATA_DIR "/" EVIDENCE_UPLOAD_DIR "/" EVIDENCE_UPLOAD_PREFIX "fresh", 0);
	touch_old(DATA_DIR "/" EVIDENCE_UPLOAD_DIR "/other-file", 3600);
	fd = open(DATA_DIR "/" EVIDENCE_UPLOAD_DIR "/" EVIDENCE_UPLOAD_PREFIX "held", O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(evidence_temp_hold(fd), 0);
	assert_int_equal(evidence_temp_clean(&n, DATA_DIR,
	    (int64_t)time(NULL) - EVIDENCE_TEMP_GRACE_SEC), 0);
	assert_int_equal(n, 2);
	assert_int_equal(access(DATA_DIR "/" EVIDENCE_UPLOAD_DIR "/" EVIDENCE_UPLOAD_PREFIX "crashed",
	    F_OK), -1);
	assert_int_equal(access(DATA_DIR "/blobs/" EVIDENCE_BLOB_TMP_PREFIX "crashed", F_OK), -1);
	assert_int_equal(access(DATA_DIR "/" EVIDENCE_UPLOAD_DIR "/" EVIDENCE_UPLOAD_PREFIX "held",
	    F_OK), 0);
	assert_int_equal(access(DATA_DIR "/" EVIDENCE_UPLOAD_DIR "/" EVIDENCE_UPLOAD_PREFIX "fresh",
	    F_OK), 0);
	assert_int_equal(access(DATA_DIR "/" EVIDENCE_UPLOAD_DIR "/other-file", F_OK), 0);
	assert_int_equal(count_blobs(), 1);
	/* Once its writer is gone, the held one goes too. */
	close(fd);
	assert_int_equal(evidence_temp_clean(&n, DATA_DIR,
	    (int64_t)time(NULL) - EVIDENCE_TEMP_GRACE_SEC), 0);
	assert_int_equal(n, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_evidence__metadata_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evidence__bidi_names_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evidence__temp_files_cleaned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evidence__store_dedup_revisions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evidence__failures_leave_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evidence__received_upload_linked, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_evidence__verify_detects_change_and_loss, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_evidence__revisions_are_held_to_their_version,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_evidence__quick_check_reads_sizes_only, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_evidence__forged_revision_is_not_served, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
