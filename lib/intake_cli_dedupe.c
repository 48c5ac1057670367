/*
 * intake_cli_dedupe.c - vet-intake --dedupe (intake.h), part of the
 * command-line layer of the input loop (HACKING: lib/intake_cli*.c write
 * through struct vet_cli): the records spilled in input order, the one to
 * keep per id, and at the end the spill read back, kept records written
 * and the others rejected as duplicates.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/cli.h"
#include "vet/hash.h"
#include "vet/intake.h"
#include "vet/mask.h"

#include "intake_impl.h"

/*
 * --dedupe: records are spilled to a temporary file in input order, and a
 * hash table keeps, per id, where the record to keep is.  Memory grows
 * with the number of distinct ids (one entry of about 48 bytes each), not
 * with the records; the spill file holds each record's output and raw
 * bytes once.  At the end the spill is read back in order: the kept
 * records are written, the others rejected as duplicates.
 */
struct keep {
	char id[18];
	int used;
	int has_last;
	vet_day last;
	long line;		/* line and input of the record kept */
	int src;
	long long off;		/* its offset in the spill */
};

struct spill_hdr {
	long long line;
	int32_t src;
	uint32_t outlen, rawlen;
	char id[18];
	uint8_t has_id;
};

struct vet_intake_spill {
	FILE *f;
	long long off;
	struct keep *tab;
	size_t cap, n;
};

static uint64_t
hash_id(const char *id)
{
	return vet_hash(id, 18);
}

static struct keep *
dd_find(struct vet_intake_spill *d, const char *id)
{
	size_t j = hash_id(id) & (d->cap - 1);

	while (d->tab[j].used && memcmp(d->tab[j].id, id, 18) != 0)
		j = (j + 1) & (d->cap - 1);
	return &d->tab[j];
}

static int
dd_grow(struct vet_intake_spill *d)
{
	struct keep *old = d->tab, *k;
	size_t oldcap = d->cap, i;

	d->cap = oldcap ? oldcap * 2 : 1024;
	if ((d->tab = calloc(d->cap, sizeof *d->tab)) == NULL) {
		d->tab = old;
		d->cap = oldcap;
		return VET_ENOMEM;
	}
	for (i = 0; i < oldcap; i++)
		if (old[i].used) {
			k = dd_find(d, old[i].id);
			*k = old[i];
		}
	free(old);
	return 0;
}

static int
spill_error(struct vet_error *err, const char *what)
{
	return vet_error_set(err, VET_EIO, NULL, 0, 0, "cannot %s the --dedupe "
	    "spill file: %s", what, strerror(errno));
}

int
vet_intake__dedupe_add(struct vet_intake_run *r, const char *out, size_t outn,
    const char *raw, size_t rawn, struct vet_error *err)
{
	struct vet_intake_spill *d = r->dd;
	const struct vet_intake *t = r->t;
	struct spill_hdr h;
	struct keep *k;

	memset(&h, 0, sizeof h);
	h.line = r->cli->lineno;
	h.src = r->cli->cur;
	h.outlen = (uint32_t)outn;
	h.rawlen = (uint32_t)rawn;
	h.has_id = (uint8_t)t->has_id;
	if (t->has_id) {
		memcpy(h.id, t->id, 18);
		if ((d->n + 1) * 2 > d->cap && dd_grow(d) < 0)
			return vet_error_nomem(err);
		k = dd_find(d, t->id);
		/* The later record wins unless the earlier one was contacted
		 * more recently: an absent date is older than any date. */
		if (!k->used || !k->has_last ||
		    (t->has_last_contact && t->last_contact >= k->last)) {
			if (!k->used)
				d->n++;
			memcpy(k->id, t->id, 18);
			k->used = 1;
			k->has_last = t->has_last_contact;
			k->last = t->last_contact;
			k->line = r->cli->lineno;
			k->src = r->cli->cur;
			k->off = d->off;
		}
	}
	if (fwrite(&h, sizeof h, 1, d->f) != 1 ||
	    fwrite(out, 1, outn, d->f) != outn ||
	    fwrite(raw, 1, rawn, d->f) != rawn)
		return spill_error(err, "write");
	d->off += (long long)(sizeof h + outn + rawn);
	return 0;
}

int
vet_intake__dedupe_new(struct vet_intake_run *r, struct vet_error *err)
{
	if ((r->dd = calloc(1, sizeof *r->dd)) == NULL)
		return vet_error_nomem(err);
	if ((r->dd->f = tmpfile()) == NULL)
		return spill_error(err, "make");
	if (dd_grow(r->dd) < 0)
		return vet_error_nomem(err);
	return 0;
}

void
vet_intake__dedupe_free(struct vet_intake_run *r)
{
	if (r->dd == NULL)
		return;
	if (r->dd->f != NULL)
		fclose(r->dd->f);
	free(r->dd->tab);
	free(r->dd);
	r->dd = NULL;
}

int
vet_intake_run_finish(struct vet_intake_run *r, struct vet_error *err)
{
	struct vet_intake_spill *d = r->dd;
	struct vet_cli *cli = r->cli;
	struct spill_hdr h;
	struct vet_buf b = VET_BUF_INIT;
	struct keep *k;
	long long off = 0;
	char masked[32], msg[160];
	size_t n;
	int rc = 0;

	if (d == NULL)
		return 0;
	if (fflush(d->f) != 0 || fseek(d->f, 0, SEEK_SET) != 0)
		return spill_error(err, "read");
	while (fread(&h, sizeof h, 1, d->f) == 1) {
		n = h.outlen + h.rawlen;
		vet_buf_reset(&b);
		if (vet_buf_grow(&b, n) < 0) {
			rc = vet_error_nomem(err);
			goto out;
		}
		if (fread(b.data, 1, n, d->f) != n) {
			rc = spill_error(err, "read");
			goto out;
		}
		k = h.has_id ? dd_find(d, h.id) : NULL;
		if (k == NULL || k->off == off)
			vet_cli_write(cli, b.data, h.outlen, 1);
		else {
			cli->src = strcmp(cli->inputs[h.src], "-") == 0 ?
			    "<stdin>" : cli->inputs[h.src];
			cli->lineno = (long)h.line;
			vet_mask_id(h.id, 18, masked, sizeof masked);
			if (k->src == h.src)
				snprintf(msg, sizeof msg, "duplicate id '%s': the "
				    "record on line %ld is kept", masked, k->line);
			else
				snprintf(msg, sizeof msg, "duplicate id '%s': the "
				    "record on line %ld of %s is kept", masked,
				    k->line, cli->inputs[k->src]);
			vet_cli_reject1(cli, b.data + h.outlen, h.rawlen, msg);
		}
		off += (long long)(sizeof h + n);
	}
	if (ferror(d->f))
		rc = spill_error(err, "read");
out:
	vet_buf_release(&b);
	return rc;
}
