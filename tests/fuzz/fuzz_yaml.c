/*
 * libFuzzer target: the strict bounded YAML reader.
 */
#include <stdint.h>

#include "vet/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vet_yaml_doc doc;
	struct vet_error err;

	if (vet_yaml_load(&doc, "fuzz.yaml", (const char *)data, size,
	    &err) == 0)
		vet_yaml_release(&doc);
	return 0;
}
