/*
 * metric.h - readings of monitored metrics (kind_metric.c): pushed in
 * batches by pipelines and monitors, kept in their own table keyed by
 * organisation, metric and time, one ledger entry per batch, and judged
 * against the metric's thresholds as they arrive.
 */
#ifndef AIMS_CORE_METRIC_H
#define AIMS_CORE_METRIC_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>

#include "core/actor.h"

struct db;
struct record_kind;

#define METRIC_INTERVAL_HOURS_MAX	8760	/* a year between readings */
#define METRIC_BATCH_MAX		10000	/* readings in one push */
#define METRIC_BATCH_MAX_STR		"10000"
#define METRIC_SERIES_POINTS_MAX	2000	/* points a chart is given at most */
#define METRIC_LEDGER_KIND		"metric-readings"

/* The record kind a breach opens for an on_breach value; NULL for "none". */
const char *metric_breach_kind(const char *on_breach);

/*
 * Stores a batch of readings ([{"at": RFC 3339, "value": number}]) of the
 * metric ref, all or nothing. A reading whose time the metric already has is
 * a duplicate and is not stored again (its value is not changed). The
 * readings stored are one ledger entry (kind metric-readings, ref
 * "MET-1/<batch>"). Readings past the breach threshold open, or add to, the
 * open nonconformity or incident the metric's on_breach names, and set the
 * next review of the risks of its AI system to today.
 * *out: {"stored", "duplicates", "breaches", "opened" (ref or null)}.
 * AIMS_EINVALID naming "[i].at" / "[i].value" for a bad element (nothing
 * stored), AIMS_ENOTFOUND for no such metric in the org, AIMS_ECONFLICT for a
 * retired one.
 */
int metric_readings_push(json_t **out, struct db *db, int64_t org_id,
    const struct actor *actor, const char *ref, const json_t *readings);

/*
 * The readings of ref between from and to (inclusive, seconds) for a chart:
 * at most max_points points. A longer range is downsampled into equal time
 * buckets, each point the bucket's mean with its min, max and number of
 * readings n, "at" the time of its first reading (or first hour). Buckets
 * start at from and are ceil(span / max_points) wide; when rounding that
 * width up to whole hours adds at most a tenth, the buckets are whole hours
 * counted from the hour from falls in, so the hourly roll-ups fill them.
 * *out: {"metric", "from", "to", "downsampled", "count",
 * "points": [{"at", "value", "min", "max", "n"}]}.
 */
int metric_series(json_t **out, struct db *db, int64_t org_id, const char *ref,
    time_t from, time_t to, int max_points);

/*
 * Monitoring state of the live metrics of the org (ai_system or objective
 * NULL: all): [{"ref","title","ai_system","objective","interval_hours",
 * "last_at","last_value","count","stale","state","evaluated_on",
 * "evaluation"}] where state is "ok",
 * "warn", "breach" (the last reading) or "none" (no reading yet); stale when
 * there is no reading within interval_hours of now.
 */
/*
 * The live metrics owner (an email) owns with no reading within their
 * interval at now, the longest waiting first: [{kind, ref, title, what,
 * last_at (null: never), due (the date a reading was due, null: never had
 * one)}]. Index reads: the owner's metrics, and each one's last reading.
 */
int metric_stale_of(json_t **out, struct db *db, int64_t org_id, const char *owner,
    time_t now);
int metric_status(json_t **out, struct db *db, int64_t org_id, const char *ai_system,
    const char *objective, time_t now);

/*
 * The charts a record's page shows: for an AI system or an objective each of
 * its live metrics, for a metric itself; [{metric (the record), series
 * (metric_series() from `from` to `to`), target (an objective's, or null)}].
 * *out NULL for a record of any other kind (no monitoring section).
 */
int metric_charts(json_t **out, struct db *db, int64_t org_id, const struct record_kind *k,
    const json_t *record, time_t from, time_t to, int max_points);

/* Ledger: the batch "MET-1/<n>" as its entry committed to; every batch of the org. */
int metric_load_for_ledger(json_t **out, struct db *db, int64_t org_id, const char *kind,
    const char *ref);
typedef int (*metric_visit_fn)(void *arg, const char *kind, const char *ref);
int metric_enumerate(struct db *db, int64_t org_id, metric_visit_fn fn, void *arg);

/*
 * The checks `aims verify` makes of what ingest keeps beside the readings
 * (metric_batches, metric_hours): each equal to what the readings give.
 * AIMS_EVERIFY naming the metric and batch or hour at fault.
 */
int metric_verify_derived(struct db *db, int64_t org_id);

/* The shortest decimal text that reads back as v. */
void metric_format_value(char out[32], double v);

#endif
