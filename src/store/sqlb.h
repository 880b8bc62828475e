/*
 * sqlb.h - the one builder of SQL statements assembled at run time: the
 * readiness queries (core/query.c), the record lists (core/record_list.c)
 * and the generated tasks' pages (core/work_tasks.c).
 *
 * SQL text is appended from fixed fragments the caller chooses; every value
 * is a parameter, bound in the order its '?' appears. A builder that runs
 * out of parameters remembers it (sticky, as SQLite's own builders do):
 * later calls do nothing and sqlb_prepare() returns the error, so a caller
 * may append a whole statement and check once.
 *
 * A zeroed struct sqlb is empty; sqlb_free() releases it.
 */
#ifndef AIMS_STORE_SQLB_H
#define AIMS_STORE_SQLB_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

struct db;
struct db_stmt;

#define SQLB_BINDS_MAX	1024	/* parameters in one statement */

struct sqlb_param {
	bool		 is_int;
	int64_t		 i;
	char		*s;		/* owned copy; NULL binds NULL */
};

struct sqlb {
	struct buf		 sql;
	struct sqlb_param	*params;
	int			 nparams;
	int			 cap;
	int			 rc;	/* first error, or 0 */
};

/* Bind one parameter (its '?' is the caller's). 0 or AIMS_ETOOBIG, kept in q->rc. */
int sqlb_bind_int(struct sqlb *q, int64_t v);
int sqlb_bind_text(struct sqlb *q, const char *s);
/* Append the SQL fragment sql (holding one '?') and bind its value. */
int sqlb_int(struct sqlb *q, const char *sql, int64_t v);
int sqlb_text(struct sqlb *q, const char *sql, const char *s);
/* Prepares the statement and binds every parameter; q->rc if one failed. */
int sqlb_prepare(struct db_stmt **out, struct db *db, const struct sqlb *q);
void sqlb_free(struct sqlb *q);

#endif
