/*
 * work.h - the work people have to do, by date: every due date a record
 * kind declares (record_kind.due) on every live record is a work item,
 * kept by core in the same transaction as the record's write, plus the
 * tasks made by hand (kind_task.c). "My work" groups a person's items as
 * overdue, due this week and later, with the approvals waiting for them and
 * what they assigned to others; the certification calendar lists the
 * external audits (record_kind.events) with the internal audits and
 * management reviews to hold before each.
 */
#ifndef AIMS_CORE_WORK_H
#define AIMS_CORE_WORK_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>

#include "core/actor.h"

struct db;
struct record_list_extra;

#define WORK_GROUP_MAX		100	/* items listed per group; counts go on */
#define WORK_COUNT_CAP		1000	/* counts stop there: "1000 or more" */
#define WORK_SOON_DAYS		7	/* "due this week": today and the 6 days after */
#define WORK_APPROVALS_SCAN	50	/* records per approvable state judged for approvals */
#define WORK_FEED_MAX		2000	/* items a calendar feed carries */
#define WORK_CALENDAR_MAX	200	/* external audits the calendar shows */

/*
 * The person's work at now (actor: a user): {today, email, overdue,
 * this_week, later, assigned_by_me: {count, more, items}, approvals: {items},
 * stale_metrics: {items}} where an item is {kind, ref, field, what, title,
 * owner, due, status "open", source, generated} (generated: false for a task
 * made by hand, whose source is what it is about or null), nearest first
 * (overdue: the oldest first). approvals are the records waiting in a state
 * the actor may sign off from, with the step's label; stale_metrics the
 * metrics they own with no reading within their interval (core/metric.h).
 */
int work_mine(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    time_t now);
/* The email of user_id (caller frees); AIMS_EINVALID for the system (0). */
int work_email_of(char **out, struct db *db, int64_t user_id);

/*
 * Items of the organisation (owner NULL) or of one person due in [from, to)
 * (YYYY-MM-DD), nearest first, at most limit, as work_mine() gives them.
 */
int work_between(json_t **out, struct db *db, int64_t org_id, const char *owner,
    const char *from, const char *to, int limit);

/*
 * The organisation's open work items, generated and made by hand, for a
 * listing: of owner (NULL: everyone's), due in [from, to] (YYYY-MM-DD; NULL:
 * no bound), nearest first, at most limit (1..WORK_LIST_MAX). AIMS_EINVALID
 * naming "from" or "to" for a bad date.
 */
#define WORK_LIST_MAX		500
int work_list(json_t **out, struct db *db, int64_t org_id, const char *owner,
    const char *from, const char *to, int limit);

/*
 * The certification calendar from today: {today, next: {date, what, days,
 * kind, ref, title} or null, events: [{date, what, kind, ref, title, past,
 * before: [{kind, ref, title, what, date, status, held}]}]} where before lists
 * the items flagged calendar (internal audits, management reviews) dated
 * after the previous external audit and on or before this one, and held
 * says whether the record is done.
 */
int work_calendar(json_t **out, struct db *db, int64_t org_id, time_t now);

/*
 * The events a calendar feed carries: scope "me", the work of user_id (their
 * items, nearest first, at most WORK_FEED_MAX); "org", the certification
 * calendar (external audits and what to hold before each). [{uid, date,
 * summary, description, categories}], uid stable across reads.
 */
int work_feed(json_t **out, struct db *db, int64_t org_id, int64_t user_id, const char *scope,
    time_t now);

/* Days from today to the next external audit (*days -1: none planned). */
int work_next_event(int64_t *days, json_t **event, struct db *db, int64_t org_id,
    time_t now);

/*
 * Checks the stored work items of the org against those its records give
 * now, and the kept counts of them (work_item_counts) against the items: 0,
 * or AIMS_EVERIFY naming the first item stored that no record gives, or
 * given and not stored, or the first kind whose count is wrong.
 */
int work_verify(struct db *db, int64_t org_id);

/*
 * work_tasks.c: the work items of other kinds listed after the tasks made
 * by hand (record_kind.list_extra of the tasks kind), as {ref, title,
 * owner, due, status "open", source, source_kind, field, what} where ref is
 * the source's reference and the due field joined by a dot ("DOC-3.review_date").
 */
extern const struct record_list_extra work_task_extra;
/*
 * The cursor of a page of generated tasks: the last item's sort key, kind,
 * number and due field, as base64url JSON. Parsed back to that array [key,
 * kind, num, field] (caller owns *out), or AIMS_EINVALID naming "cursor".
 */
char *work_task_cursor_encode(const char *key, const char *kind, int64_t num,
    const char *field);
int work_task_cursor_parse(json_t **out, const char *cursor);

#endif
