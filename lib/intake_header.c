/*
 * intake_header.c - the header row of a CSV, TSV or sheet input
 * (intake.h, vet_intake_header()): each column's field, its JSON key, the
 * unknown columns noted, and duplicate headers found, which make every
 * row of the input a reject with the header's reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/intake.h"
#include "vet/json.h"
#include "vet/mapping.h"

#include "intake_impl.h"

/*
 * The first duplicate among the header's first i + 1 columns, column i
 * being h mapped to field f: the earliest column j < i with the same name
 * or the same field (a name before a field at the same column), noted in
 * header_msg.  names maps names to columns, first maps fields to their
 * first column + 1.  Hashing keeps a header of 100 000 columns linear.
 */
static int
dup_header(struct vet_intake *t, struct vet_strmap *names, size_t *first,
    size_t i, struct vet_span h, long f)
{
	size_t jn = SIZE_MAX, jf = SIZE_MAX;
	int rc;

	if ((rc = vet_strmap_put(names, h.p, h.n, i, &jn)) < 0)
		return rc;
	if (rc == 1)
		jn = SIZE_MAX;
	if (f >= 0) {
		if (first[f] > 0)
			jf = first[f] - 1;
		else
			first[f] = i + 1;
	}
	/* The header goes into every reject's errors: vet_intake__quote()
	 * masks a header that is an id or a phone (a data row taken for
	 * one), and says in t->oom when it could not. */
	t->oom = 0;
	if (jn <= jf && jn != SIZE_MAX)
		rc = vet_buf_addf(&t->header_msg, "duplicate header '%s'",
		    vet_intake__quote(t, h.p, h.n));
	else if (jf != SIZE_MAX)
		rc = vet_buf_addf(&t->header_msg, "duplicate header '%s' "
		    "(field '%s' is also column %zu)", vet_intake__quote(t, h.p, h.n),
		    t->map->fields[f].name, jf + 1);
	else
		return 0;
	t->header_bad = 1;
	return rc < 0 || t->oom ? VET_ENOMEM : 0;
}

int
vet_intake_header(struct vet_intake *t, const struct vet_span *names,
    size_t n, struct vet_error *err)
{
	struct vet_strmap seen;
	size_t i, cap, *first;
	struct vet_span h;
	long f;
	int rc = 0;

	t->header_bad = 0;
	vet_buf_reset(&t->header_msg);
	vet_buf_reset(&t->keys);
	if (n > t->capcols) {
		cap = n;
		free(t->colfield);
		free(t->colkey);
		free(t->colkeylen);
		t->colfield = malloc(cap * sizeof *t->colfield);
		t->colkey = malloc(cap * sizeof *t->colkey);
		t->colkeylen = malloc(cap * sizeof *t->colkeylen);
		if (t->colfield == NULL || t->colkey == NULL ||
		    t->colkeylen == NULL) {
			t->capcols = 0;
			return vet_error_nomem(err);
		}
		t->capcols = cap;
	}
	t->ncols = n;
	if ((first = calloc(t->map->nfields + 1, sizeof *first)) == NULL)
		return vet_error_nomem(err);
	vet_strmap_init(&seen);
	for (i = 0; i < n && rc == 0; i++) {
		h = vet_trim(names[i]);
		f = vet_mapping_header(t->map, h.p, h.n);
		/* The reasons of a rejects sheet that a station corrected
		 * (vet-export) are not data. */
		if (f < 0 && t->map->kind != VET_KIND_RAW &&
		    vet_span_eq(h, VET_MAPPING_PROBLEMS))
			f = VET_INTAKE__COL_IGNORED;
		t->colfield[i] = f;
		t->colkey[i] = t->keys.len;
		if ((f >= 0 && t->map->kind == VET_KIND_RAW ?
		    vet_json_add_string(&t->keys, t->map->fields[f].name,
		    strlen(t->map->fields[f].name)) :
		    vet_json_add_string(&t->keys, h.p, h.n)) < 0 ||
		    vet_buf_addch(&t->keys, ':') < 0)
			rc = VET_ENOMEM;
		t->colkeylen[i] = t->keys.len - t->colkey[i];
		if (rc == 0 && f == -1 && t->map->kind != VET_KIND_RAW)
			rc = vet_intake__note_unknown(t, h.p, h.n);
		if (rc == 0 && !t->header_bad)
			rc = dup_header(t, &seen, first, i, h, f);
	}
	vet_strmap_release(&seen);
	free(first);
	if (rc < 0)
		return vet_error_nomem(err);
	if (t->header_bad)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0, "%s",
		    t->header_msg.data);
	return 0;
}
