/*
 * note.c - C2SP signed notes, note keys and tlog checkpoints (see note.h).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "ledger/merkle.h"
#include "ledger/note.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/str.h"

#define NOTE_DASH		"\xe2\x80\x94 "		/* U+2014 and a space */
#define NOTE_DASH_LEN		4
#define NOTE_SKEY_PREFIX	"PRIVATE+KEY+"
#define NOTE_KEY_HEX_LEN	(2 * NOTE_KEY_ID_LEN)
#define NOTE_B64_MAX		128	/* base64 of anything a key or signature line holds */
#define NOTE_SIZE_DIGITS_MAX	20

/* A key name: printable ASCII without spaces or '+'. */
static int
note_name_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > NOTE_KEY_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '+')
			return 0;
	return 1;
}

static void
note_key_id(uint8_t id[NOTE_KEY_ID_LEN], const char *name, const uint8_t pub[NOTE_PUBKEY_LEN])
{
	crypto_hash_sha256_state st;
	uint8_t h[crypto_hash_sha256_BYTES];
	const uint8_t sep[2] = { '\n', NOTE_ALG_ED25519 };

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)name, strlen(name));
	crypto_hash_sha256_update(&st, sep, sizeof(sep));
	crypto_hash_sha256_update(&st, pub, NOTE_PUBKEY_LEN);
	crypto_hash_sha256_final(&st, h);
	memcpy(id, h, NOTE_KEY_ID_LEN);
}

/* Decodes exactly len base64 characters into exactly want bytes. */
static int
note_b64_decode(uint8_t *out, size_t want, const char *s, size_t len)
{
	const char *end;
	size_t got;

	if (sodium_base642bin(out, want, s, len, NULL, &got, &end,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || got != want || end != s + len)
		return -1;
	return 0;
}

static void
note_b64_append(struct buf *out, const uint8_t *bin, size_t len)
{
	char b64[NOTE_B64_MAX];

	sodium_bin2base64(b64, sizeof(b64), bin, len, sodium_base64_VARIANT_ORIGINAL);
	buf_puts(out, b64);
}

/*
 * Splits "<name>+<hex id>+<base64(0x01 || key)>" and checks the id; the
 * caller gives the key length. Fills name, id and key.
 */
static int
note_key_split(struct note_verifier *v, uint8_t *key, size_t keylen, const char *s, size_t len,
    const char *what)
{
	const char *p1, *p2, *end = s + len;
	uint8_t raw[1 + NOTE_SEED_LEN];
	size_t idlen;

	if ((p1 = memchr(s, '+', len)) == NULL ||
	    (p2 = memchr(p1 + 1, '+', (size_t)(end - p1 - 1))) == NULL ||
	    !note_name_ok(s, (size_t)(p1 - s)) || p2 - p1 - 1 != NOTE_KEY_HEX_LEN ||
	    sodium_hex2bin(v->id, sizeof(v->id), p1 + 1, NOTE_KEY_HEX_LEN, NULL, &idlen, NULL) != 0 ||
	    idlen != NOTE_KEY_ID_LEN || keylen + 1 > sizeof(raw) ||
	    note_b64_decode(raw, keylen + 1, p2 + 1, (size_t)(end - p2 - 1)) != 0 ||
	    raw[0] != NOTE_ALG_ED25519)
		return aims_error_set(AIMS_EINVALID, "key", "malformed %s key", what);
	memcpy(v->name, s, (size_t)(p1 - s));
	v->name[p1 - s] = '\0';
	memcpy(key, raw + 1, keylen);
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

int
note_signer_init(struct note_signer *s, const char *name, const uint8_t seed[NOTE_SEED_LEN])
{
	if (!note_name_ok(name, strlen(name)))
		return aims_error_set(AIMS_EINVALID, "name",
		    "key name must be 1 to %d printable characters without spaces or '+'",
		    NOTE_KEY_NAME_MAX);
	memmove(s->v.name, name, strlen(name) + 1);	/* name may be s->v.name */
	crypto_sign_seed_keypair(s->v.pub, s->sk, seed);
	note_key_id(s->v.id, name, s->v.pub);
	return 0;
}

int
note_signer_parse(struct note_signer *s, const char *skey, size_t len)
{
	const size_t plen = strlen(NOTE_SKEY_PREFIX);
	uint8_t seed[NOTE_SEED_LEN], id[NOTE_KEY_ID_LEN];
	int rc;

	while (len > 0 && (skey[len - 1] == '\n' || skey[len - 1] == '\r'))
		len--;
	if (len < plen || memcmp(skey, NOTE_SKEY_PREFIX, plen) != 0)
		return aims_error_set(AIMS_EINVALID, "key",
		    "not a signing key (it must begin with %s)", NOTE_SKEY_PREFIX);
	if ((rc = note_key_split(&s->v, seed, sizeof(seed), skey + plen, len - plen,
	    "signing")) != 0)
		return rc;
	memcpy(id, s->v.id, sizeof(id));
	rc = note_signer_init(s, s->v.name, seed);
	sodium_memzero(seed, sizeof(seed));
	if (rc == 0 && memcmp(id, s->v.id, sizeof(id)) != 0)
		rc = aims_error_set(AIMS_EINVALID, "key", "signing key id does not match the key");
	return rc;
}

void
note_signer_format(struct buf *out, const struct note_signer *s)
{
	uint8_t raw[1 + NOTE_SEED_LEN];
	char hex[NOTE_KEY_HEX_LEN + 1];

	raw[0] = NOTE_ALG_ED25519;
	memcpy(raw + 1, s->sk, NOTE_SEED_LEN);
	sodium_bin2hex(hex, sizeof(hex), s->v.id, NOTE_KEY_ID_LEN);
	buf_printf(out, "%s%s+%s+", NOTE_SKEY_PREFIX, s->v.name, hex);
	note_b64_append(out, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
}

int
note_verifier_parse(struct note_verifier *v, const char *vkey, size_t len)
{
	uint8_t id[NOTE_KEY_ID_LEN];
	int rc;

	while (len > 0 && (vkey[len - 1] == '\n' || vkey[len - 1] == '\r'))
		len--;
	if ((rc = note_key_split(v, v->pub, sizeof(v->pub), vkey, len, "public")) != 0)
		return rc;
	note_key_id(id, v->name, v->pub);
	if (memcmp(id, v->id, sizeof(id)) != 0)
		return aims_error_set(AIMS_EINVALID, "key", "public key id does not match the key");
	return 0;
}

void
note_verifier_format(struct buf *out, const struct note_verifier *v)
{
	uint8_t raw[1 + NOTE_PUBKEY_LEN];
	char hex[NOTE_KEY_HEX_LEN + 1];

	raw[0] = NOTE_ALG_ED25519;
	memcpy(raw + 1, v->pub, NOTE_PUBKEY_LEN);
	sodium_bin2hex(hex, sizeof(hex), v->id, NOTE_KEY_ID_LEN);
	buf_printf(out, "%s+%s+", v->name, hex);
	note_b64_append(out, raw, sizeof(raw));
}

/* UTF-8, no control characters but newline, ending in a newline. */
static int
note_text_ok(const char *text, size_t len)
{
	size_t i;

	if (len == 0 || len > NOTE_TEXT_MAX || text[len - 1] != '\n' || !str_is_utf8(text, len))
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)text[i] < 0x20 && text[i] != '\n')
			return 0;
	return 1;
}

int
note_sign(struct buf *out, const char *text, size_t len, const struct note_signer *s)
{
	uint8_t raw[NOTE_KEY_ID_LEN + NOTE_SIG_LEN];

	if (!note_text_ok(text, len))
		return aims_error_set(AIMS_EINVALID, NULL,
		    "note text must be UTF-8 without control characters and end in a newline");
	memcpy(raw, s->v.id, NOTE_KEY_ID_LEN);
	crypto_sign_detached(raw + NOTE_KEY_ID_LEN, NULL, (const uint8_t *)text, len, s->sk);
	buf_append(out, text, len);
	buf_printf(out, "\n" NOTE_DASH "%s ", s->v.name);
	note_b64_append(out, raw, sizeof(raw));
	buf_putc(out, '\n');
	return 0;
}

/* Finds the last "\n\n" of the note; returns its offset or -1. */
static long
note_split(const char *note, size_t len)
{
	size_t i;

	for (i = len - 1; i > 0; i--)
		if (note[i] == '\n' && note[i - 1] == '\n')
			return (long)i - 1;
	return -1;
}

int
note_verify(size_t *text_len, const char *note, size_t len, const struct note_verifier *v)
{
	const char *p, *end = note + len, *eol, *sp;
	uint8_t raw[NOTE_KEY_ID_LEN + NOTE_SIG_LEN];
	size_t tlen, nlen;
	long split;
	int nsigs = 0, mine = 0;

	*text_len = 0;
	if (len < 2 || len > NOTE_TEXT_MAX + NOTE_SIGS_MAX * NOTE_B64_MAX ||
	    !str_is_utf8(note, len) || note[len - 1] != '\n' || (split = note_split(note, len)) < 0)
		return aims_error_set(AIMS_EINVALID, "note", "malformed signed note");
	tlen = (size_t)split + 1;
	if (!note_text_ok(note, tlen))
		return aims_error_set(AIMS_EINVALID, "note", "malformed signed note text");
	for (p = note + tlen + 1; p < end; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (++nsigs > NOTE_SIGS_MAX || (size_t)(eol - p) < NOTE_DASH_LEN ||
		    memcmp(p, NOTE_DASH, NOTE_DASH_LEN) != 0 ||
		    (sp = memchr(p + NOTE_DASH_LEN, ' ', (size_t)(eol - p - NOTE_DASH_LEN))) == NULL)
			return aims_error_set(AIMS_EINVALID, "note", "malformed note signature line");
		nlen = (size_t)(sp - p - NOTE_DASH_LEN);
		if (nlen != strlen(v->name) || memcmp(p + NOTE_DASH_LEN, v->name, nlen) != 0)
			continue;	/* someone else's signature */
		if (note_b64_decode(raw, sizeof(raw), sp + 1, (size_t)(eol - sp - 1)) != 0 ||
		    memcmp(raw, v->id, NOTE_KEY_ID_LEN) != 0)
			continue;	/* another key by the same name */
		mine = 1;
		if (crypto_sign_verify_detached(raw + NOTE_KEY_ID_LEN, (const uint8_t *)note, tlen,
		    v->pub) != 0)
			return aims_error_set(AIMS_EVERIFY, "note", "bad signature by key %s",
			    v->name);
	}
	if (!mine)
		return aims_error_set(AIMS_EVERIFY, "note", "note is not signed by key %s+%02x%02x%02x%02x",
		    v->name, v->id[0], v->id[1], v->id[2], v->id[3]);
	*text_len = tlen;
	return 0;
}

void
note_checkpoint_text(struct buf *out, const char *origin, uint64_t size,
    const struct merkle_hash *root)
{
	buf_printf(out, "%s\n%llu\n", origin, (unsigned long long)size);
	note_b64_append(out, root->h, MERKLE_HASH_LEN);
	buf_putc(out, '\n');
}

int
note_checkpoint_parse(char origin[NOTE_ORIGIN_MAX + 1], uint64_t *size,
    struct merkle_hash *root, const char *text, size_t len)
{
	const char *l1, *l2, *l3, *end = text + len;
	char digits[NOTE_SIZE_DIGITS_MAX + 1];
	unsigned long long v = 0;
	size_t i, n;

	if ((l1 = memchr(text, '\n', len)) == NULL ||
	    (l2 = memchr(l1 + 1, '\n', (size_t)(end - l1 - 1))) == NULL ||
	    (l3 = memchr(l2 + 1, '\n', (size_t)(end - l2 - 1))) == NULL)
		return aims_error_set(AIMS_EINVALID, "checkpoint", "a checkpoint needs three lines");
	n = (size_t)(l1 - text);
	if (n == 0 || n > NOTE_ORIGIN_MAX)
		return aims_error_set(AIMS_EINVALID, "checkpoint", "bad checkpoint origin");
	memcpy(origin, text, n);
	origin[n] = '\0';
	n = (size_t)(l2 - l1 - 1);
	if (n == 0 || n > NOTE_SIZE_DIGITS_MAX || (n > 1 && l1[1] == '0'))
		return aims_error_set(AIMS_EINVALID, "checkpoint", "bad checkpoint tree size");
	memcpy(digits, l1 + 1, n);
	digits[n] = '\0';
	for (i = 0; i < n; i++) {
		if (digits[i] < '0' || digits[i] > '9' ||
		    v > (UINT64_MAX - (unsigned)(digits[i] - '0')) / 10)
			return aims_error_set(AIMS_EINVALID, "checkpoint",
			    "bad checkpoint tree size");
		v = v * 10 + (unsigned)(digits[i] - '0');
	}
	if (note_b64_decode(root->h, MERKLE_HASH_LEN, l2 + 1, (size_t)(l3 - l2 - 1)) != 0)
		return aims_error_set(AIMS_EINVALID, "checkpoint", "bad checkpoint root hash");
	*size = v;
	return 0;
}
