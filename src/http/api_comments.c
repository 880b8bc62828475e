/*
 * api_comments.c - comments on any record over the API
 * (/{kind}/{ref}/comments, core/comment.h): whoever may read the record
 * lists them, and comments when the permission table lets their role
 * (PERM_KIND_COMMENT). Another organisation's record is not found.
 */
#include <stdio.h>

#include "core/comment.h"
#include "core/perm.h"
#include "core/record.h"
#include "http/api.h"
#include "http/server.h"
#include "util/error.h"

static int
api_comment_record(const struct record_kind **out, struct http_ctx *c, json_t **rec)
{
	*out = record_kind_find(http_param(c, "kind"));
	*rec = NULL;
	if (*out == NULL)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "no such resource");
	/* The router checked reading the record's kind; the record must be this org's. */
	return record_get(rec, c->db, c->org_id, *out, http_param(c, "ref"));
}

int
api_comments_list(struct http_ctx *c)
{
	const struct record_kind *k;
	json_t *rec = NULL, *items = NULL;
	int rc;

	if ((rc = api_comment_record(&k, c, &rec)) == 0 &&
	    (rc = comment_list(&items, c->db, c->org_id, k, http_param(c, "ref"))) == 0)
		http_reply_list(c, items, NULL);
	json_decref(rec);
	return rc;
}

int
api_comments_add(struct http_ctx *c)
{
	struct comment_change w = { .org_id = c->org_id, .actor = &c->actor,
	    .ref = http_param(c, "ref"), .body = http_body_str(c, "body") };
	json_t *rec = NULL;
	int rc;

	if (!perm_allows(c->role, PERM_WRITE, PERM_KIND_COMMENT))
		return aims_error_set(AIMS_EFORBIDDEN, NULL, "your role (%s) may not comment in "
		    "this organisation", role_name(c->role));
	if ((rc = api_comment_record(&w.k, c, &rec)) == 0 &&
	    (rc = http_server_write(c->db, c->org_id, comment_change_apply, &w)) == 0)
		http_reply_json(c, 201, w.out);
	json_decref(rec);
	return rc;
}
