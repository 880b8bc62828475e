/*
 * perm.h - the one permission table: may a role perform an action on a kind
 * of thing? Every front-end asks perm_allows(); nothing else decides.
 *
 * Record kinds (core/record.h) name their permission kind in perm_kind:
 * "operational", "audit" or "governance" (see perm_kind_parse).
 * docs/permissions.md is generated from this table (test_perm checks it).
 */
#ifndef AIMS_CORE_PERM_H
#define AIMS_CORE_PERM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/role.h"
#include "util/buf.h"

enum perm_action {
	PERM_READ,
	PERM_WRITE,	/* create and change */
	PERM_DELETE,	/* delete or retire */
	PERM_APPROVE,	/* approve, accept a risk, sign off */
	PERM_ADMIN,	/* settings of the organisation itself */
	PERM_ACTION_COUNT,
};

enum perm_kind {
	PERM_KIND_ORG,		/* the organisation and its settings */
	PERM_KIND_MEMBERSHIP,	/* who belongs, with which role */
	PERM_KIND_TOKEN,	/* API tokens */
	PERM_KIND_CATALOG,	/* frameworks and requirements */
	PERM_KIND_LEDGER,	/* the audit trail */
	PERM_KIND_OPERATIONAL,	/* AI systems, evidence, incidents, metrics, suppliers... */
	PERM_KIND_AUDIT,	/* audit programme, audits, findings */
	PERM_KIND_GOVERNANCE,	/* scope, policy, risk criteria, SoA, reviews, documents... */
	PERM_KIND_COMMENT,	/* comments on records one may read, reviewers' notes */
	PERM_KIND_COUNT,
};

bool perm_allows(enum role role, enum perm_action action, enum perm_kind kind);
const char *perm_action_name(enum perm_action a);
const char *perm_kind_name(enum perm_kind k);
/* What the kind covers, one line (for the document). */
const char *perm_kind_doc(enum perm_kind k);
int perm_kind_parse(enum perm_kind *out, const char *name);
/*
 * Does role a allow every (action, kind) that role b allows? Roles are not
 * a simple order: auditor writes audits and contributor writes operational
 * records, so neither covers the other, and both cover viewer.
 */
bool perm_role_covers(enum role a, enum role b);
/*
 * The largest role that both a and b cover: a or b when one covers the
 * other, else the richest role under both (viewer for auditor and
 * contributor); ROLE_NONE when there is none. What a token may do when its
 * role and its creator's current role differ.
 */
enum role perm_role_meet(enum role a, enum role b);
/*
 * May actor (role `actor`) grant, change or remove something that carries
 * role `target` (a membership or a token)? Only when actor covers target:
 * nobody hands out a role that may do something they may not, so managers
 * do not touch admins and a contributor cannot grant auditor.
 */
bool perm_may_assign(enum role actor, enum role target);
/* Appends docs/permissions.md generated from the table. */
void perm_write_markdown(struct buf *out);

#endif
