/* role.c - role names (see role.h). */
#include <string.h>

#include "core/role.h"
#include "util/error.h"

static const char *const role_names[] = {
	[ROLE_NONE] = "none",
	[ROLE_VIEWER] = "viewer",
	[ROLE_AUDITOR] = "auditor",
	[ROLE_CONTRIBUTOR] = "contributor",
	[ROLE_MANAGER] = "manager",
	[ROLE_ADMIN] = "admin",
};

int
role_parse(enum role *out, const char *s)
{
	int r;

	for (r = ROLE_VIEWER; r <= ROLE_ADMIN; r++)
		if (s != NULL && strcmp(s, role_names[r]) == 0) {
			*out = (enum role)r;
			return 0;
		}
	return aims_error_set(AIMS_EINVALID, "role",
	    "unknown role '%s' (allowed: admin, manager, contributor, auditor, viewer)",
	    s ? s : "");
}

const char *
role_name(enum role r)
{
	return (r >= ROLE_NONE && r <= ROLE_ADMIN) ? role_names[r] : "none";
}
