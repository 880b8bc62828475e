/*
 * notify.h - telling people and machines what happened, in the transaction
 * of the change that caused it: in-app notifications (the bell and its
 * unread count), mail queued in the outbox (at once or in the day's digest,
 * as each person chooses) and webhook deliveries queued for every webhook of
 * the organisation whose events match. Nothing here sends: the delivery
 * thread of `aims serve` (http/outbox_job.c) does, from the outbox.
 *
 * For other modules, the one call is notify_person(): "tell person X about
 * record Y". Core calls it itself when a record is assigned to someone (its
 * owner, or the person a due date names) and when a record waits for a
 * sign-off (to everyone who may give it but the one who asked).
 */
#ifndef AIMS_CORE_NOTIFY_H
#define AIMS_CORE_NOTIFY_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>

#include "core/actor.h"

struct db;

#define NOTIFY_TEXT_MAX		500	/* bytes of a notification's text */
#define NOTIFY_LIST_MAX		50	/* notifications listed, newest first */
#define NOTIFY_APPROVERS_MAX	50	/* people told that a record waits for sign-off */
#define NOTIFY_DIGEST_ITEMS	20	/* items of each group a digest lists */

/* Events: what notifications, mails and webhooks say happened. */
#define NOTIFY_ASSIGNED		"assigned"		/* a record or task is yours */
#define NOTIFY_APPROVAL		"approval_requested"	/* a record waits for your sign-off */
#define NOTIFY_DIGEST		"digest"		/* the day's mail */
/* Webhook events besides those two ("task.assigned", "approval.requested"). */
#define NOTIFY_RECORD_CREATED	"record.created"
#define NOTIFY_RECORD_CHANGED	"record.changed"
#define NOTIFY_RECORD_DELETED	"record.deleted"

/* The mail choices: every notification at once, a daily digest, or none. */
#define NOTIFY_MAIL_IMMEDIATE	"immediate"
#define NOTIFY_MAIL_DIGEST	"digest"
#define NOTIFY_MAIL_NONE	"none"

/*
 * Tells user_id, a member of org_id, about the record kind/ref (both may be
 * "" for none): an in-app notification with text (in words, at most
 * NOTIFY_TEXT_MAX bytes, cut at a character boundary) and, when they chose
 * immediate mail, a mail in the outbox. Joins the caller's transaction (or
 * makes its own). event: one of the NOTIFY_* names or the caller's own
 * ("mention"); a user who is not a member, or is disabled, is not told
 * (0, nothing written). The actor who caused it is never told.
 */
int notify_person(struct db *db, int64_t org_id, const struct actor *actor, int64_t user_id,
    const char *event, const char *kind, const char *ref, const char *text);

/*
 * Queues event for every enabled webhook of org_id whose events name it
 * (or "*"): the body is payload with "event", "org" and "at" added. Joins
 * the caller's transaction.
 */
int notify_webhooks(struct db *db, int64_t org_id, const char *event, const json_t *payload);

/* Events of the mails that carry a link which is a secret (notify_mail_link). */
#define NOTIFY_INVITATION	"invitation"
#define NOTIFY_PASSWORD_RESET	"password_reset"

/*
 * Queues a mail that carries a secret link (an invitation, a password
 * reset) to the address to: written in the caller's transaction with the
 * link's own row, so the link is not lost when the mail server is down (the
 * outbox retries). The body is sealed (core/seal.h, {"sealed": base64}):
 * a copy of the database alone does not give the link away; the delivery
 * thread opens it, and erases it once the mail is sent or given up.
 * user_id: the account it goes to (0: none yet); org_id 0: no organisation.
 */
int notify_mail_link(struct db *db, int64_t org_id, int64_t user_id, const char *event,
    const char *to, const char *subject, const char *text);
/* The {to, subject, text} a queued mail's body holds, sealed or not. Caller owns. */
int notify_mail_open(json_t **out, struct db *db, const char *body);

/* {unread, items: [{id, event, kind, ref, text, actor, created_at, read}]}, newest first. */
int notify_list(json_t **out, struct db *db, int64_t org_id, int64_t user_id);
int notify_unread(int64_t *out, struct db *db, int64_t org_id, int64_t user_id);
/* Marks one notification (id) or all of them (id 0) read. */
int notify_mark_read(struct db *db, int64_t org_id, int64_t user_id, int64_t id);

/* The person's mail choice (NOTIFY_MAIL_*), immediate when never set. */
int notify_pref_get(const char **out, struct db *db, int64_t user_id);
/* AIMS_EINVALID naming "mail" for anything but the three choices. */
int notify_pref_set(struct db *db, int64_t user_id, const char *mail);

/*
 * Queues today's digest (their work: overdue, due this week, waiting for
 * their sign-off; unread notifications) for every member of every
 * organisation who chose the digest and has not had today's, once the
 * time of day (UTC) is past hour. One transaction per digest; *queued
 * (may be NULL) counts them.
 */
int notify_digests_queue(int *queued, struct db *db, time_t now, int hour);

#endif
