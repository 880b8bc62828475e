/*
 * conf.h - operator settings kept beside the database in PATH.conf (mode
 * 0600), one "key=value" a line, never in the database: the mail server's
 * address with its credentials and the sender (`aims config`). The
 * environment (AIMS_SMTP_URL, AIMS_MAIL_FROM) overrides the file.
 */
#ifndef AIMS_UTIL_CONF_H
#define AIMS_UTIL_CONF_H

#include <stddef.h>

#define CONF_SUFFIX		".conf"
#define CONF_VALUE_MAX		1024
#define CONF_FILE_MAX		(64 * 1024)

/* The keys the file may hold, NULL-terminated. */
extern const char *const conf_keys[];

/*
 * The value of key in text (len bytes of the file: "key=value" lines; the
 * last line for a key wins) into out, or AIMS_ENOTFOUND.
 */
int conf_parse(char out[CONF_VALUE_MAX], const char *text, size_t len, const char *key);
/* The value of key in db_path's file into out (""), or AIMS_ENOTFOUND. */
int conf_get(char out[CONF_VALUE_MAX], const char *db_path, const char *key);
/* Sets (value non-NULL) or removes key; the file is rewritten 0600, atomically. */
int conf_set(const char *db_path, const char *key, const char *value);
/* The setting: the environment variable env if set, else the file's key; NULL: neither. */
const char *conf_setting(char buf[CONF_VALUE_MAX], const char *db_path, const char *key,
    const char *env);

#endif
