/*
 * yaml_load.c - libyaml loaded on first use (why: yaml_impl.h).
 */
#include <yaml.h>

#include "vet/dl.h"
#define VET_YAML__LOADER
#include "yaml_impl.h"

/* The soname of the library the headers came with (the Makefile reads it
 * off the .so), so that the load finds the ABI the code was built for. */
_Static_assert(sizeof VET_YAML_SONAME > 1, "no soname of libyaml");

struct vet_yaml__lib vet_yaml__lib;

int
vet_yaml__load(struct vet_error *err)
{
	static void *lib;
	static const char *const names[] = {
#define X(f) #f,
		VET_YAML__FUNCS
#undef X
	};
	static void **const fns[] = {
#define X(f) (void **)&vet_yaml__lib.f,
		VET_YAML__FUNCS
#undef X
	};

	if (lib != NULL)
		return 0;
	return vet_dl_load(&lib, VET_YAML_SONAME, "to read a YAML file",
	    names, fns, sizeof names / sizeof names[0], err);
}
