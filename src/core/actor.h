/*
 * actor.h - who performs a core operation. Every core mutation takes one;
 * its name is what the ledger records.
 */
#ifndef AIMS_CORE_ACTOR_H
#define AIMS_CORE_ACTOR_H

#include <stdint.h>

#include "core/role.h"

struct actor {
	int64_t		 user_id;	/* 0 for the CLI operator or the system */
	const char	*name;		/* "user:EMAIL", "token:NAME", "cli", "system" */
	enum role	 role;		/* role in the org being acted on */
};

#define ACTOR_CLI	((struct actor){ 0, "cli", ROLE_ADMIN })
#define ACTOR_SYSTEM	((struct actor){ 0, "system", ROLE_ADMIN })

#endif
