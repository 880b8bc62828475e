/*
 * perm.c - the permission table (see perm.h): role x action x kind.
 */
#include <string.h>

#include "core/perm.h"
#include "util/error.h"

#define R	(1u << PERM_READ)
#define W	(1u << PERM_WRITE)
#define D	(1u << PERM_DELETE)
#define A	(1u << PERM_APPROVE)
#define M	(1u << PERM_ADMIN)

/* perm_table[kind][role]: the actions allowed. ROLE_NONE may do nothing. */
static const unsigned perm_table[PERM_KIND_COUNT][ROLE_ADMIN + 1] = {
	/*			  none viewer auditor contributor manager    admin */
	[PERM_KIND_ORG] =	{ 0,   R,     R,      R,          R|W,       R|W|D|A|M },
	[PERM_KIND_MEMBERSHIP] ={ 0,   R,     R,      R,          R|W|D,     R|W|D|A|M },
	[PERM_KIND_TOKEN] =	{ 0,   0,     0,      R|W|D,      R|W|D,     R|W|D|A|M },
	[PERM_KIND_CATALOG] =	{ 0,   R,     R,      R,          R,         R|M },
	[PERM_KIND_LEDGER] =	{ 0,   R,     R,      R,          R,         R|M },
	[PERM_KIND_OPERATIONAL] ={ 0,  R,     R,      R|W|D,      R|W|D|A,   R|W|D|A|M },
	[PERM_KIND_AUDIT] =	{ 0,   R,     R|W|D,  R,          R|W|D|A,   R|W|D|A|M },
	[PERM_KIND_GOVERNANCE] ={ 0,   R,     R,      R,          R|W|D|A,   R|W|D|A|M },
	/* Auditors review what they may not change: they comment too. Never changed after. */
	[PERM_KIND_COMMENT] =	{ 0,   R,     R|W,    R|W,        R|W,       R|W },
};

static const char *const perm_action_names[PERM_ACTION_COUNT] = {
	[PERM_READ] = "read",
	[PERM_WRITE] = "write",
	[PERM_DELETE] = "delete",
	[PERM_APPROVE] = "approve",
	[PERM_ADMIN] = "admin",
};

static const struct {
	const char *name;
	const char *doc;
} perm_kinds[PERM_KIND_COUNT] = {
	[PERM_KIND_ORG] = { "org",
	    "the organisation itself: name, AI roles, settings (the concern reporting channel, "
	    "a second factor required of members; single sign-on is admin)" },
	[PERM_KIND_MEMBERSHIP] = { "membership", "who belongs to the organisation, with which role" },
	[PERM_KIND_TOKEN] = { "token", "API tokens for machines (CI, monitoring)" },
	[PERM_KIND_CATALOG] = { "catalog", "frameworks and their requirements (shared, read-only data)" },
	[PERM_KIND_LEDGER] = { "ledger", "the tamper-evident audit trail and its verification" },
	[PERM_KIND_OPERATIONAL] = { "operational",
	    "AI systems, impact assessments, risks, evidence, metrics, incidents, suppliers, "
	    "models, data sets, nonconformities and corrective actions, improvements; ML-BOM, "
	    "model card and red-team imports" },
	[PERM_KIND_AUDIT] = { "audit", "audit programme, audits, checklists, findings" },
	[PERM_KIND_GOVERNANCE] = { "governance",
	    "scope, context, policy, documents, risk criteria, SoA, objectives, management reviews, "
	    "concerns, attestations (requirements confirmed by hand)" },
	[PERM_KIND_COMMENT] = { "comment",
	    "comments and reviewers' notes on the records one may read (never changed or removed)" },
};

bool
perm_allows(enum role role, enum perm_action action, enum perm_kind kind)
{
	if (role < ROLE_NONE || role > ROLE_ADMIN || action < 0 ||
	    action >= PERM_ACTION_COUNT || kind < 0 || kind >= PERM_KIND_COUNT)
		return false;
	return (perm_table[kind][role] & (1u << action)) != 0;
}

bool
perm_role_covers(enum role a, enum role b)
{
	int k;

	if (a < ROLE_NONE || a > ROLE_ADMIN || b < ROLE_NONE || b > ROLE_ADMIN)
		return false;
	for (k = 0; k < PERM_KIND_COUNT; k++)
		if ((perm_table[k][b] & ~perm_table[k][a]) != 0)
			return false;
	return true;
}

/* How many (kind, action) pairs a role allows: ranks the candidates of a meet. */
static int
perm_role_weight(enum role r)
{
	int k, n = 0;

	for (k = 0; k < PERM_KIND_COUNT; k++)
		n += __builtin_popcount(perm_table[k][r]);
	return n;
}

enum role
perm_role_meet(enum role a, enum role b)
{
	enum role best = ROLE_NONE;
	int r;

	if (perm_role_covers(b, a))
		return a;
	if (perm_role_covers(a, b))
		return b;
	/* Neither covers the other (auditor and contributor): the largest role under both. */
	for (r = ROLE_VIEWER; r <= ROLE_ADMIN; r++)
		if (perm_role_covers(a, (enum role)r) && perm_role_covers(b, (enum role)r) &&
		    perm_role_weight((enum role)r) > perm_role_weight(best))
			best = (enum role)r;
	return best;
}

bool
perm_may_assign(enum role actor, enum role target)
{
	return target > ROLE_NONE && target <= ROLE_ADMIN && perm_role_covers(actor, target);
}

const char *
perm_action_name(enum perm_action a)
{
	return (a >= 0 && a < PERM_ACTION_COUNT) ? perm_action_names[a] : "none";
}

const char *
perm_kind_name(enum perm_kind k)
{
	return (k >= 0 && k < PERM_KIND_COUNT) ? perm_kinds[k].name : "none";
}

const char *
perm_kind_doc(enum perm_kind k)
{
	return (k >= 0 && k < PERM_KIND_COUNT) ? perm_kinds[k].doc : "";
}

int
perm_kind_parse(enum perm_kind *out, const char *name)
{
	int k;

	for (k = 0; k < PERM_KIND_COUNT; k++)
		if (name != NULL && strcmp(name, perm_kinds[k].name) == 0) {
			*out = (enum perm_kind)k;
			return 0;
		}
	return aims_error_set(AIMS_EINVALID, "perm_kind", "unknown permission kind '%s'",
	    name ? name : "");
}

static void
perm_write_cell(struct buf *out, enum role role, enum perm_kind kind)
{
	int a, any = 0;

	buf_puts(out, " |");
	for (a = 0; a < PERM_ACTION_COUNT; a++)
		if (perm_allows(role, (enum perm_action)a, kind)) {
			buf_puts(out, any ? ", " : " ");
			buf_puts(out, perm_action_names[a]);
			any = 1;
		}
	if (!any)
		buf_puts(out, " -");
}

void
perm_write_markdown(struct buf *out)
{
	int k, r;

	buf_puts(out,
	    "# Permissions\n\n"
	    "<!-- Generated from src/core/perm.c by perm_write_markdown(); "
	    "tests/unit/test_perm.c fails when this file is out of date. -->\n\n"
	    "Every request is checked against this one table (role x action x kind) before its\n"
	    "handler runs. A caller who is not a member of an organisation, or who asks for a\n"
	    "record that does not exist, gets 404, never 403. Nobody grants a membership or an API\n"
	    "token with a role that may do anything their own role may not (a role covers another\n"
	    "when, in the table below, it allows every action the other allows): so managers do\n"
	    "not change or remove admins, and a contributor cannot grant auditor, which writes\n"
	    "audits.\n\n"
	    "An API token acts with the largest role covered both by its own role and by its\n"
	    "creator's current role in the organisation: demoting the creator narrows their\n"
	    "tokens at once. Removing the creator from the organisation, or disabling them,\n"
	    "revokes their tokens.\n\n"
	    "Actions: read; write (create and change); delete (delete or retire); approve (approve,\n"
	    "accept a risk, sign off); admin (settings of the organisation itself).\n\n"
	    "A sign-off needs more than the role: it is refused to anyone who wrote the version\n"
	    "to approve (changed its content since it was last approved), proposed the risk to\n"
	    "accept, or changed a Statement of Applicability entry since its last published\n"
	    "version, compared by user id whatever the credential (session, API token, or\n"
	    "`--as EMAIL` on the command line); the system signs off nothing. A risk's owner may\n"
	    "accept it with the write permission. Each record's `GET .../{ref}/steps` lists the\n"
	    "steps a caller may take and, for the others, why not.\n\n"
	    "Auditors read every record (to sample it) and write audit programmes, audits and\n"
	    "findings, with two rules on top of the table: an audit's checklist, conclusion and\n"
	    "findings are written by its lead auditor and team only, and nobody is on an audit\n"
	    "of a requirement or AI system whose records they own or wrote or that the\n"
	    "responsibilities records give them. Issuing an audit report is a sign-off (approve\n"
	    "on audit) by someone who did not write the audit.\n\n"
	    "| kind | covers |\n| --- | --- |\n");
	for (k = 0; k < PERM_KIND_COUNT; k++)
		buf_printf(out, "| %s | %s |\n", perm_kinds[k].name, perm_kinds[k].doc);
	buf_puts(out, "\n| kind |");
	for (r = ROLE_VIEWER; r <= ROLE_ADMIN; r++)
		buf_printf(out, " %s |", role_name((enum role)r));
	buf_puts(out, "\n| --- |");
	for (r = ROLE_VIEWER; r <= ROLE_ADMIN; r++)
		buf_puts(out, " --- |");
	buf_putc(out, '\n');
	for (k = 0; k < PERM_KIND_COUNT; k++) {
		buf_printf(out, "| %s", perm_kinds[k].name);
		for (r = ROLE_VIEWER; r <= ROLE_ADMIN; r++)
			perm_write_cell(out, (enum role)r, (enum perm_kind)k);
		buf_puts(out, " |\n");
	}
}
