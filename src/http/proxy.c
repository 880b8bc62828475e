/*
 * proxy.c - trusted proxies and X-Forwarded-For (see proxy.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "http/proxy.h"
#include "util/error.h"
#include "util/str.h"

/* Parses an address (IPv4, IPv6, or v4-mapped IPv6 as IPv4) into n. */
static bool
proxy_parse_addr(struct proxy_net *n, const char *s)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	memset(n, 0, sizeof(*n));
	if (inet_pton(AF_INET, s, n->addr) == 1) {
		n->family = AF_INET;
		n->bits = 32;
		return true;
	}
	if (inet_pton(AF_INET6, s, n->addr) == 1) {
		if (memcmp(n->addr, mapped, sizeof(mapped)) == 0) {
			memmove(n->addr, n->addr + 12, 4);
			memset(n->addr + 4, 0, 12);
			n->family = AF_INET;
			n->bits = 32;
			return true;
		}
		n->family = AF_INET6;
		n->bits = 128;
		return true;
	}
	return false;
}

static int
proxy_add_one(struct proxy_list *l, const char *item)
{
	char addr[PROXY_ADDR_MAX];
	const char *slash = strchr(item, '/');
	struct proxy_net n;
	size_t len = slash ? (size_t)(slash - item) : strlen(item);
	int64_t bits;

	if (len == 0 || len >= sizeof(addr))
		goto bad;
	memcpy(addr, item, len);
	addr[len] = '\0';
	if (!proxy_parse_addr(&n, addr))
		goto bad;
	if (slash != NULL) {
		if (str_to_int64(&bits, slash + 1, 0, n.family == AF_INET ? 32 : 128) != 0)
			goto bad;
		n.bits = (int)bits;
	}
	if (l->n == PROXY_MAX)
		return aims_error_set(AIMS_EINVALID, "--trusted-proxy",
		    "--trusted-proxy takes at most %d addresses or networks", PROXY_MAX);
	l->nets[l->n++] = n;
	return 0;
bad:
	return aims_error_set(AIMS_EINVALID, "--trusted-proxy",
	    "--trusted-proxy must be an IPv4 or IPv6 address, optionally /BITS, not '%.64s'", item);
}

int
proxy_add(struct proxy_list *l, const char *list)
{
	char *copy = strdup(list), *save = NULL, *item;
	int rc = 0, seen = 0;

	if (copy == NULL)
		return aims_error_set(AIMS_ERROR, NULL, "out of memory");
	for (item = strtok_r(copy, ", ", &save); item != NULL && rc == 0;
	    item = strtok_r(NULL, ", ", &save), seen++)
		rc = proxy_add_one(l, item);
	free(copy);
	if (rc == 0 && seen == 0)
		rc = aims_error_set(AIMS_EINVALID, "--trusted-proxy",
		    "--trusted-proxy needs an address");
	return rc;
}

static bool
proxy_net_has(const struct proxy_net *net, const struct proxy_net *a)
{
	int full = net->bits / 8, rest = net->bits % 8;

	if (net->family != a->family)
		return false;
	if (memcmp(net->addr, a->addr, (size_t)full) != 0)
		return false;
	return rest == 0 ||
	    ((net->addr[full] ^ a->addr[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

static bool
proxy_trusted_net(const struct proxy_list *l, const struct proxy_net *a)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (proxy_net_has(&l->nets[i], a))
			return true;
	return false;
}

bool
proxy_trusted(const struct proxy_list *l, const char *addr)
{
	struct proxy_net a;

	return l != NULL && addr != NULL && proxy_parse_addr(&a, addr) &&
	    proxy_trusted_net(l, &a);
}

/* Copies xff's element ending before end (trimmed) into out; its start. */
static const char *
proxy_prev_element(char *out, size_t outlen, const char *xff, const char *end)
{
	const char *start = end, *e = end;
	size_t n;

	while (start > xff && start[-1] != ',')
		start--;
	while (start < e && (*start == ' ' || *start == '\t'))
		start++;
	while (e > start && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	n = (size_t)(e - start);
	if (n >= outlen)
		n = 0;	/* too long to be an address */
	memcpy(out, start, n);
	out[n] = '\0';
	while (start > xff && start[-1] != ',')
		start--;
	return start;
}

void
proxy_client(char out[PROXY_ADDR_MAX], const struct proxy_list *l, const char *peer,
    const char *xff)
{
	char item[PROXY_ADDR_MAX];
	const char *end;
	struct proxy_net a;
	int seen;

	snprintf(out, PROXY_ADDR_MAX, "%s", peer);
	if (l == NULL || l->n == 0 || xff == NULL || !proxy_trusted(l, peer))
		return;
	end = xff + strlen(xff);
	for (seen = 0; seen < PROXY_XFF_MAX; seen++) {
		const char *start = proxy_prev_element(item, sizeof(item), xff, end);

		if (!proxy_parse_addr(&a, item))
			return;	/* not an address: the last trusted hop is the client */
		/* Normalised, so one client has one spelling (throttle keys). */
		inet_ntop(a.family, a.addr, out, PROXY_ADDR_MAX);
		if (!proxy_trusted_net(l, &a) || start == xff)
			return;
		end = start - 1;	/* before the comma */
	}
}
