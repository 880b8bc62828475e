/*
 * oscal.c - what the OSCAL export and import share (see oscal.h): model
 * names, the derived UUIDs and the mapping between our requirement ids and
 * OSCAL control ids.
 */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "io/oscal.h"
#include "util/error.h"

/*
 * The namespace of every derived UUID. Fixed for all time: changing it
 * would change every UUID ever exported.
 */
static const char oscal_namespace[] = "6f0c3a52-9e1d-5b7a-8c44-openaims-oscal";

#define OSCAL_ISO_PREFIX	"iso42001-"

static const char *const model_names[] = {
	"catalog", "profile", "ssp", "assessment-results", "poam",
};
static const char *const model_roots[] = {
	"catalog", "profile", "system-security-plan", "assessment-results",
	"plan-of-action-and-milestones",
};

int
oscal_parse_model(enum oscal_model *out, const char *s)
{
	size_t i;

	for (i = 0; i < OSCAL_MODEL_COUNT; i++)
		if (strcmp(s, model_names[i]) == 0) {
			*out = (enum oscal_model)i;
			return 0;
		}
	return aims_error_set(AIMS_EINVALID, "model", "unknown OSCAL model '%s' (allowed: "
	    "catalog, profile, ssp, assessment-results, poam)", s);
}

const char *
oscal_model_name(enum oscal_model m)
{
	return m < OSCAL_MODEL_COUNT ? model_names[m] : "?";
}

const char *
oscal_model_root(enum oscal_model m)
{
	return m < OSCAL_MODEL_COUNT ? model_roots[m] : "?";
}

void
oscal_uuid(char out[OSCAL_UUID_LEN], const char *org, const char *kind, const char *key)
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	/* NUL separators: ("a", "bc") and ("ab", "c") must not collide. */
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)oscal_namespace,
	    sizeof(oscal_namespace));
	crypto_hash_sha256_update(&st, (const unsigned char *)org, strlen(org) + 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)kind, strlen(kind) + 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)key, strlen(key));
	crypto_hash_sha256_final(&st, h);
	h[6] = (unsigned char)((h[6] & 0x0f) | 0x50);	/* version 5: name-based */
	h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[h[i] >> 4];
		out[o++] = hex[h[i] & 0x0f];
	}
	out[o] = '\0';
}

void
oscal_control_id(char *out, size_t len, const char *requirement)
{
	size_t o, i;

	o = (size_t)snprintf(out, len, "%s", OSCAL_ISO_PREFIX);
	for (i = 0; requirement[i] != '\0' && o + 1 < len; i++)
		out[o++] = (char)tolower((unsigned char)requirement[i]);
	if (o < len)
		out[o] = '\0';
}

int
oscal_requirement_id(char *out, size_t len, const char *s)
{
	size_t i, o = 0;

	if (strncmp(s, OSCAL_ISO_PREFIX, strlen(OSCAL_ISO_PREFIX)) == 0)
		s += strlen(OSCAL_ISO_PREFIX);
	/* An id is digits and dots, optionally after one annex letter. */
	if (isalpha((unsigned char)s[0]) && s[1] == '.') {
		if (len < 3)
			goto bad;
		out[o++] = (char)toupper((unsigned char)s[0]);
		out[o++] = '.';
		s += 2;
	}
	if (!isdigit((unsigned char)s[0]))
		goto bad;
	for (i = 0; s[i] != '\0' && s[i] != '_'; i++) {
		if (!isdigit((unsigned char)s[i]) && s[i] != '.')
			goto bad;
		if (o + 1 >= len)
			goto bad;
		out[o++] = s[i];
	}
	if (out[o - 1] == '.')
		goto bad;
	out[o] = '\0';
	return 0;
bad:
	if (len > 0)
		out[0] = '\0';
	return aims_error_set(AIMS_EINVALID, NULL, "'%s' is not an ISO/IEC 42001 id", s);
}
