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

#endif
