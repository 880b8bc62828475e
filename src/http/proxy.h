/*
 * proxy.h - the client's address behind trusted reverse proxies.
 *
 * Behind a reverse proxy every connection comes from the proxy, so the
 * sign-in throttle (core/throttle.h) would count every client as one. With
 * `aims serve --trusted-proxy ADDR[/BITS]`, a request whose peer is one of
 * those proxies takes its client from X-Forwarded-For: the right-most
 * address that is not itself a trusted proxy (the left part of the header
 * is whatever the client sent, and proves nothing). From any other peer
 * the header is ignored.
 */
#ifndef AIMS_HTTP_PROXY_H
#define AIMS_HTTP_PROXY_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROXY_MAX		32	/* trusted proxies (addresses or networks) */
#define PROXY_XFF_MAX		64	/* X-Forwarded-For elements looked at */
#define PROXY_ADDR_MAX		INET6_ADDRSTRLEN

struct proxy_net {
	int	family;		/* AF_INET or AF_INET6 */
	uint8_t	addr[16];
	int	bits;		/* prefix length */
};

struct proxy_list {
	size_t			n;
	struct proxy_net	nets[PROXY_MAX];
};

/*
 * Adds "ADDR", "ADDR/BITS" or a comma-separated list of them to l.
 * 0, or AIMS_EINVALID naming --trusted-proxy and the element at fault.
 */
int proxy_add(struct proxy_list *l, const char *list);
/* Is the address text addr inside one of l's networks? */
bool proxy_trusted(const struct proxy_list *l, const char *addr);
/*
 * The client's address: peer itself unless peer is trusted and xff (the
 * X-Forwarded-For values joined by commas, or NULL) names a client. An
 * element that is not an address ends the search at the last trusted hop.
 */
void proxy_client(char out[PROXY_ADDR_MAX], const struct proxy_list *l, const char *peer,
    const char *xff);

#endif
