/*
 * test_store_copy.c - unit tests for moving organisations between stores
 * (src/core/store_copy.c) beyond what pg_servers.test.mjs checks end to end:
 * what is sealed with the source's key opens on the target.
 *
 * The source is a SQLite file ("./" keeps it one under make test-pg); the
 * target is a SQLite file, or a PostgreSQL schema under make test-pg.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "core/seal.h"
#include "core/store_copy.h"
#include "core/webhook.h"
#include "record_fixture.h"

static void
test_store_copy__webhook_secrets_open_on_the_target(void **state)
{
	struct store_copy_stats stats;
	struct db *src, *dst = NULL;
	json_t *w = NULL, *ev = fx_json("[\"*\"]");
	char *url = NULL, *secret = NULL;
	struct buf sealed = BUF_INIT;
	int64_t id;

	(void)state;
	src = fx_open("./src.db");
	assert_string_equal(db_backend(src), "sqlite");
	assert_int_equal(webhook_create(&w, src, FX_ORG, &fx_carol, "https://x.example/h", ev), 0);
	id = json_integer_value(json_object_get(w, "id"));
	/* The target has a seal key of its own already: the secrets are sealed again for it. */
	unlink("dst.db");
	unlink("dst.db.seal");
	assert_int_equal(db_open(&dst, "dst.db", DB_OPEN_CREATE), 0);
	assert_int_equal(seal_bytes(&sealed, dst, "x", 1), 0);
	buf_free(&sealed);
	assert_int_equal(webhook_target(&url, &secret, src, FX_ORG, id), 0);
	free(url);
	free(secret);
	assert_int_equal(store_copy(&stats, dst, src, 0), 0);
	assert_true(stats.rows > 0);
	assert_int_equal(webhook_target(&url, &secret, dst, FX_ORG, id), 0);
	assert_string_equal(url, "https://x.example/h");
	assert_string_equal(secret, json_string_value(json_object_get(w, "secret")));
	free(url);
	free(secret);
	/* Sealed again, not copied: the stored bytes differ. */
	assert_int_equal(testutil_rows_holding(dst, "SELECT secret_sealed FROM webhooks", "whsec_"),
	    0);
	db_close(dst);
	fx_close(src);
	json_decref(w);
	json_decref(ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_copy__webhook_secrets_open_on_the_target),
	};

	return cmocka_run_group_tests_name("store_copy", tests, NULL, NULL);
}
