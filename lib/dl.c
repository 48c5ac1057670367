/*
 * dl.c - a shared library loaded on first use (dl.h).
 */
#define _GNU_SOURCE		/* RTLD_DEFAULT */
#include <dlfcn.h>
#include <errno.h>
#include <string.h>

#include "vet/dl.h"

static int
failed(struct vet_error *err, const char *what, const char *purpose)
{
	const char *e = dlerror();

	/* dlopen says so only in words; the fault shim's failed malloc
	 * leaves ENOMEM in errno as a real one does. */
	if (errno == ENOMEM || (e != NULL &&
	    strstr(e, "annot allocate memory") != NULL))
		return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
	return vet_error_set(err, VET_EINTERNAL, NULL, 0, 0,
	    "cannot load '%s' %s: %s", what, purpose,
	    e != NULL ? e : "not found");
}

int
vet_dl_load(void **hp, const char *soname, const char *purpose,
    const char *const *names, void **const *fns, size_t n,
    struct vet_error *err)
{
	static char in_process;
	void *h;
	size_t i;
	int rc;

	/*
	 * A library the process has already (a test or fuzz target links
	 * zlib, minizip and the rest) is used where it is: opening it again
	 * would only count it again, and give it a search list that ld.so
	 * allocates and LeakSanitizer, under tests/fault's shim, takes for a
	 * leak.
	 */
	for (i = 0; i < n && (*fns[i] = dlsym(RTLD_DEFAULT, names[i])) !=
	    NULL; i++)
		;
	if (i == n) {
		*hp = &in_process;
		return 0;
	}
	errno = 0;
	/* RTLD_LOCAL: its names stay out of the way of later loads. */
	if ((h = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return failed(err, soname, purpose);
	for (i = 0; i < n; i++)
		if ((*fns[i] = dlsym(h, names[i])) == NULL) {
			rc = failed(err, names[i], purpose);
			dlclose(h);
			return rc;
		}
	*hp = h;
	return 0;
}
