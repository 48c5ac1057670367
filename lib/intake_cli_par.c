/*
 * intake_cli_par.c - vet-intake --threads (intake.h), part of the
 * command-line layer of the input loop (HACKING: lib/intake_cli*.c write
 * through struct vet_cli): rows copied into batches that worker intakes
 * take, written in input order by the calling thread alone.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/cli.h"
#include "vet/csv.h"
#include "vet/encoding.h"
#include "vet/intake.h"
#include "vet/utf8.h"

#include "intake_impl.h"

/*
 * --threads: the rows of an input are copied into batches; each batch is
 * taken through an intake by a worker thread (the last one of a round by
 * the calling thread), and the results are written in input order by the
 * calling thread alone, which also does every other write, so the output,
 * the rejects, standard error and the counts are those of one thread.
 * Rows the reader refuses, the header and long records are handled by the
 * calling thread after the batches before them are written.
 */
#define BATCH_ROWS 2048

#define BATCH_BYTES ((size_t)1 << 20)

/* rc of a row that holds nothing: a blank row, not read at all. */
#define ROW_BLANK 2

struct brow {
	size_t raw, rawn;	/* raw text in the arena */
	size_t cell, ncells;	/* cells in the batch's cell array */
	long line;
	long long offset;
	int flags;
	/* results */
	int rc;			/* intake status, or 1: refused as not UTF-8 */
	size_t out, outn;	/* the record in the batch's out */
	size_t err, nerr;	/* NUL-ended reasons in errtext */
	size_t unk;		/* the intake's unknown names after the row */
	int unk_full;
};

struct batch {
	struct vet_buf arena, out, errtext;
	struct vet_span *spans;	/* cells: offsets into arena, then spans */
	size_t ncells, capcells;
	struct brow *rows;
	size_t n, cap;
	struct vet_span *split;	/* cells of a ROW_SPLIT row */
	size_t capsplit;
	struct vet_buf dec;	/* a ROW_DECODE row decoded */
	int delim;
	int who;		/* the intake that took it: 0 the caller's */
	int state;		/* B_*, under the mutex once queued */
};

enum { B_FREE, B_PENDING, B_TAKEN, B_DONE };

struct worker {
	pthread_t th;
	int started;
	struct vet_intake t;
	int has_t;
	struct vet_decoder dec;	/* for the input being read */
	size_t cursor;		/* unknown names of t told so far */
};

/*
 * The queue: a ring of batches in input order, from head (the oldest not
 * yet written) to tail (the one being filled).  Workers, and the calling
 * thread when it has nothing better to do, take the oldest pending batch,
 * so each intake takes its batches in input order and the unknown names
 * it notes can be told in order.  The calling thread alone fills batches
 * and writes the done ones from the head.
 */
#define QUEUE (2 * VET_INTAKE_MAX_THREADS + 1)

struct vet_intake_par {
	pthread_mutex_t mu;
	pthread_cond_t cv;	/* a batch became pending or done */
	int nworkers;
	struct worker w[VET_INTAKE_MAX_THREADS - 1];
	struct batch b[QUEUE];
	int delim;		/* of the input being read */
	struct vet_decoder *dec; /* the calling thread's, for that input */
	int nq;			/* ring size: 2 * threads + 1 */
	int head, tail;		/* under mu */
	int quit;		/* under mu */
};
static int
batch_reserve(struct batch *b, size_t ncells)
{
	struct vet_span *sp;
	struct brow *rw;
	size_t cap;

	if (b->n == b->cap) {
		cap = b->cap ? b->cap * 2 : 256;
		if ((rw = realloc(b->rows, cap * sizeof *rw)) == NULL)
			return VET_ENOMEM;
		b->rows = rw;
		b->cap = cap;
	}
	if (b->ncells + ncells > b->capcells) {
		cap = b->capcells ? b->capcells : 1024;
		while (cap < b->ncells + ncells)
			cap *= 2;
		if ((sp = realloc(b->spans, cap * sizeof *sp)) == NULL)
			return VET_ENOMEM;
		b->spans = sp;
		b->capcells = cap;
	}
	return 0;
}

/* Copies a row into the batch: its raw text and its cells (or line). */
static int
batch_add(struct batch *b, const struct vet_csv_row *row,
    const struct vet_span *cells, size_t ncells, int flags)
{
	struct brow *w;
	size_t i;

	if (batch_reserve(b, ncells) < 0)
		return VET_ENOMEM;
	w = &b->rows[b->n];
	memset(w, 0, sizeof *w);
	w->raw = b->arena.len;
	w->rawn = row->raw.n;
	w->line = row->line;
	w->offset = row->offset;
	w->flags = flags;
	w->cell = b->ncells;
	w->ncells = ncells;
	if (vet_buf_add(&b->arena, row->raw.p, row->raw.n) < 0)
		return VET_ENOMEM;
	for (i = 0; i < ncells; i++) {
		/*
		 * Offsets now: the arena may move until the batch is full.
		 * A JSON line is its raw text, which is not copied twice.
		 */
		if (ncells == 1 && cells[0].p == row->raw.p &&
		    cells[0].n <= row->raw.n) {
			b->spans[b->ncells].p = (const char *)(uintptr_t)w->raw;
		} else {
			b->spans[b->ncells].p =
			    (const char *)(uintptr_t)b->arena.len;
			if (vet_buf_add(&b->arena, cells[i].p, cells[i].n) <
			    0) {
				b->arena.len = w->raw;
				b->ncells = w->cell;
				return VET_ENOMEM;
			}
		}
		b->spans[b->ncells].n = cells[i].n;
		b->ncells++;
	}
	b->n++;
	return 0;
}

static int
batch_full(const struct batch *b)
{
	return b->n >= BATCH_ROWS || b->arena.len >= BATCH_BYTES;
}

static void
batch_reset(struct batch *b)
{
	vet_buf_reset(&b->arena);
	vet_buf_reset(&b->out);
	vet_buf_reset(&b->errtext);
	b->n = 0;
	b->ncells = 0;
}

static void
batch_free(struct batch *b)
{
	vet_buf_release(&b->arena);
	vet_buf_release(&b->out);
	vet_buf_release(&b->errtext);
	vet_buf_release(&b->dec);
	free(b->spans);
	free(b->split);
	free(b->rows);
	memset(b, 0, sizeof *b);
}

/* Splits a row that holds no quote at the delimiter into b->split: the
 * number of cells, or 0 when out of memory. */
static size_t
split_row(struct batch *b, const char *p, size_t n)
{
	const char *end = p + n, *q;
	struct vet_span *sp;
	size_t k = 0, cap;

	char d = (char)b->delim;

	/* Cells are short: a plain loop beats a memchr() call per cell. */
	for (;;) {
		if (k == b->capsplit) {
			cap = b->capsplit ? b->capsplit * 2 : 64;
			if ((sp = realloc(b->split, cap * sizeof *sp)) == NULL)
				return 0;
			b->split = sp;
			b->capsplit = cap;
		}
		for (q = p; q < end && *q != d; q++)
			;
		b->split[k].p = p;
		b->split[k].n = (size_t)(q - p);
		k++;
		if (q == end)
			return k;
		p = q + 1;
	}
}

/* blank_row() of split cells. */
static int
all_blank(const struct vet_span *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (vet_trim(c[i]).n > 0)
			return 0;
	return 1;
}

/*
 * Takes every row of b through intake t, decoding with dec; touches
 * nothing shared.
 */
static void
batch_run(struct batch *b, struct vet_intake *t, struct vet_decoder *dec)
{
	struct vet_error e;
	const char *sp;
	size_t sn;
	const char *base = b->arena.data;
	const char *const *errs;
	struct vet_span *c;
	struct brow *w;
	size_t i, j, k, bad;

	for (i = 0; i < b->ncells; i++)
		b->spans[i].p = base + (uintptr_t)b->spans[i].p;
	for (i = 0; i < b->n; i++) {
		w = &b->rows[i];
		c = b->spans + w->cell;
		w->out = b->out.len;
		if ((w->flags & ROW_UTF8) && (bad = vet_utf8_valid_prefix(base +
		    w->raw, w->rawn)) != w->rawn) {
			w->rc = 1;
			w->err = b->errtext.len;
			if (vet_buf_addf(&b->errtext, "invalid UTF-8 at byte "
			    "offset %lld", w->offset + (long long)bad) < 0 ||
			    vet_buf_addch(&b->errtext, '\0') < 0)
				w->rc = VET_ENOMEM;
			w->nerr = 1;
		} else if (w->flags & ROW_JSON)
			w->rc = vet_intake_json(t, c[0].p, c[0].n, &b->out);
		else if (w->flags & ROW_SPLIT) {
			sp = base + w->raw;
			sn = w->rawn;
			if (w->flags & ROW_DECODE) {
				vet_buf_reset(&b->dec);
				if (vet_decoder_run(dec, sp, sn, w->offset,
				    &b->dec, &bad, &e) < 0) {
					w->rc = e.status == VET_ENOMEM ?
					    VET_ENOMEM : 1;
					w->err = b->errtext.len;
					if (vet_buf_add(&b->errtext, e.msg,
					    strlen(e.msg) + 1) < 0)
						w->rc = VET_ENOMEM;
					w->nerr = 1;
					goto next;
				}
				sp = b->dec.data;
				sn = b->dec.len;
			}
			if ((k = split_row(b, sp, sn)) == 0)
				w->rc = VET_ENOMEM;
			else if (all_blank(b->split, k))
				w->rc = ROW_BLANK;
			else
				w->rc = vet_intake_row(t, b->split, k, &b->out);
		} else
			w->rc = vet_intake_row(t, c, w->ncells, &b->out);
		if (w->rc < 0) {
			vet_buf_truncate(&b->out, w->out);
			if (w->rc != VET_ENOMEM) {
				k = vet_intake_errors(t, &errs);
				w->err = b->errtext.len;
				for (j = 0; j < k; j++)
					if (vet_buf_add(&b->errtext, errs[j],
					    strlen(errs[j]) + 1) < 0)
						w->rc = VET_ENOMEM;
				w->nerr = k;
			}
		}
next:
		w->outn = b->out.len - w->out;
		w->unk = vet_intake_nunknown(t);
		w->unk_full = vet_intake_unknown_full(t);
	}
}

/* The oldest pending batch, or NULL; under the mutex. */
static struct batch *
oldest_pending(struct vet_intake_par *p)
{
	int i;

	for (i = p->head; i != p->tail; i = (i + 1) % p->nq)
		if (p->b[i].state == B_PENDING)
			return &p->b[i];
	return NULL;
}

static void *
worker_main(void *arg)
{
	struct vet_intake_par *p = ((void **)arg)[0];
	struct worker *w = ((void **)arg)[1];
	int who = (int)(w - p->w) + 1;
	struct batch *b;

	free(arg);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while ((b = oldest_pending(p)) == NULL && !p->quit)
			pthread_cond_wait(&p->cv, &p->mu);
		if (b == NULL)
			break;
		b->state = B_TAKEN;
		b->who = who;
		pthread_mutex_unlock(&p->mu);
		batch_run(b, &w->t, &w->dec);
		pthread_mutex_lock(&p->mu);
		b->state = B_DONE;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

void
vet_intake__par_free(struct vet_intake_run *r)
{
	struct vet_intake_par *p = r->par;
	int i;

	if (p == NULL)
		return;
	vet_intake__par_discard(r);
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nworkers; i++) {
		if (p->w[i].started)
			pthread_join(p->w[i].th, NULL);
		if (p->w[i].has_t)
			vet_intake_release(&p->w[i].t);
		vet_decoder_close(&p->w[i].dec);
	}
	for (i = 0; i < QUEUE; i++)
		batch_free(&p->b[i]);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
	r->par = NULL;
}

/*
 * Sets up r->threads - 1 workers, each with an intake like r->t.  When
 * threads cannot be had, the run goes on in the calling thread.
 */
int
vet_intake__par_init(struct vet_intake_run *r)
{
	struct vet_intake_par *p;
	struct vet_intake *t = r->t;
	void **arg;
	int i, n = r->threads - 1;

	if (n > VET_INTAKE_MAX_THREADS - 1)
		n = VET_INTAKE_MAX_THREADS - 1;
	if ((p = calloc(1, sizeof *p)) == NULL)
		return VET_ENOMEM;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	r->par = p;
	for (i = 0; i < n; i++) {
		if (vet_intake_init(&p->w[i].t, t->map, t->policy,
		    t->today) < 0) {
			vet_intake_release(&p->w[i].t);
			break;
		}
		p->w[i].has_t = 1;
		p->w[i].t.utf8_checked = t->utf8_checked;
		p->w[i].t.raw_id = t->raw_id;
		p->nworkers = i + 1;
		if ((arg = malloc(2 * sizeof *arg)) == NULL)
			break;
		arg[0] = p;
		arg[1] = &p->w[i];
		if (pthread_create(&p->w[i].th, NULL, worker_main, arg) != 0) {
			free(arg);
			break;
		}
		p->w[i].started = 1;
	}
	/* Only workers that run take batches. */
	while (p->nworkers > 0 && !p->w[p->nworkers - 1].started) {
		if (p->w[p->nworkers - 1].has_t)
			vet_intake_release(&p->w[p->nworkers - 1].t);
		p->w[p->nworkers - 1].has_t = 0;
		p->nworkers--;
	}
	p->nq = 2 * (p->nworkers + 1) + 1;
	return 0;
}

/* The header of a CSV input goes to every worker's intake too. */
int
vet_intake__par_header(struct vet_intake_run *r,
    const struct vet_span *cells, size_t n)
{
	struct vet_intake_par *p = r->par;
	struct vet_error e;
	int i;

	for (i = 0; p != NULL && i < p->nworkers; i++)
		if (vet_intake_header(&p->w[i].t, cells, n, &e) == VET_ENOMEM)
			return VET_ENOMEM;
	return 0;
}

/* Writes the results of batch b in order, as the serial loop would. */
static int
batch_emit(struct vet_intake_run *r, struct batch *b, struct vet_error *err)
{
	struct vet_intake_par *p = r->par;
	struct vet_cli *cli = r->cli;
	const struct vet_intake *t = b->who ? &p->w[b->who - 1].t : r->t;
	size_t *cursor = b->who ? &p->w[b->who - 1].cursor : &r->told_main;
	const char *errs[VET_INTAKE_MAX_ERRORS], *raw, *q;
	struct brow *w;
	size_t i, j, start, run = 0, runlen = 0;
	/* Records go out as runs of the batch's output, not copied first,
	 * unless a sink or --dedupe takes them one by one. */
	int direct = r->sink == NULL && r->dd == NULL;
	int rc;

	if (direct)
		vet_intake__flush_out(r);
	for (i = 0; i < b->n; i++) {
		w = &b->rows[i];
		if (w->rc == ROW_BLANK)
			continue;	/* a spreadsheet's blank row */
		raw = b->arena.data + w->raw;
		cli->lineno = w->line;
		vet_cli_count_read(cli);
		if (w->rc == VET_ENOMEM)
			return vet_error_nomem(err);
		if (w->rc == 0 && direct) {
			if (runlen == 0)
				run = w->out;
			runlen += w->outn;
			cli->nwritten++;
		} else if (w->rc != 0) {
			if (runlen > 0)
				vet_cli_write(cli, b->out.data + run, runlen, 0);
			runlen = 0;
			q = b->errtext.data + w->err;
			for (j = 0; j < w->nerr && j < VET_INTAKE_MAX_ERRORS;
			    j++) {
				errs[j] = q;
				q += strlen(q) + 1;
			}
			vet_intake__reject(r, raw, w->rawn, errs, j);
		} else {
			start = r->out.len;
			if (vet_buf_add(&r->out, b->out.data + w->out,
			    w->outn) < 0)
				return vet_error_nomem(err);
			if ((rc = vet_intake__emit(r, raw, w->rawn, start,
			    err)) < 0)
				return rc;
		}
		vet_intake__tell_unknown(r, t, cursor, w->unk, w->unk_full);
	}
	if (runlen > 0)
		vet_cli_write(cli, b->out.data + run, runlen, 0);
	batch_reset(b);
	return 0;
}

/* After a failure: waits for the workers, and drops what they did. */
void
vet_intake__par_discard(struct vet_intake_run *r)
{
	struct vet_intake_par *p = r->par;
	int i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	for (i = p->head; i != p->tail; i = (i + 1) % p->nq)
		if (p->b[i].state == B_PENDING)
			p->b[i].state = B_DONE;
	for (i = p->head; i != p->tail; i = (i + 1) % p->nq)
		while (p->b[i].state == B_TAKEN)
			pthread_cond_wait(&p->cv, &p->mu);
	for (i = 0; i < p->nq; i++) {
		batch_reset(&p->b[i]);
		p->b[i].state = B_FREE;
	}
	p->head = p->tail = 0;
	pthread_mutex_unlock(&p->mu);
}

/*
 * Writes the done batches at the head, and takes pending ones in the
 * calling thread while more than keep of them wait (a worker that comes
 * free finds one).  With wait, returns only when nothing is left in the
 * queue; otherwise when the queue has room for the next batch.
 */
static int
par_drain(struct vet_intake_run *r, int keep, int wait, struct vet_error *err)
{
	struct vet_intake_par *p = r->par;
	struct batch *b;
	int i, npend, rc;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		if (p->head != p->tail && p->b[p->head].state == B_DONE) {
			b = &p->b[p->head];
			pthread_mutex_unlock(&p->mu);
			rc = batch_emit(r, b, err);
			pthread_mutex_lock(&p->mu);
			b->state = B_FREE;
			p->head = (p->head + 1) % p->nq;
			if (rc < 0) {
				pthread_mutex_unlock(&p->mu);
				return rc;
			}
			continue;
		}
		npend = 0;
		for (i = p->head; i != p->tail; i = (i + 1) % p->nq)
			npend += p->b[i].state == B_PENDING;
		if (npend > keep || (wait && npend > 0)) {
			b = oldest_pending(p);
			b->state = B_TAKEN;
			b->who = 0;
			pthread_mutex_unlock(&p->mu);
			batch_run(b, r->t, p->dec);
			pthread_mutex_lock(&p->mu);
			b->state = B_DONE;
			continue;
		}
		if (wait ? p->head == p->tail :
		    (p->tail + 1) % p->nq != p->head)
			break;
		pthread_cond_wait(&p->cv, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	return 0;
}

/* Ends the queue: every batch, the one being filled too, is written. */
int
vet_intake__par_flush(struct vet_intake_run *r, struct vet_error *err)
{
	struct vet_intake_par *p = r->par;
	int rc;

	if (p == NULL)
		return 0;
	if (p->b[p->tail].n > 0) {
		pthread_mutex_lock(&p->mu);
		p->b[p->tail].state = B_PENDING;
		p->tail = (p->tail + 1) % p->nq;
		pthread_mutex_unlock(&p->mu);
	}
	if ((rc = par_drain(r, 0, 1, err)) < 0)
		vet_intake__par_discard(r);
	return rc;
}

/*
 * Queues a row; a full batch becomes pending for the workers, and the
 * calling thread writes what is done and helps while the workers are
 * behind.
 */
int
vet_intake__par_add(struct vet_intake_run *r,
    const struct vet_csv_row *row,
    const struct vet_span *cells, size_t ncells, int flags,
    struct vet_error *err)
{
	struct vet_intake_par *p = r->par;
	struct batch *b = &p->b[p->tail];

	b->delim = p->delim;
	if (batch_add(b, row, cells, ncells, flags) < 0)
		return vet_error_nomem(err);
	if (!batch_full(b))
		return 0;
	pthread_mutex_lock(&p->mu);
	b->state = B_PENDING;
	p->tail = (p->tail + 1) % p->nq;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return par_drain(r, 1, 0, err);
}

int
vet_intake__par_on(const struct vet_intake_run *r)
{
	return r->par != NULL && r->par->nworkers > 0;
}

int
vet_intake__par_input(struct vet_intake_run *r, int delim,
    enum vet_encoding enc, struct vet_decoder *dec, struct vet_error *err)
{
	int i, rc;

	r->par->delim = delim;
	r->par->dec = dec;
	for (i = 0; i < r->par->nworkers; i++) {
		vet_decoder_close(&r->par->w[i].dec);
		if ((rc = vet_decoder_open(&r->par->w[i].dec, enc, err)) < 0)
			return rc;
	}
	return 0;
}
