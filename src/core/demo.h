/*
 * demo.h - sample records for the demo organisation, so a newcomer sees a
 * dashboard, a risk register and readiness gaps that mean something.
 */
#ifndef AIMS_CORE_DEMO_H
#define AIMS_CORE_DEMO_H

#include <stdint.h>

#include "core/actor.h"

struct db;

/* Creates the sample records through record_create/record_update. */
int demo_seed(struct db *db, int64_t org_id, const struct actor *actor);

#endif
