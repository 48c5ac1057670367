/*
 * dl.h - a shared library loaded when first needed, not linked: for the
 * libraries most runs never call, whose loading at every start costs more
 * than the run (xlsxout_impl.h, zlib_impl.h say which and why).
 *
 * Ownership: a loaded library stays loaded for the life of the process;
 * the caller keeps the handle and the functions it found.
 */
#ifndef VET_DL_H
#define VET_DL_H

#include <stddef.h>

#include "vet/error.h"

/*
 * Loads soname (RTLD_NOW | RTLD_LOCAL) and finds each of the n functions
 * names[i], storing its address in *fns[i]; when the process has them all
 * already (a library it links), those are taken and nothing is loaded.
 * purpose ends the message of a failure ("to write a workbook").  Returns
 * 0 and in *h the handle, or a marker that is not one (never NULL); or
 * VET_ENOMEM; or VET_EINTERNAL (a broken installation: the library or a
 * function is missing) with err saying which, and then nothing is loaded.
 */
int vet_dl_load(void **h, const char *soname, const char *purpose,
    const char *const *names, void **const *fns, size_t n,
    struct vet_error *err);

/*
 * A library's table of functions and its loader, from an X-macro list
 * FUNCS(X) of the functions' names (as its header declares them):
 *
 *	VET_DL_DECLARE(lib, lib_load, FUNCS)		(in a header)
 *	struct lib lib;
 *	VET_DL_DEFINE_LOAD(lib_load, lib, FUNCS, "libfoo.so.1", "to read foo")
 *
 * declares struct lib, its one object lib and int lib_load(struct
 * vet_error *err), which loads the library once (vet_dl_load) and fills
 * the table: 0, VET_ENOMEM or VET_EINTERNAL as vet_dl_load() says.  A
 * caller then calls lib.name(...).
 */
#define VET_DL_DECLARE(tab, fn, FUNCS)					\
	struct tab { FUNCS(VET_DL_MEMBER) };				\
	extern struct tab tab;						\
	int fn(struct vet_error *err)
#define VET_DL_MEMBER(f)	__typeof__(f) *f;
#define VET_DL__NAME(f)		#f,
#define VET_DL__SLOT(f)		(void **)&vet_dl__t->f,
#define VET_DL_DEFINE_LOAD(fn, tab, FUNCS, soname, purpose)		\
int									\
fn(struct vet_error *err)						\
{									\
	static void *lib;						\
	static const char *const names[] = { FUNCS(VET_DL__NAME) };	\
	__typeof__(tab) *const vet_dl__t = &(tab);			\
	void **const fns[] = { FUNCS(VET_DL__SLOT) };			\
									\
	if (lib != NULL)						\
		return 0;						\
	return vet_dl_load(&lib, soname, purpose, names, fns,		\
	    sizeof names / sizeof names[0], err);			\
}

#endif
