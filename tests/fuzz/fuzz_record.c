/*
 * libFuzzer target: the JSON validator and the record parser and writer.
 * A line that parses must write back as a valid record that parses again
 * to the same line (the writer's idempotency).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vet/json.h"
#include "vet/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vet_record r, r2;
	struct vet_fieldset fs;
	struct vet_buf out = VET_BUF_INIT, out2 = VET_BUF_INIT;
	struct vet_error err;
	const char *p = (const char *)data;

	vet_json_validate(p, size, &err);
	vet_record_init(&r);
	vet_record_init(&r2);
	vet_fieldset_init(&fs);
	if (vet_record_parse(&r, p, size, &err) == 0) {
		vet_fieldset_add_int(&fs, "age", 42);
		vet_fieldset_add_str(&fs, "policy", "beijing-2023", 12);
		if (vet_record_write(&out, &r, &fs) != 0)
			abort();
		if (vet_record_parse(&r2, out.data, out.len - 1, &err) != 0)
			abort();
		if (vet_record_write(&out2, &r2, &fs) != 0)
			abort();
		if (out.len != out2.len || memcmp(out.data, out2.data,
		    out.len) != 0)
			abort();
	}
	vet_buf_release(&out);
	vet_buf_release(&out2);
	vet_fieldset_release(&fs);
	vet_record_release(&r);
	vet_record_release(&r2);
	return 0;
}
