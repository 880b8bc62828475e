/*
 * sqlb.c - SQL statements assembled at run time, with bound parameters
 * (see sqlb.h).
 */
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/sqlb.h"
#include "util/error.h"
#include "util/mem.h"

#define SQLB_PARAMS_FIRST	16	/* first allocation: most lists need fewer */

static struct sqlb_param *
sqlb_param_new(struct sqlb *q)
{
	if (q->rc != 0)
		return NULL;
	if (q->nparams == SQLB_BINDS_MAX) {
		q->rc = aims_error_set(AIMS_ETOOBIG, "where",
		    "the query needs more than %d values", SQLB_BINDS_MAX);
		return NULL;
	}
	if (q->nparams == q->cap) {
		q->cap = q->cap ? q->cap * 2 : SQLB_PARAMS_FIRST;
		q->params = xrealloc(q->params, (size_t)q->cap * sizeof(*q->params));
	}
	return &q->params[q->nparams++];
}

int
sqlb_bind_int(struct sqlb *q, int64_t v)
{
	struct sqlb_param *p = sqlb_param_new(q);

	if (p != NULL)
		*p = (struct sqlb_param){ true, v, NULL };
	return q->rc;
}

int
sqlb_bind_text(struct sqlb *q, const char *s)
{
	struct sqlb_param *p = sqlb_param_new(q);

	if (p != NULL)
		*p = (struct sqlb_param){ false, 0, s ? xstrdup(s) : NULL };
	return q->rc;
}

int
sqlb_int(struct sqlb *q, const char *sql, int64_t v)
{
	buf_puts(&q->sql, sql);
	return sqlb_bind_int(q, v);
}

int
sqlb_text(struct sqlb *q, const char *sql, const char *s)
{
	buf_puts(&q->sql, sql);
	return sqlb_bind_text(q, s);
}

int
sqlb_prepare(struct db_stmt **out, struct db *db, const struct sqlb *q)
{
	struct db_stmt *st;
	int i, rc;

	*out = NULL;
	if (q->rc != 0)
		return q->rc;
	if ((rc = db_prepare(&st, db, buf_str(&q->sql))) != 0)
		return rc;
	for (i = 0; i < q->nparams; i++) {
		if (q->params[i].is_int)
			db_bind_int64(st, i + 1, q->params[i].i);
		else
			db_bind_text(st, i + 1, q->params[i].s);
	}
	*out = st;
	return 0;
}

void
sqlb_free(struct sqlb *q)
{
	int i;

	for (i = 0; i < q->nparams; i++)
		free(q->params[i].s);
	free(q->params);
	buf_free(&q->sql);
	memset(q, 0, sizeof(*q));
}
