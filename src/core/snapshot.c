/* snapshot.c - storing and reading dated readiness snapshots (see snapshot.h). */
#include <stdlib.h>
#include <string.h>

#include "core/snapshot.h"
#include "store/db.h"
#include "util/error.h"

#define SNAPSHOT_DAY_LEN	10

int
snapshot_save(struct db *db, int64_t org_id, const struct snapshot *s)
{
	struct db_stmt *st;
	char *scores;
	int rc;

	if (s->taken_at == NULL || strlen(s->taken_at) < SNAPSHOT_DAY_LEN)
		return aims_error_set(AIMS_EINVALID, "taken_at", "snapshot needs its time");
	if ((rc = db_prepare(&st, db, "INSERT INTO readiness_snapshots (org_id, framework, day, "
	    "taken_at, score, stage1_ready, stage1_blocking, stage2_ready, stage2_blocking, met, "
	    "partly_met, not_met, not_applicable, scores) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT (org_id, framework, day) DO UPDATE SET taken_at = excluded.taken_at, "
	    "score = excluded.score, stage1_ready = excluded.stage1_ready, "
	    "stage1_blocking = excluded.stage1_blocking, stage2_ready = excluded.stage2_ready, "
	    "stage2_blocking = excluded.stage2_blocking, met = excluded.met, "
	    "partly_met = excluded.partly_met, not_met = excluded.not_met, "
	    "not_applicable = excluded.not_applicable, scores = excluded.scores")) != 0)
		return rc;
	scores = json_dumps(s->scores, JSON_COMPACT | JSON_PRESERVE_ORDER);
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, s->framework);
	db_bind_textn(st, 3, s->taken_at, SNAPSHOT_DAY_LEN);
	db_bind_text(st, 4, s->taken_at);
	db_bind_int64(st, 5, s->score);
	db_bind_int64(st, 6, s->stage1_ready);
	db_bind_int64(st, 7, s->stage1_blocking);
	db_bind_int64(st, 8, s->stage2_ready);
	db_bind_int64(st, 9, s->stage2_blocking);
	db_bind_int64(st, 10, s->met);
	db_bind_int64(st, 11, s->partly_met);
	db_bind_int64(st, 12, s->not_met);
	db_bind_int64(st, 13, s->not_applicable);
	db_bind_text(st, 14, scores ? scores : "{}");
	rc = db_step(st);
	db_done(st);
	free(scores);
	return rc == DB_DONE ? 0 : rc < 0 ? rc : AIMS_ERROR;
}

static json_t *
snapshot_row(struct db_stmt *st)
{
	json_error_t jerr;
	json_t *scores = json_loads(db_column_text(st, 11), 0, &jerr);

	return json_pack("{s:s, s:s, s:I, s:b, s:I, s:b, s:I, s:I, s:I, s:I, s:I, s:o}",
	    "day", db_column_text(st, 0), "taken_at", db_column_text(st, 1),
	    "score", (json_int_t)db_column_int64(st, 2),
	    "stage1_ready", (int)db_column_int64(st, 3),
	    "stage1_blocking", (json_int_t)db_column_int64(st, 4),
	    "stage2_ready", (int)db_column_int64(st, 5),
	    "stage2_blocking", (json_int_t)db_column_int64(st, 6),
	    "met", (json_int_t)db_column_int64(st, 7),
	    "partly_met", (json_int_t)db_column_int64(st, 8),
	    "not_met", (json_int_t)db_column_int64(st, 9),
	    "not_applicable", (json_int_t)db_column_int64(st, 10),
	    "scores", scores ? scores : json_object());
}

int
snapshot_trend(json_t **out, struct db *db, int64_t org_id, const char *framework, int days)
{
	struct db_stmt *st;
	json_t *list;
	int rc;

	*out = NULL;
	if (days < 1 || days > SNAPSHOT_TREND_MAX)
		days = SNAPSHOT_TREND_MAX;
	/* The newest `days` rows, then reversed to oldest first. */
	if ((rc = db_prepare(&st, db, "SELECT day, taken_at, score, stage1_ready, "
	    "stage1_blocking, stage2_ready, stage2_blocking, met, partly_met, not_met, "
	    "not_applicable, scores FROM readiness_snapshots WHERE org_id = ? AND framework = ? "
	    "ORDER BY day DESC LIMIT ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, framework);
	db_bind_int64(st, 3, days);
	list = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_insert_new(list, 0, snapshot_row(st));
	db_done(st);
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

struct snapshot_change {
	int64_t			 org_id;
	const struct snapshot	*s;
};

static int
snapshot_store_apply(struct db *db, void *arg)
{
	const struct snapshot_change *c = arg;

	return snapshot_save(db, c->org_id, c->s);
}

int
snapshot_store(struct db *db, int64_t org_id, const struct snapshot *s)
{
	struct snapshot_change c = { org_id, s };

	return db_write_via(db, org_id, snapshot_store_apply, &c);
}
