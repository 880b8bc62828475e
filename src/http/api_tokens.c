/*
 * api_tokens.c - /api/v1/orgs/{org}/tokens: create (the secret is in this
 * one answer only), list and read without secrets, revoke.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/token.h"
#include "http/api.h"
#include "http/server.h"
#include "util/error.h"
#include "util/str.h"

static int
api_token_id(int64_t *id, struct http_ctx *c)
{
	/* {id} was validated as a positive number by the router. */
	return str_to_int64(id, http_param(c, "id"), 1, INT64_MAX);
}

int
api_tokens_list(struct http_ctx *c)
{
	struct http_list_args a;
	json_t *items = NULL;
	char *next = NULL;
	int rc;

	if ((rc = http_list_args_or_reply(&a, c)) != 0)
		return rc;
	if ((rc = token_list(&items, &next, c->db, c->org_id, a.limit, a.cursor)) != 0)
		return rc;
	http_reply_list(c, items, next);
	free(next);
	return 0;
}

int
api_tokens_create(struct http_ctx *c)
{
	struct token_change t = { .org_id = c->org_id, .actor = &c->actor,
	    .name = http_body_str(c, "name"), .expires_at = http_body_str(c, "expires_at") };
	json_t *rec;
	char loc[256];
	int rc;

	if ((rc = role_parse(&t.role, http_body_str(c, "role"))) != 0)
		return rc;
	if ((rc = http_server_write(c->db, c->org_id, token_change_apply, &t)) != 0)
		return rc;
	rec = t.out;
	snprintf(loc, sizeof(loc), "/api/v1/orgs/%s/tokens/%s", http_param(c, "org"),
	    json_string_value(json_object_get(rec, "ref")));
	http_reply_record(c, 201, rec, loc);
	return 0;
}

int
api_tokens_get(struct http_ctx *c)
{
	json_t *rec = NULL;
	int64_t id;
	int rc;

	if ((rc = api_token_id(&id, c)) != 0 || (rc = token_get(&rec, c->db, c->org_id, id)) != 0)
		return rc;
	http_reply_record(c, 200, rec, NULL);
	return 0;
}

int
api_tokens_revoke(struct http_ctx *c)
{
	struct token_change t = { .revoke = true, .org_id = c->org_id, .actor = &c->actor };
	int rc;

	if ((rc = http_if_match_or_reply(&t.if_version, c)) != 0)
		return rc;
	if ((rc = api_token_id(&t.id, c)) != 0 ||
	    (rc = http_server_write(c->db, c->org_id, token_change_apply, &t)) != 0)
		return rc;
	http_reply_empty(c, 204);
	return 0;
}
