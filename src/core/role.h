/*
 * role.h - the five membership roles, ordered by what they may do.
 */
#ifndef AIMS_CORE_ROLE_H
#define AIMS_CORE_ROLE_H

enum role {
	ROLE_NONE = 0,
	ROLE_VIEWER,
	ROLE_AUDITOR,
	ROLE_CONTRIBUTOR,
	ROLE_MANAGER,
	ROLE_ADMIN,
};

/* Parses "viewer".."admin"; AIMS_EINVALID listing the allowed values. */
int role_parse(enum role *out, const char *s);
const char *role_name(enum role r);

#endif
