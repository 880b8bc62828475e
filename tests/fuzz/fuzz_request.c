/*
 * fuzz_request.c - libFuzzer harness for request parsing: route matching of
 * the path, validation of the query parameters, and JSON body parsing and
 * validation against the declared fields.
 *
 * Input: "METHOD PATH\nQUERY\nBODY" where QUERY is name=value pairs joined
 * by '&' (already decoded, as libmicrohttpd hands them over).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "http/router.h"
#include "util/error.h"
#include "util/mem.h"

#define FUZZ_QUERY_MAX	40

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
fuzz_split_query(struct http_kv *kv, char *q)
{
	size_t n = 0;
	char *save = NULL, *pair;

	for (pair = strtok_r(q, "&", &save); pair != NULL && n < FUZZ_QUERY_MAX;
	    pair = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(pair, '=');

		if (eq != NULL)
			*eq++ = '\0';
		kv[n].name = pair;
		kv[n].value = eq;
		n++;
	}
	return n;
}

static void
fuzz_one(char *text, size_t len)
{
	struct http_kv query[FUZZ_QUERY_MAX], headers[1];
	char *nl1, *nl2, *sp, *method = text, *path, *qs = "";
	const char *body = NULL;
	size_t body_len = 0;
	struct http_req req;
	struct http_ctx c;
	char allow[64];
	int code;

	if ((nl1 = memchr(text, '\n', len)) == NULL)
		return;
	*nl1 = '\0';
	if ((nl2 = strchr(nl1 + 1, '\n')) != NULL) {
		*nl2 = '\0';
		qs = nl1 + 1;
		body = nl2 + 1;
		body_len = len - (size_t)(body - text);
	}
	if ((sp = strchr(text, ' ')) == NULL)
		return;
	*sp = '\0';
	path = sp + 1;
	memset(&req, 0, sizeof(req));
	headers[0].name = "Content-Type";
	headers[0].value = "application/json";
	req.method = method;
	req.path = path;
	req.query = query;
	req.nquery = fuzz_split_query(query, qs);
	req.headers = headers;
	req.nheaders = 1;
	req.body = body;
	req.body_len = body_len;
	http_ctx_init(&c, &req, NULL, NULL);
	c.route = router_match(method, path, c.params, &c.param_buf, &code, allow, sizeof(allow));
	if (c.route != NULL) {
		router_check_query(&c);
		router_check_body(&c);
	}
	http_reply_error(&c, aims_error_code() ? aims_error_code() : AIMS_EINVALID);
	http_ctx_free(&c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size > 1 << 20)
		return 0;
	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	fuzz_one(text, size);
	free(text);
	return 0;
}
