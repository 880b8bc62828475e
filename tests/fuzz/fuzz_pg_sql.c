/*
 * fuzz_pg_sql.c - libFuzzer harness for the SQL text the PostgreSQL store
 * reads: the translation of a statement into PostgreSQL's form
 * (db_pg_translate: placeholders, literals, comments, the SQLite forms it
 * rewrites) and the scan of a migration for SQLite-only forms
 * (db_schema_sqlite_only). Neither may read past the text or lose a byte
 * of a string literal.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out = BUF_INIT;
	char *s = malloc(size + 1);
	int n = 0;

	memcpy(s, data, size);
	s[size] = '\0';
	db_pg_translate(&out, &n, s);
	/* Text without a '?' outside literals comes out whole when it has no SQLite form. */
	if (strchr(s, '?') == NULL && strcasestr(s, "limit") == NULL &&
	    strcasestr(s, "is") == NULL && strstr(s, "MATCH") == NULL && strstr(s, "JOIN") == NULL &&
	    strstr(s, "INDEXED") == NULL && strstr(s, "instr(") == NULL && strlen(s) == size &&
	    strcmp(buf_str(&out), s) != 0)
		abort();
	if (n < 0)
		abort();
	db_schema_sqlite_only(s);
	buf_free(&out);
	free(s);
	return 0;
}
