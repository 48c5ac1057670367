/*
 * libFuzzer target: the --map loader (mapping.h) on arbitrary text, merged
 * into the built-in mapping of the kind the first byte picks; then a few
 * header look-ups on what it built.
 */
#include <stdint.h>
#include <string.h>

#include "vet/mapping.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const heads[] = { "身份证号", "姓名", "手机",
	    "id", "phone", "退役时间", "" };
	struct vet_mapping m;
	struct vet_error err;
	enum vet_kind kind;
	size_t i;

	if (size < 1)
		return 0;
	kind = (enum vet_kind)(data[0] % (VET_KIND_RAW + 1));
	if (vet_mapping_init(&m, kind) < 0)
		return 0;
	if (vet_mapping_load(&m, "fuzz.yaml", (const char *)data + 1,
	    size - 1, &err) == 0)
		for (i = 0; i < sizeof heads / sizeof heads[0]; i++)
			(void)vet_mapping_header(&m, heads[i],
			    strlen(heads[i]));
	vet_mapping_release(&m);
	return 0;
}
