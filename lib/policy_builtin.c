/*
 * policy_builtin.c - vet_policy_load (policy.h): the built-in policy, or
 * a file.  Apart from policy.c so that gen/policy2c, which makes the
 * built-in policy with policy.c's loader, links without it.
 */
#include <stdlib.h>

#include "vet/buf.h"
#include "vet/io.h"
#include "policy_impl.h"

int
vet_policy_load(struct vet_policy **pp, const char *file,
    struct vet_error *err)
{
	struct vet_buf b = VET_BUF_INIT;
	int e;

	/* Loaded, checked and compiled by make: nothing to do but hand it
	 * out, read-only (vet_policy_free leaves it alone). */
	if (file == NULL) {
		*pp = (struct vet_policy *)&vet_policy__builtin;
		return 0;
	}
	*pp = NULL;
	if ((e = vet_input_slurp(file, &b, err)) < 0) {
		vet_buf_release(&b);
		/* A policy that cannot be read is a bad policy (exit 78),
		 * whatever the reason, not an unreadable input (66). */
		if (e != VET_ENOMEM && err != NULL)
			err->status = VET_ECONFIG;
		if (e != VET_ENOMEM)
			e = VET_ECONFIG;
		return e;
	}
	e = vet_policy_load_text(pp, file, vet_buf_str(&b), b.len, err);
	vet_buf_release(&b);
	return e;
}
