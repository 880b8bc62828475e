/*
 * note.h - C2SP signed notes and tlog checkpoints, Ed25519 only.
 *
 * A signed note is UTF-8 text ending in a newline, a blank line, then one
 * line per signature: "\u2014 <key name> <base64(key id || signature)>".
 * The key id is the first 4 bytes of SHA-256(name || "\n" || 0x01 ||
 * public key); the Ed25519 signature covers the text alone. Keys are
 * written as the Go golang.org/x/mod/sumdb/note package writes them:
 * verifier "<name>+<hex id>+<base64(0x01 || public key)>", signer
 * "PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || seed)>". A checkpoint is a
 * note whose text is "<origin>\n<tree size>\n<base64 root>\n" (C2SP
 * tlog-checkpoint). Unknown signatures on a note are ignored, as the spec
 * asks, so keys can be rotated and witnesses can cosign.
 */
#ifndef AIMS_LEDGER_NOTE_H
#define AIMS_LEDGER_NOTE_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct merkle_hash;

#define NOTE_KEY_NAME_MAX	64
#define NOTE_KEY_ID_LEN		4
#define NOTE_PUBKEY_LEN		32
#define NOTE_SEED_LEN		32
#define NOTE_SECKEY_LEN		64	/* libsodium form: seed || public key */
#define NOTE_SIG_LEN		64
#define NOTE_SIGS_MAX		100	/* signature lines accepted on one note */
#define NOTE_TEXT_MAX		65536
#define NOTE_ORIGIN_MAX		255
#define NOTE_ALG_ED25519	0x01

struct note_verifier {
	char	name[NOTE_KEY_NAME_MAX + 1];
	uint8_t	id[NOTE_KEY_ID_LEN];
	uint8_t	pub[NOTE_PUBKEY_LEN];
};

/* Holds a secret key: allocate it with sodium_malloc() and free it so. */
struct note_signer {
	struct note_verifier	v;
	uint8_t			sk[NOTE_SECKEY_LEN];
};

/* note.c */
int note_signer_init(struct note_signer *s, const char *name, const uint8_t seed[NOTE_SEED_LEN]);
int note_signer_parse(struct note_signer *s, const char *skey, size_t len);
/* Appends the signer key text (a secret: zero the buffer after use). */
void note_signer_format(struct buf *out, const struct note_signer *s);
int note_verifier_parse(struct note_verifier *v, const char *vkey, size_t len);
void note_verifier_format(struct buf *out, const struct note_verifier *v);

/* Appends text (which must end in a newline) signed by s. */
int note_sign(struct buf *out, const char *text, size_t len, const struct note_signer *s);
/*
 * 0 when note carries a valid signature by v; *text_len is then the length
 * of its text. AIMS_EINVALID for a malformed note, AIMS_EVERIFY when v has
 * not signed it or its signature is bad.
 */
int note_verify(size_t *text_len, const char *note, size_t len, const struct note_verifier *v);

/* Appends a checkpoint text. */
void note_checkpoint_text(struct buf *out, const char *origin, uint64_t size,
    const struct merkle_hash *root);
int note_checkpoint_parse(char origin[NOTE_ORIGIN_MAX + 1], uint64_t *size,
    struct merkle_hash *root, const char *text, size_t len);

#endif
