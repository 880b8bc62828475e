/*
 * pack.h - the audit pack: one zip an auditor verifies offline with nothing
 * but the pack (docs/pack.md specifies the format). pack.c writes it from
 * an org's records, evidence files and log, streamed through libarchive so
 * no file is ever whole in memory; pack_verify.c reads one back and checks
 * every file hash, every record against its ledger commitment, every
 * inclusion and consistency proof and every checkpoint signature.
 */
#ifndef AIMS_IO_PACK_H
#define AIMS_IO_PACK_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct note_verifier;

#define PACK_FORMAT		"openaims-pack/v1"
#define PACK_MANIFEST		"manifest.json"
#define PACK_INDEX		"pack.json"
#define PACK_LEDGER		"ledger.json"
#define PACK_PUBKEY		"public_key.txt"
#define PACK_PATH_MAX		512	/* bytes of a file name inside the pack */
#define PACK_JSON_MAX		(256 * 1024 * 1024)	/* bytes of one JSON or text file read back */
#define PACK_MEMORY_MAX		(1024ULL * 1024 * 1024)	/* bytes of all of them together */
#define PACK_FILES_MAX		4000000	/* files in one pack */
#define PACK_REQUIREMENTS_MAX	200	/* --requirements given */
#define PACK_REPORT_MAX		512

struct pack_options {
	const char		*since;		/* RFC 3339 or YYYY-MM-DD; NULL: every version */
	const char *const	*requirements;	/* requirement ids; NULL: every record */
	size_t			 nrequirements;
};

struct pack_stats {
	int64_t		files;
	int64_t		records;	/* record versions cited */
	int64_t		evidence;	/* evidence files */
	int64_t		checkpoints;
	uint64_t	tree_size;
	uint64_t	bytes;		/* uncompressed bytes of every file */
};

/* pack.c */
/*
 * Writes the pack of org_id to fd (a file opened for writing). Checks every
 * record version against its ledger entry and every evidence file against
 * its hash as it goes, and fails (AIMS_EVERIFY, naming it) rather than pack
 * something the log does not commit to. key: the public key of the log.
 */
int pack_write(struct pack_stats *st, int fd, struct db *db, const char *data_dir,
    int64_t org_id, const struct pack_options *o, const struct note_verifier *key);

/* pack_verify.c */
struct pack_report {
	struct pack_stats	stats;
	char			org[128];
	char			key[160];	/* the signer's key name+id */
	char			failure[PACK_REPORT_MAX];	/* "" when it verified */
};
/*
 * Verifies a pack file (or len bytes at data) offline. pin: the public key
 * the checkpoints must be signed by (NULL: the one the pack carries).
 * 0 when everything verifies; AIMS_EVERIFY with r->failure and the error
 * message naming the first failure; AIMS_EINVALID for what is not a pack.
 */
int pack_verify_file(struct pack_report *r, const char *path, const struct note_verifier *pin);
int pack_verify_memory(struct pack_report *r, const void *data, size_t len,
    const struct note_verifier *pin);

#endif
