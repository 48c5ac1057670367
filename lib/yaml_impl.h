/*
 * yaml_impl.h - libyaml, loaded when the first YAML text is parsed (a
 * policy or mapping file, --check-policy's tests), not linked.
 *
 * Include it after <yaml.h> in every file that calls libyaml: its names
 * then call through vet_yaml__lib.  The built-in policy is compiled by
 * make (policy_emit.c), so most runs parse no YAML at all; linked, the
 * library cost each of them about 0.08 ms of a one-record run (mapping it,
 * its relocations and page faults, the longer symbol search), measured
 * against the same tool with libyaml linked statically.  `make check`
 * fails when a tool names libyaml again.
 *
 * Call vet_yaml__load() before the first parser is made; the library stays
 * loaded for the life of the process.
 */
#ifndef VET_YAML_IMPL_H
#define VET_YAML_IMPL_H

#include "vet/dl.h"
#include "vet/error.h"

#define VET_YAML__FUNCS(X) \
	X(yaml_parser_initialize) X(yaml_parser_set_input_string) \
	X(yaml_parser_set_encoding) X(yaml_parser_parse) \
	X(yaml_event_delete) X(yaml_parser_delete)

/*
 * Loads the library and its functions once.  Returns 0, or VET_ENOMEM,
 * or VET_EINTERNAL when the library or one of its functions cannot be
 * found (a broken installation), with err set.
 */
VET_DL_DECLARE(vet_yaml__lib, vet_yaml__load, VET_YAML__FUNCS);

#ifndef VET_YAML__LOADER
#define yaml_parser_initialize (vet_yaml__lib.yaml_parser_initialize)
#define yaml_parser_set_input_string \
	(vet_yaml__lib.yaml_parser_set_input_string)
#define yaml_parser_set_encoding (vet_yaml__lib.yaml_parser_set_encoding)
#define yaml_parser_parse (vet_yaml__lib.yaml_parser_parse)
#define yaml_event_delete (vet_yaml__lib.yaml_event_delete)
#define yaml_parser_delete (vet_yaml__lib.yaml_parser_delete)
#endif

#endif
