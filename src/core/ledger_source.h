/*
 * ledger_source.h - how `aims verify` reads live records: core tells the
 * ledger, once at start, how to load each kind it writes and how to list
 * every live record of an organisation.
 */
#ifndef AIMS_CORE_LEDGER_SOURCE_H
#define AIMS_CORE_LEDGER_SOURCE_H

/* Registers the loaders with the ledger (ledger_set_record_source). */
void core_ledger_source_install(void);

#endif
