/*
 * snapshot.h - dated readiness snapshots (one per organisation, framework and
 * day: the day's latest evaluation), kept so the readiness trend can be shown.
 */
#ifndef AIMS_CORE_SNAPSHOT_H
#define AIMS_CORE_SNAPSHOT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

#define SNAPSHOT_TREND_MAX	366	/* days returned by snapshot_trend() at most */

struct snapshot {
	const char	*framework;
	const char	*taken_at;	/* RFC 3339 UTC; its date is the day */
	int		 score;		/* 0..100 */
	bool		 stage1_ready, stage2_ready;
	int		 stage1_blocking, stage2_blocking;
	int		 met, partly_met, not_met, not_applicable;
	const json_t	*scores;	/* {"4": 80, ..., "A.10": 50}; borrowed */
};

/* Stores s as the snapshot of its day, replacing an earlier one of that day. */
int snapshot_save(struct db *db, int64_t org_id, const struct snapshot *s);
/*
 * snapshot_save() for an evaluation that may run on a request's connection
 * (a page looked at saves today's snapshot): through the server's writer
 * there (db_write_via()), so that looking at a page writes nothing beside
 * it; elsewhere on db itself.
 */
int snapshot_store(struct db *db, int64_t org_id, const struct snapshot *s);
/*
 * The last `days` snapshots (at most SNAPSHOT_TREND_MAX), oldest first:
 * [{day, taken_at, score, stage1_ready, stage1_blocking, stage2_ready,
 * stage2_blocking, met, partly_met, not_met, not_applicable, scores}].
 */
int snapshot_trend(json_t **out, struct db *db, int64_t org_id, const char *framework,
    int days);

#endif
