/*
 * intake_memo.c - the column memo of vet_intake_row(); intake_impl.h
 * holds its entries and, inline, its look-up and use.
 *
 * The memo of a column: a cell text met before in the column becomes what
 * it became then, without put_cell().  Most columns of a station's export
 * hold a few values that repeat from row to row (是/否, a district, a
 * placement, a street), and put_cell() gives the same text of a column
 * the same result: its field is not set yet when the cell comes (a header
 * that maps two columns to one field is refused), and the text is
 * trusted UTF-8.  An entry is kept only for a cell put_cell() took
 * without an error, and holds everything it did with it: the slot's key
 * and JSON text, as one piece for finish_record() (or that it set none: a
 * word for "unknown", a cell of white space), and the sex or date noted
 * for check_person() and --dedupe.  Ids, unique and checked against sex
 * and birth date, are never memoised; a column whose cells rarely repeat
 * (names, birth dates) turns its memo off after MEMO_PROBE misses.  The
 * memo only saves work: without memory for it, cells go through
 * put_cell().
 */
#include <stdlib.h>
#include <string.h>

#include "vet/intake.h"
#include "vet/mapping.h"
#include "vet/mem.h"

#include "intake_impl.h"

/*
 * Memos for n columns; fewer when memory is short.  They start zeroed
 * (of no field, no entries), so that the pages of entries a column never
 * uses are never touched.
 */
void
vet_intake__memo_alloc(struct vet_intake *t, size_t n)
{
	struct vet_intake_memo *m;

	if ((m = calloc(n, sizeof *m)) == NULL)
		return;
	if (t->nmemo > 0)
		memcpy(m, t->memo, t->nmemo * sizeof *m);
	free(t->memo);
	t->memo = m;
	t->nmemo = n;
}

/* Starts memo m over for field f. */
void
vet_intake__memo_reset(struct vet_intake *t, struct vet_intake_memo *m,
    long f)
{
	size_t i;

	if (m->field != 0)
		for (i = 0; i < MEMO_WAYS; i++)
			m->ent[i].n = 0;
	m->field = f + 1;
	m->hits = m->misses = 0;
	m->maxn = t->map->fields[f].type == VET_FT_ID || f == t->f_id ||
	    t->map->fields[f].jkeylen >= MEMO_JSON ? 0 : MEMO_TEXT;
	m->role = f == t->f_sex ? MEMO_SEX : f == t->f_birth ? MEMO_BIRTH :
	    f == t->f_last ? MEMO_LAST : MEMO_NONE;
}

/* What put_cell() did with cell s of field f, when it added no error
 * (nerr: the errors before), goes into entry e of memo m. */
void
vet_intake__memo_keep(struct vet_intake *t, const struct vet_intake_memo *m,
    long f, struct vet_span s, size_t nerr, struct vet_intake__memo_ent *e)
{
	const struct vet_intake_slot *sl = &t->slots[f];
	const struct vet_map_field *fd = &t->map->fields[f];

	if (t->oom || t->nerr != nerr || sl->bad)
		return;
	e->n = 0;
	e->jn = 0;
	if (sl->set) {
		if (sl->len == 0 || fd->jkeylen + sl->len > MEMO_JSON)
			return;
		vet_mem_copy_short(e->json, fd->jkey, fd->jkeylen);
		vet_mem_copy_short(e->json + fd->jkeylen,
		    vet_intake__slot_text(t, sl), sl->len);
		e->jk = (unsigned char)fd->jkeylen;
		e->jn = (unsigned char)(fd->jkeylen + sl->len);
	}
	e->sex = t->sex;
	e->day = m->role == MEMO_BIRTH ? t->birth : m->role == MEMO_LAST ?
	    t->last_contact : 0;
	vet_mem_copy_short(e->text, s.p, s.n);
	e->n = (unsigned char)s.n;
}
