/*
 * soa.h - the Statement of Applicability as a document (6.1.3 d): the live
 * entries (record kind "soa", one per Annex A control) are the draft;
 * publishing freezes a numbered version with its date, approver, the
 * standard's edition and every row, retrievable after later edits; the draft
 * shows what changed, control by control, since the last published version.
 *
 * A row is {control, title, area, applicable, justification, status, owner,
 * measures[]}; applicable is true, false or null (undecided); area is the
 * control's Annex A area ("A.6.2").
 */
#ifndef AIMS_CORE_SOA_H
#define AIMS_CORE_SOA_H

#include <jansson.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/catalog.h"

struct db;

#define SOA_KIND		"soa"
#define SOA_FRAMEWORK		CATALOG_ISO42001
#define SOA_EDITION		"ISO/IEC 42001:2023"
#define SOA_NOTE_MAX		2000
#define SOA_LEDGER_KIND		"soa-versions"	/* ledger kind of published versions */

/* soa.c */
/* The current rows (the draft), in control order. Caller owns *out. */
int soa_rows(json_t **out, struct db *db, int64_t org_id);
/* [{version, published_at, published_by, approver, edition, note, row_count}], newest first. */
int soa_versions(json_t **out, struct db *db, int64_t org_id);
/* One published version with its rows[]; version 0: the latest. AIMS_ENOTFOUND if none. */
int soa_version_get(json_t **out, struct db *db, int64_t org_id, int64_t version);
/*
 * What changed in the draft since a published version (0: the latest):
 * {base_version, changes: [{control, title, fields: [{field, from, to}]}]}.
 * base_version is null and every row counts as changed when nothing was
 * published yet.
 */
int soa_diff(json_t **out, struct db *db, int64_t org_id, int64_t version);

/* soa_publish.c */
/*
 * Freezes the draft as the next version, with an optional note; appends the
 * ledger event in the same transaction. *out is the version as
 * soa_version_get() returns it. Publishing is the approval (the one model
 * of record.h): the actor is a named person (user_id > 0), manager or
 * admin, who changed no SoA entry since the last published version
 * (AIMS_EFORBIDDEN otherwise, naming them and the entry); the approver
 * recorded is their e-mail. approver (may be NULL) must name the actor.
 */
int soa_publish(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const char *approver, const char *note);
/* soa_publish()'s arguments, to publish as one request of the server's writer. */
struct soa_publish_change {
	int64_t			 org_id;
	const struct actor	*actor;
	const char		*approver, *note;
	json_t			*out;
};

/* db_write_fn: arg is a struct soa_publish_change; its out is soa_publish()'s. */
int soa_publish_apply(struct db *db, void *arg);
/*
 * For the ledger verifier (a ledger_load_fn): published versions are logged
 * as kind "soa-versions", ref the version number, in the soa_version_get()
 * form. AIMS_ENOTFOUND for any other kind.
 */
int soa_load_for_ledger(json_t **out, struct db *db, int64_t org_id, const char *kind,
    const char *ref);
/* Calls fn(arg, "soa-versions", ref) for every published version of org_id. */
int soa_enumerate(struct db *db, int64_t org_id,
    int (*fn)(void *arg, const char *kind, const char *ref), void *arg);

#endif
