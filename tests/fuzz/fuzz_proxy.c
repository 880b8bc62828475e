/*
 * fuzz_proxy.c - libFuzzer harness for the --trusted-proxy list parser and
 * the X-Forwarded-For walk (http/proxy.c), and the request-target check
 * (http/guard.c). Input: a proxy list, a newline, a peer address, a
 * newline, then the header value.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/guard.h"
#include "http/proxy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *peer, *xff, out[PROXY_ADDR_MAX];
	struct proxy_list l;

	memcpy(s, data, size);
	s[size] = '\0';
	guard_check_target(s);
	memset(&l, 0, sizeof(l));
	if ((peer = strchr(s, '\n')) == NULL) {
		proxy_add(&l, s);
		free(s);
		return 0;
	}
	*peer++ = '\0';
	if ((xff = strchr(peer, '\n')) != NULL)
		*xff++ = '\0';
	proxy_add(&l, s);
	proxy_client(out, &l, peer, xff);
	if (strlen(out) >= PROXY_ADDR_MAX)
		abort();
	free(s);
	return 0;
}
