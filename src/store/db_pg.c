/*
 * db_pg.c - the PostgreSQL backend of db.h (libpq).
 *
 * The SQL above the store is written once (db.h): '?' placeholders, which
 * become $1, $2...; "?N" becomes $N. A handful of SQLite forms that the
 * code uses are translated here, once per statement (statements are
 * cached per connection, so the cost is paid at the first prepare):
 *
 *   LIMIT -1                 LIMIT ALL
 *   INDEXED BY name          (nothing: the planner chooses)
 *   CROSS JOIN t ON ...      JOIN t ON ... (SQLite's join-order hint)
 *   a IS NOT b (b not NULL)  a IS DISTINCT FROM b
 *   records_fts MATCH ?      records_fts.tsv @@ aims_fts_query(?)
 *   instr(a, b)              strpos(a, b) (text: the same 1-based position, 0 if absent)
 *   BEGIN IMMEDIATE          BEGIN, then the store's write lock
 *   BEGIN (a read scope)     BEGIN ISOLATION LEVEL REPEATABLE READ (one snapshot)
 *   PRAGMA ...               nothing
 *
 * db_exec() text other than those is schema (migrations), written for
 * PostgreSQL already (schema/pg/), and runs as it is.
 *
 * Functions with SQLite's names and meaning (json_extract, json_type,
 * json_each, typeof) and the NOCASE collation are created by the PostgreSQL
 * form of the first migration (schema/pg/001_tenancy.sql).
 *
 * Statements are prepared on the server (PQprepare) under a name of their
 * own, with the parameter types left to the server to infer; results come
 * back as text, bytea as its hex form decoded on demand.
 *
 * Writers: BEGIN IMMEDIATE takes a transaction-scoped advisory lock, so
 * writers queue as they do on one SQLite file, whichever server they come
 * from; the ledger also locks its organisation's log head (db_lock_org()).
 * A write of named organisations (db_begin_orgs()) takes that lock shared
 * and each organisation's log-head lock at once: writers of different
 * organisations run in parallel, writers of one queue.
 *
 * A dropped connection is reset and the statement retried once, unless a
 * transaction was open: its work is gone with the session, so the caller
 * is told it failed (and rolls back), never that part of it was applied.
 */
#include <ctype.h>
#include <inttypes.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

#define PG_PARAMS_MAX		1100	/* above SQLB_BINDS_MAX */
#define PG_STR_(x)		#x
#define PG_STR(x)		PG_STR_(x)
/*
 * "could not determine data type of parameter": 42P08 when its uses
 * disagree ("? IS NULL OR col = ?"), 42P18 when no use says (a parameter
 * only tested with IS NULL). Either way its type comes from the value bound.
 */
#define PG_AMBIGUOUS_PARAM	"42P08"
#define PG_INDETERMINATE_TYPE	"42P18"
#define PG_OID_INT8		20
#define PG_OID_TEXT		25
#define PG_OID_BYTEA		17
#define PG_OID_JSONB		3802
#define PG_STMT_NAME_MAX	32
/* The key of the store-wide write lock (pg_advisory_xact_lock(int8)): "AIMSWRIT". */
#define PG_WRITE_LOCK_KEY	INT64_C(0x41494d5357524954)
/* The class of the per-organisation ledger head locks (two-int form). */
#define PG_LEDGER_LOCK_CLASS	0x41494d4c	/* "AIML" */

struct pg_conn {
	PGconn		*pc;
	char		*url;
	uint64_t	 generation;	/* bumped at each reconnect: prepared names are gone */
	uint64_t	 next_name;
	bool		 in_tx;		/* a BEGIN ran and no COMMIT/ROLLBACK yet */
};

struct pg_stmt {
	struct pg_conn	*c;
	char		*sql;		/* translated */
	char		 name[PG_STMT_NAME_MAX];
	uint64_t	 generation;	/* of the connection it was prepared on */
	int		 nparams;
	bool		 writes;
	bool		 late;		/* types taken from the first values bound */
	bool		 typed;		/* prepared with the types in types[] */
	Oid		*types;
	Oid		*ptypes;	/* the parameter types the server inferred */
	bool		*ints;		/* parameter bound as an integer */
	char		**vals;
	int		*lens;
	int		*fmts;
	PGresult	*res;
	int		 row;		/* current row, -1 before the first step */
	int		 nrows;
	unsigned char	**blobs;	/* decoded bytea of the current row, per column */
	size_t		*bloblens;
	char		**texts;	/* decoded jsonb strings of the current row */
};

static int pg_exec_once(struct pg_conn *c, const char *sql);

/* Maps a failed result (or a connection without one) to an AIMS_E* code. */
static int
pg_error(struct pg_conn *c, const PGresult *res, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(c->pc);
	char text[AIMS_ERROR_MSG_MAX];
	size_t n;

	snprintf(text, sizeof(text), "%s", msg && *msg ? msg : "connection lost");
	n = strlen(text);
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
	if (state && strcmp(state, "23505") == 0)
		return aims_error_set(AIMS_EEXISTS, NULL, "%s: already exists (%s)", what, text);
	/* Constraints and the append-only triggers' RAISE EXCEPTION: as SQLite's ABORT. */
	if (state && (strncmp(state, "23", 2) == 0 || strcmp(state, "P0001") == 0))
		return aims_error_set(AIMS_ECONFLICT, NULL, "%s: %s", what, text);
	return aims_error_set(AIMS_ERROR, NULL, "%s: %s", what, text);
}

static bool
pg_word_at(const char *p, const char *word)
{
	size_t n = strlen(word);

	return strncasecmp(p, word, n) == 0 && !isalnum((unsigned char)p[n]) && p[n] != '_';
}

/*
 * Translates the SQL of db.h into PostgreSQL's (see the top of this file):
 * string literals, quoted names and comments are copied as they are.
 */
void
db_pg_translate(struct buf *out, int *nparams, const char *sql)
{
	const char *p = sql, *q;
	int n = 0, v;
	bool word_start = true;

	while (*p) {
		if (*p == '\'' || *p == '"') {
			char quote = *p;

			buf_putc(out, *p++);
			while (*p && *p != quote)
				buf_putc(out, *p++);
			if (*p)
				buf_putc(out, *p++);
			word_start = true;
			continue;
		}
		if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				buf_putc(out, *p++);
			continue;
		}
		if (*p == '?') {
			p++;
			if (isdigit((unsigned char)*p)) {
				v = (int)strtol(p, (char **)&q, 10);
				p = q;
			} else
				v = ++n;
			if (v > *nparams)
				*nparams = v;
			buf_printf(out, "$%d", v);
			word_start = true;
			continue;
		}
		if (word_start && pg_word_at(p, "LIMIT") && strncmp(p + 5, " -1", 3) == 0 &&
		    !isdigit((unsigned char)p[8])) {
			buf_puts(out, "LIMIT ALL");
			p += 8;
			continue;
		}
		if (word_start && pg_word_at(p, "IS") && strncasecmp(p + 2, " NOT ", 5) == 0 &&
		    !pg_word_at(p + 7, "NULL")) {
			buf_puts(out, "IS DISTINCT FROM ");
			p += 7;
			continue;
		}
		if (word_start && strncmp(p, "CROSS JOIN ", 11) == 0) {
			/* SQLite's join-order hint, always with an ON here. */
			buf_puts(out, "JOIN ");
			p += 11;
			continue;
		}
		if (word_start && strncmp(p, "INDEXED BY ", 11) == 0) {
			/* SQLite's index hint: PostgreSQL's planner chooses by itself. */
			p += 11;
			while (isalnum((unsigned char)*p) || *p == '_')
				p++;
			continue;
		}
		if (word_start && strncmp(p, "instr(", 6) == 0) {
			buf_puts(out, "strpos(");
			p += 6;
			continue;
		}
		if (word_start && strncmp(p, "records_fts MATCH ", 18) == 0) {
			buf_puts(out, "records_fts.tsv @@ aims_fts_query(");
			p += 18;
			/* the operand: one placeholder */
			if (*p == '?') {
				p++;
				buf_printf(out, "$%d)", ++n);
				if (n > *nparams)
					*nparams = n;
			} else
				buf_putc(out, ')');
			continue;
		}
		word_start = !(isalnum((unsigned char)*p) || *p == '_' || *p == '.' || *p == '$');
		buf_putc(out, *p++);
	}
}

/* Does the statement change the database? (its first word, or a data-changing CTE) */
static bool
pg_sql_writes(const char *sql)
{
	const char *p = sql;

	while (isspace((unsigned char)*p) || *p == '(')
		p++;
	if (pg_word_at(p, "SELECT") || pg_word_at(p, "VALUES"))
		return false;
	if (pg_word_at(p, "WITH"))
		return strstr(p, "INSERT ") || strstr(p, "UPDATE ") || strstr(p, "DELETE ");
	return true;
}

static int
pg_connect(struct pg_conn *c)
{
	PGresult *res;

	if (c->pc)
		PQfinish(c->pc);
	c->pc = PQconnectdb(c->url);
	c->generation++;
	c->in_tx = false;
	if (PQstatus(c->pc) != CONNECTION_OK)
		return aims_error_set(AIMS_ERROR, "db", "cannot connect to PostgreSQL: %s",
		    PQerrorMessage(c->pc));
	/*
	 * The session speaks UTF-8; a writer waits for the write lock as long
	 * as SQLite's busy timeout, then fails instead of waiting for ever.
	 */
	res = PQexec(c->pc, "SET client_encoding = 'UTF8'; SET client_min_messages = warning; "
	    "SET lock_timeout = " PG_STR(DB_BUSY_TIMEOUT_MS));
	PQclear(res);
	return 0;
}

static int
pg_open(void **out, const char *path, int flags)
{
	struct pg_conn *c = xcalloc(1, sizeof(*c));
	int rc;

	(void)flags;	/* the database exists or not: creating one is the operator's */
	*out = NULL;
	c->url = xstrdup(path);
	if ((rc = pg_connect(c)) != 0) {
		PQfinish(c->pc);
		free(c->url);
		free(c);
		return rc;
	}
	*out = c;
	return 0;
}

static void
pg_close(void *conn)
{
	struct pg_conn *c = conn;

	PQfinish(c->pc);
	free(c->url);
	free(c);
}

/* After a failure: was it the connection? Then reconnect (the caller decides on retrying). */
static bool
pg_lost(struct pg_conn *c)
{
	if (PQstatus(c->pc) == CONNECTION_OK)
		return false;
	pg_connect(c);
	return true;
}

/*
 * Which parameters are jsonb: a value bound to one is written as JSON
 * (record_fields.value keeps integers and text apart, as SQLite does with
 * a column of no declared type: schema/pg/010_records.sql).
 */
static int
pg_describe(struct pg_stmt *s)
{
	PGresult *res;
	int i, n;

	if (s->nparams == 0)
		return 0;
	res = PQdescribePrepared(s->c->pc, s->name);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		int rc = pg_error(s->c, res, "SQL error");

		PQclear(res);
		return rc;
	}
	n = PQnparams(res);
	for (i = 0; i < n && i < s->nparams; i++)
		s->ptypes[i] = PQparamtype(res, i);
	PQclear(res);
	return 0;
}

/*
 * Prepares s on the server. types NULL: the server infers every parameter's
 * type from the statement. Where it cannot ("? IS NULL OR col = ?" as the
 * first use), the statement is prepared at its first run with the types of
 * the values bound then (pg_run()).
 */
static int
pg_server_prepare(struct pg_stmt *s, const Oid *types)
{
	char msg[AIMS_ERROR_MSG_MAX];
	PGresult *res;
	const char *state;
	int rc = 0;

	snprintf(s->name, sizeof(s->name), "s%" PRIu64, ++s->c->next_name);
	/* A failed PREPARE would abort the transaction it runs in: under a savepoint. */
	if (s->c->in_tx && (rc = pg_exec_once(s->c, "SAVEPOINT aims_prepare")) != 0)
		return rc;
	res = PQprepare(s->c->pc, s->name, s->sql, s->nparams, types);
	if (s->c->in_tx)
		pg_exec_once(s->c, PQresultStatus(res) == PGRES_COMMAND_OK ?
		    "RELEASE SAVEPOINT aims_prepare" :
		    "ROLLBACK TO SAVEPOINT aims_prepare; RELEASE SAVEPOINT aims_prepare");
	if (PQresultStatus(res) == PGRES_COMMAND_OK) {
		s->generation = s->c->generation;
		s->typed = types != NULL;
		PQclear(res);
		return types == NULL ? pg_describe(s) : 0;
	}
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (types == NULL && state && (strcmp(state, PG_AMBIGUOUS_PARAM) == 0 ||
	    strcmp(state, PG_INDETERMINATE_TYPE) == 0)) {
		s->late = true;
		PQclear(res);
		return 0;
	}
	rc = pg_error(s->c, res, "SQL error");
	snprintf(msg, sizeof(msg), "%s", aims_error_message());
	aims_error_set(rc, NULL, "%s in: %.200s", msg, s->sql);
	PQclear(res);
	return rc;
}

static int
pg_prepare(void **out, void *conn, const char *sql)
{
	struct pg_conn *c = conn;
	struct pg_stmt *s = xcalloc(1, sizeof(*s));
	struct buf b = BUF_INIT;
	int rc;

	*out = NULL;
	db_pg_translate(&b, &s->nparams, sql);
	s->sql = buf_detach(&b);
	s->c = c;
	s->writes = pg_sql_writes(s->sql);
	s->row = -1;
	if (s->nparams > PG_PARAMS_MAX) {
		rc = aims_error_set(AIMS_ETOOBIG, NULL, "statement has %d parameters (at most %d)",
		    s->nparams, PG_PARAMS_MAX);
		goto fail;
	}
	if (s->nparams > 0) {
		s->vals = xcalloc((size_t)s->nparams, sizeof(*s->vals));
		s->lens = xcalloc((size_t)s->nparams, sizeof(*s->lens));
		s->fmts = xcalloc((size_t)s->nparams, sizeof(*s->fmts));
		s->ints = xcalloc((size_t)s->nparams, sizeof(*s->ints));
		s->ptypes = xcalloc((size_t)s->nparams, sizeof(*s->ptypes));
	}
	rc = pg_server_prepare(s, NULL);
	if (rc != 0 && !c->in_tx && pg_lost(c))
		rc = pg_server_prepare(s, NULL);
	if (rc != 0)
		goto fail;
	*out = s;
	return 0;
fail:
	free(s->ptypes);
	free(s->ints);
	free(s->vals);
	free(s->lens);
	free(s->fmts);
	free(s->sql);
	free(s);
	return rc;
}

/* The values of the current row decoded on demand (bytea, jsonb strings), per column. */
static void
pg_row_cache(struct pg_stmt *s)
{
	int n = PQnfields(s->res);

	if (s->blobs != NULL)
		return;
	s->blobs = xcalloc((size_t)n, sizeof(*s->blobs));
	s->bloblens = xcalloc((size_t)n, sizeof(*s->bloblens));
	s->texts = xcalloc((size_t)n, sizeof(*s->texts));
}

static void
pg_row_free(struct pg_stmt *s)
{
	int i, n;

	if (s->blobs == NULL || s->res == NULL)
		return;
	n = PQnfields(s->res);
	for (i = 0; i < n; i++) {
		if (s->blobs[i])
			PQfreemem(s->blobs[i]);
		free(s->texts[i]);
	}
	free(s->blobs);
	free(s->bloblens);
	free(s->texts);
	s->blobs = NULL;
	s->bloblens = NULL;
	s->texts = NULL;
}

static void
pg_reset(void *stmt)
{
	struct pg_stmt *s = stmt;
	int i;

	pg_row_free(s);
	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->nrows = 0;
	for (i = 0; i < s->nparams; i++) {
		free(s->vals[i]);
		s->vals[i] = NULL;
		s->lens[i] = 0;
		s->fmts[i] = 0;
		s->ints[i] = false;
	}
}

static void
pg_deallocate(struct pg_stmt *s)
{
	char sql[PG_STMT_NAME_MAX + 16];
	PGresult *res;

	if (s->generation != s->c->generation || PQstatus(s->c->pc) != CONNECTION_OK)
		return;
	snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->name);
	res = PQexec(s->c->pc, sql);
	PQclear(res);
}

static void
pg_finalize(void *stmt)
{
	struct pg_stmt *s = stmt;

	pg_reset(s);
	if (!s->late || s->typed)
		pg_deallocate(s);
	free(s->types);
	free(s->ptypes);
	free(s->ints);
	free(s->vals);
	free(s->lens);
	free(s->fmts);
	free(s->sql);
	free(s);
}

static int
pg_bind_check(struct pg_stmt *s, int idx)
{
	if (idx < 1 || idx > s->nparams)
		return aims_error_set(AIMS_ERROR, NULL, "bind: no parameter %d in: %.200s", idx,
		    s->sql);
	free(s->vals[idx - 1]);
	s->vals[idx - 1] = NULL;
	s->ints[idx - 1] = false;
	s->fmts[idx - 1] = 0;
	return 0;
}

/* str as a JSON string: quoted, with '"', '\\' and control characters escaped. */
static char *
pg_json_string(const char *str, size_t len)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_putc(&b, '"');
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)str[i];

		if (ch == '"' || ch == '\\')
			buf_printf(&b, "\\%c", ch);
		else if (ch < 0x20)
			buf_printf(&b, "\\u%04x", ch);
		else
			buf_putc(&b, (char)ch);
	}
	buf_putc(&b, '"');
	return buf_detach(&b);
}

static int
pg_bind_int64(void *stmt, int idx, int64_t v)
{
	struct pg_stmt *s = stmt;
	char num[24];
	int rc;

	if ((rc = pg_bind_check(s, idx)) != 0)
		return rc;
	snprintf(num, sizeof(num), "%" PRId64, v);
	s->vals[idx - 1] = xstrdup(num);
	s->fmts[idx - 1] = 0;
	s->ints[idx - 1] = true;
	return 0;
}

static int
pg_bind_double(void *stmt, int idx, double v)
{
	struct pg_stmt *s = stmt;
	char num[32];
	int rc;

	if ((rc = pg_bind_check(s, idx)) != 0)
		return rc;
	snprintf(num, sizeof(num), "%.17g", v);	/* reads back as the same double */
	s->vals[idx - 1] = xstrdup(num);
	return 0;
}

static int
pg_bind_text(void *stmt, int idx, const char *str, size_t len)
{
	struct pg_stmt *s = stmt;
	int rc;

	if ((rc = pg_bind_check(s, idx)) != 0)
		return rc;
	if (memchr(str, '\0', len) != NULL)
		return aims_error_set(AIMS_EINVALID, NULL, "text holds a NUL character");
	if (s->ptypes && s->ptypes[idx - 1] == PG_OID_JSONB) {
		s->vals[idx - 1] = pg_json_string(str, len);
		return 0;
	}
	s->vals[idx - 1] = xstrndup(str, len);
	s->fmts[idx - 1] = 0;
	return 0;
}

static int
pg_bind_blob(void *stmt, int idx, const void *p, size_t len)
{
	struct pg_stmt *s = stmt;
	int rc;

	if ((rc = pg_bind_check(s, idx)) != 0)
		return rc;
	if (len > INT32_MAX)
		return aims_error_set(AIMS_ETOOBIG, NULL, "blob of %zu bytes", len);
	s->vals[idx - 1] = xmalloc(len ? len : 1);
	memcpy(s->vals[idx - 1], p, len);
	s->lens[idx - 1] = (int)len;
	s->fmts[idx - 1] = 1;	/* binary: bytea takes the bytes as they are */
	return 0;
}

static int
pg_bind_null(void *stmt, int idx)
{
	return pg_bind_check(stmt, idx);
}

static int pg_run_pipelined(struct pg_stmt *s);

/* Runs s, prepared first if need be; guarded: under a savepoint (pg_run_pipelined()). */
static int
pg_run(struct pg_stmt *s, bool guarded)
{
	PGresult *res;
	ExecStatusType st;
	int rc;

	if (s->late || s->generation != s->c->generation) {
		Oid *types = NULL;
		int i;

		if (s->late) {
			/* Prepared under a name per set of types: a NULL binds as text. */
			types = xcalloc((size_t)s->nparams + 1, sizeof(*types));
			for (i = 0; i < s->nparams; i++)
				types[i] = s->fmts[i] ? PG_OID_BYTEA : s->ints[i] ? PG_OID_INT8 :
				    PG_OID_TEXT;
			if (s->generation == s->c->generation && s->typed &&
			    memcmp(types, s->types, (size_t)s->nparams * sizeof(*types)) == 0) {
				free(types);
				types = NULL;
				goto run;
			}
			if (s->generation == s->c->generation && s->typed)
				pg_deallocate(s);
		}
		rc = pg_server_prepare(s, types ? types : NULL);
		if (rc == 0 && types) {
			free(s->types);
			s->types = types;
			s->late = true;
		} else
			free(types);
		if (rc != 0)
			return rc;
	}
run:
	if (guarded)
		return pg_run_pipelined(s);
	res = PQexecPrepared(s->c->pc, s->name, s->nparams, (const char *const *)s->vals,
	    s->lens, s->fmts, 0);
	st = PQresultStatus(res);
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		s->res = res;
		s->nrows = PQntuples(res);
		return 0;
	}
	rc = pg_error(s->c, res, "database");
	PQclear(res);
	return rc;
}

/*
 * A write inside a transaction runs under a savepoint: SQLite leaves the
 * transaction usable after a failed statement (a unique violation the
 * caller handles, say) while PostgreSQL would abort all of it. SAVEPOINT,
 * the statement and RELEASE go in one pipeline: one round trip, as the
 * statement alone would take.
 */
static int
pg_run_pipelined(struct pg_stmt *s)
{
	PGconn *pc = s->c->pc;
	PGresult *res, *mine = NULL;
	ExecStatusType st;
	int rc = 0, step;
	char msg[AIMS_ERROR_MSG_MAX];

	if (PQenterPipelineMode(pc) != 1 ||
	    PQsendQueryParams(pc, "SAVEPOINT aims_stmt", 0, NULL, NULL, NULL, NULL, 0) != 1 ||
	    PQsendQueryPrepared(pc, s->name, s->nparams, (const char *const *)s->vals, s->lens,
	    s->fmts, 0) != 1 ||
	    PQsendQueryParams(pc, "RELEASE SAVEPOINT aims_stmt", 0, NULL, NULL, NULL, NULL,
	    0) != 1 || PQpipelineSync(pc) != 1) {
		rc = pg_error(s->c, NULL, "database");
		goto drain;
	}
	/* Three results, each followed by NULL, then the sync. */
	for (step = 0; step < 3; step++) {
		while ((res = PQgetResult(pc)) != NULL) {
			st = PQresultStatus(res);
			if (step == 1 && (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) &&
			    mine == NULL) {
				mine = res;
				continue;
			}
			if (rc == 0 && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
				rc = st == PGRES_PIPELINE_ABORTED ? AIMS_ERROR :
				    pg_error(s->c, res, "database");
			PQclear(res);
		}
	}
drain:
	while ((res = PQgetResult(pc)) != NULL) {
		st = PQresultStatus(res);
		PQclear(res);
		if (st == PGRES_PIPELINE_SYNC)
			break;
	}
	PQexitPipelineMode(pc);
	if (rc == 0 && mine != NULL) {
		s->res = mine;
		s->nrows = PQntuples(mine);
		return 0;
	}
	PQclear(mine);
	if (rc == 0)
		rc = aims_error_set(AIMS_ERROR, NULL, "database: no result");
	/* The statement failed: back to before it, the transaction goes on. */
	snprintf(msg, sizeof(msg), "%s", aims_error_message());
	if (PQstatus(pc) == CONNECTION_OK)
		pg_exec_once(s->c, "ROLLBACK TO SAVEPOINT aims_stmt; RELEASE SAVEPOINT aims_stmt");
	aims_error_set(rc, NULL, "%s", msg);
	return rc;
}

static int
pg_step(void *stmt)
{
	struct pg_stmt *s = stmt;
	bool tx;
	int rc;

	if (s->row == -1 && s->res == NULL) {
		tx = s->c->in_tx;
		rc = pg_run(s, tx && s->writes);
		/*
		 * Outside a transaction the statement ran whole or not at all: after
		 * a reconnect it runs again. Inside one, the transaction died with
		 * the connection: the caller is told, and rolls back.
		 */
		if (rc != 0 && pg_lost(s->c)) {
			if (tx)
				return aims_error_set(AIMS_ERROR, NULL, "database connection lost "
				    "in a transaction: nothing of it was applied");
			rc = pg_run(s, false);
		}
		if (rc != 0)
			return rc;
	}
	pg_row_free(s);
	if (s->row + 1 >= s->nrows) {
		s->row = s->nrows;
		return DB_DONE;
	}
	s->row++;
	return DB_ROW;
}

static int
pg_writes(void *stmt)
{
	return ((struct pg_stmt *)stmt)->writes;
}

static bool
pg_has_row(struct pg_stmt *s, int col)
{
	return s->res && s->row >= 0 && s->row < s->nrows && col >= 0 && col < PQnfields(s->res);
}

static int64_t
pg_column_int64(void *stmt, int col)
{
	struct pg_stmt *s = stmt;
	const char *v;

	if (!pg_has_row(s, col) || PQgetisnull(s->res, s->row, col))
		return 0;
	v = PQgetvalue(s->res, s->row, col);
	/* Booleans come back as t/f; SQLite answers 1/0. */
	if (v[0] == 't' && v[1] == '\0')
		return 1;
	if (v[0] == 'f' && v[1] == '\0')
		return 0;
	return strtoll(v, NULL, 10);
}

/* A jsonb string reads as its text (what was bound); any other jsonb as its JSON. */
static double
pg_column_double(void *stmt, int col)
{
	struct pg_stmt *s = stmt;

	if (!pg_has_row(s, col) || PQgetisnull(s->res, s->row, col))
		return 0;
	return strtod(PQgetvalue(s->res, s->row, col), NULL);
}

static const char *
pg_column_text(void *stmt, int col)
{
	struct pg_stmt *s = stmt;
	const char *v;
	json_t *j;

	if (!pg_has_row(s, col) || PQgetisnull(s->res, s->row, col))
		return NULL;
	v = PQgetvalue(s->res, s->row, col);
	if (PQftype(s->res, col) != PG_OID_JSONB || v[0] != '"')
		return v;
	pg_row_cache(s);
	if (s->texts[col] == NULL) {
		if ((j = json_loads(v, JSON_DECODE_ANY, NULL)) == NULL || !json_is_string(j)) {
			json_decref(j);
			return v;
		}
		s->texts[col] = xstrdup(json_string_value(j));
		json_decref(j);
	}
	return s->texts[col];
}

static const void *
pg_column_blob(void *stmt, int col, size_t *len)
{
	struct pg_stmt *s = stmt;
	const char *v;

	*len = 0;
	if (!pg_has_row(s, col) || PQgetisnull(s->res, s->row, col))
		return NULL;
	v = PQgetvalue(s->res, s->row, col);
	if (PQftype(s->res, col) != 17) {	/* not bytea: the text itself */
		*len = (size_t)PQgetlength(s->res, s->row, col);
		return v;
	}
	pg_row_cache(s);
	if (s->blobs[col] == NULL &&
	    (s->blobs[col] = PQunescapeBytea((const unsigned char *)v, &s->bloblens[col])) == NULL)
		return NULL;
	*len = s->bloblens[col];
	return s->blobs[col];
}

static int
pg_column_is_null(void *stmt, int col)
{
	struct pg_stmt *s = stmt;

	return !pg_has_row(s, col) || PQgetisnull(s->res, s->row, col);
}

static int
pg_exec_once(struct pg_conn *c, const char *sql)
{
	PGresult *res;
	ExecStatusType st;
	int rc = 0;

	res = PQexec(c->pc, sql);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
		rc = pg_error(c, res, "database");
	PQclear(res);
	return rc;
}

#ifdef AIMS_TEST_HOOKS
/*
 * Test builds: the unit tests take a trigger out of the way with SQLite's
 * "DROP TRIGGER name" to show that verify names what it then lets through;
 * PostgreSQL names the table too. Every trigger of the schema is called
 * <table>_append_only, <table>_no_delete or <table>_gapless.
 */
static void
pg_test_drop_trigger(struct buf *out, const char *sql)
{
	static const char *const suffixes[] = { "_append_only", "_no_delete", "_gapless", NULL };
	const char *p = sql, *name, *end, *const *sfx;
	size_t n;

	while ((name = strstr(p, "DROP TRIGGER ")) != NULL) {
		buf_append(out, p, (size_t)(name - p));
		name += 13;
		for (end = name; isalnum((unsigned char)*end) || *end == '_'; end++)
			;
		n = (size_t)(end - name);
		buf_printf(out, "DROP TRIGGER %.*s", (int)n, name);
		for (sfx = suffixes; *sfx; sfx++)
			if (n > strlen(*sfx) && strncmp(end - strlen(*sfx), *sfx, strlen(*sfx)) == 0 &&
			    strncmp(end, " ON ", 4) != 0) {
				buf_printf(out, " ON %.*s", (int)(n - strlen(*sfx)), name);
				break;
			}
		p = end;
	}
	buf_puts(out, p);
}
#endif

/*
 * Runs text, PostgreSQL's form of sql (which says what it does to the
 * transaction), with the reconnect rules of the top of the file.
 */
static int
pg_exec_as(struct pg_conn *c, const char *sql, const char *text, bool tx)
{
	int rc;

	rc = pg_exec_once(c, text);
	if (rc != 0 && pg_lost(c)) {
		/* A rollback on a lost connection is done: the server dropped the work. */
		if (strcmp(sql, "ROLLBACK") == 0)
			rc = 0;
		else if (!tx && strcmp(sql, "COMMIT") != 0)
			rc = pg_exec_once(c, text);
		else
			rc = aims_error_set(AIMS_ERROR, NULL, "database connection lost in a "
			    "transaction: nothing of it was applied");
		if (strncmp(sql, "BEGIN", 5) == 0)
			c->in_tx = rc == 0;
	} else if (rc != 0 && strncmp(sql, "BEGIN", 5) == 0) {
		/* The BEGIN ran and the lock did not come: nothing was begun, for the caller. */
		if (PQtransactionStatus(c->pc) != PQTRANS_IDLE)
			pg_exec_once(c, "ROLLBACK");
		c->in_tx = false;
	}
	return rc;
}

/*
 * A write of some organisations only (db_begin_orgs()): the store-wide lock
 * shared, so such writers run together while a store-wide writer (which
 * takes it exclusive) waits for them all and they for it; then each
 * organisation's lock, in ascending order (orgs is sorted), the one the
 * ledger takes for its log head (pg_lock_org()): two writers of one
 * organisation queue, writers of others do not wait.
 */
static int
pg_begin_orgs(void *conn, const int64_t *orgs, size_t n)
{
	struct pg_conn *c = conn;
	struct buf b = BUF_INIT;
	bool tx = c->in_tx;
	size_t i;
	int rc;

	buf_printf(&b, "BEGIN; SELECT pg_advisory_xact_lock_shared(%" PRId64 ")",
	    PG_WRITE_LOCK_KEY);
	for (i = 0; i < n; i++)
		buf_printf(&b, "; SELECT pg_advisory_xact_lock(%d, %d)", PG_LEDGER_LOCK_CLASS,
		    (int)(orgs[i] & 0x7fffffff));
	c->in_tx = true;
	rc = pg_exec_as(c, "BEGIN IMMEDIATE", buf_str(&b), tx);
	buf_free(&b);
	return rc;
}

static int
pg_exec(void *conn, const char *sql)
{
	struct pg_conn *c = conn;
	struct buf b = BUF_INIT;
	bool tx = c->in_tx;
	int rc;

	if (strncmp(sql, "PRAGMA", 6) == 0)
		return 0;
	if (strcmp(sql, "BEGIN IMMEDIATE") == 0) {
		/* A write of anything: alone in the store (exclusive, see pg_begin_orgs()). */
		buf_printf(&b, "BEGIN; SELECT pg_advisory_xact_lock(%" PRId64 ")",
		    PG_WRITE_LOCK_KEY);
		c->in_tx = true;
	} else if (strcmp(sql, "BEGIN") == 0) {
		buf_puts(&b, "BEGIN ISOLATION LEVEL REPEATABLE READ");
		c->in_tx = true;
	} else if (strcmp(sql, "COMMIT") == 0 || strcmp(sql, "ROLLBACK") == 0) {
		buf_puts(&b, sql);
		c->in_tx = false;
	} else
#ifdef AIMS_TEST_HOOKS
		pg_test_drop_trigger(&b, sql);
#else
		buf_puts(&b, sql);	/* schema text: written for PostgreSQL (schema/pg/) */
#endif
	rc = pg_exec_as(c, sql, buf_str(&b), tx);
	buf_free(&b);
	return rc;
}

static int
pg_lock_org(void *conn, int64_t org_id)
{
	struct pg_conn *c = conn;
	char sql[96];

	snprintf(sql, sizeof(sql), "SELECT pg_advisory_xact_lock(%d, %d)", PG_LEDGER_LOCK_CLASS,
	    (int)(org_id & 0x7fffffff));
	return pg_exec_once(c, sql);
}

const struct db_ops db_pg_ops = {
	.name = "postgres",
	.open = pg_open,
	.close = pg_close,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.reset = pg_reset,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.writes = pg_writes,
	.column_int64 = pg_column_int64,
	.column_double = pg_column_double,
	.column_text = pg_column_text,
	.column_blob = pg_column_blob,
	.column_is_null = pg_column_is_null,
	.exec = pg_exec,
	.lock_org = pg_lock_org,
	.begin_orgs = pg_begin_orgs,
};
