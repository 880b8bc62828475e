/*
 * fetch.c - outgoing HTTP(S) requests with libcurl (see fetch.h).
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "util/fetch.h"

static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;
static CURLcode fetch_init_rc;

static void
fetch_init(void)
{
	fetch_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t
fetch_write(char *data, size_t size, size_t n, void *arg)
{
	struct buf *out = arg;

	if (out->len + size * n > FETCH_MAX_BYTES)
		return 0;	/* too large: libcurl stops with CURLE_WRITE_ERROR */
	buf_append(out, data, size * n);
	return size * n;
}

static int
fetch_run(struct buf *out, long *status, const char *url, const char *body, const char *user,
    const char *password)
{
	char err[CURL_ERROR_SIZE] = "", *u = NULL, *p = NULL;
	struct curl_slist *headers = NULL;
	CURLcode cc;
	CURL *h;
	int rc = 0;

	*status = 0;
	pthread_once(&fetch_once, fetch_init);
	if (fetch_init_rc != CURLE_OK || (h = curl_easy_init()) == NULL)
		return aims_error_set(AIMS_ERROR, NULL, "libcurl did not start");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)FETCH_TIMEOUT_SEC);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)FETCH_CONNECT_SEC);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE, (long)FETCH_MAX_BYTES);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fetch_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "OpenAIMS");
	headers = curl_slist_append(headers, "Accept: application/json");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	if (body != NULL) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		if (user != NULL) {
			u = curl_easy_escape(h, user, 0);
			p = curl_easy_escape(h, password != NULL ? password : "", 0);
			curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
			curl_easy_setopt(h, CURLOPT_USERNAME, u != NULL ? u : "");
			curl_easy_setopt(h, CURLOPT_PASSWORD, p != NULL ? p : "");
		}
	}
	if ((cc = curl_easy_perform(h)) != CURLE_OK)
		rc = aims_error_set(AIMS_ERROR, NULL, "%s: %s", url, err[0] != '\0' ? err :
		    curl_easy_strerror(cc));
	else
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	curl_free(u);
	curl_free(p);
	curl_slist_free_all(headers);
	curl_easy_cleanup(h);
	return rc;
}

int
fetch_get(struct buf *out, long *status, const char *url)
{
	return fetch_run(out, status, url, NULL, NULL, NULL);
}

int
fetch_post_form(struct buf *out, long *status, const char *url, const char *body,
    const char *user, const char *password)
{
	return fetch_run(out, status, url, body, user, password);
}
