/*
 * libFuzzer target: the policy loader (YAML, the rule language, strict
 * checks) on arbitrary text.
 */
#include <stdint.h>

#include "vet/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vet_policy *p;
	struct vet_error err;

	if (vet_policy_load_text(&p, "fuzz.yaml", (const char *)data, size,
	    &err) == 0)
		vet_policy_free(p);
	return 0;
}
