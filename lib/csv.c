/*
 * csv.c - streaming RFC 4180 CSV/TSV and line reader (csv.h).
 *
 * A record is parsed from the start of the buffered data each time; when
 * the data ends inside it, more is read and the record is parsed again from
 * its start.  Buffers grow by doubling, so the re-parsing is amortised and
 * a record is always contiguous in memory, which lets a rejected record be
 * handed back byte for byte and lets most cells point into the buffer
 * without a copy.  Only a cell with doubled quotes is copied (into unq).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vet/csv.h"

/*
 * The scan for the bytes that end a run of plain text goes sixteen bytes
 * at a time where SSE2 is there (every x86-64); elsewhere, and when
 * vet_csv.scalar asks for it, one byte at a time through the stop tables.
 * Both find the same byte.
 */
#if defined(__SSE2__)
#include <emmintrin.h>
#define CSV_SSE2 1
#endif

#define CHUNK ((size_t)64 << 10)

enum {
	P_OK,
	P_MORE,		/* the data ends inside the record */
	P_QUOTE,	/* unterminated quote: raw up to the opening line */
	P_AFTER,	/* text after a closing quote on its line */
	P_LONG,		/* longer than max_record outside quotes */
	P_SLOW		/* parse_plain(): for parse() to read */
};

struct pres {
	size_t len;	/* bytes of the record, line end excluded */
	size_t next;	/* bytes consumed, line end included */
	long nl;	/* line ends consumed */
	size_t nul_field;	/* first field with a NUL, 1-based, or 0 */
	size_t bad_field;	/* field of a quote error, 1-based */
};

void
vet_csv_init(struct vet_csv *c, vet_csv_read_fn read, void *ctx, int delim,
    size_t max_record, long max_quoted_lines)
{
	memset(c, 0, sizeof *c);
	c->read = read;
	c->ctx = ctx;
	c->delim = delim;
	c->max_record = max_record > 0 ? max_record : (size_t)64 << 20;
	c->max_quoted_lines = max_quoted_lines > 0 ? max_quoted_lines :
	    VET_CSV_MAX_QUOTED_LINES;
	c->line = 1;
	vet_buf_init(&c->unq);
	c->stop[0] = c->stop['\n'] = c->stop['\r'] = 1;
	if (delim != VET_CSV_LINES)
		c->stop[(unsigned char)delim] = 1;
	c->qstop[0] = c->qstop['\n'] = c->qstop['"'] = 1;
}

void
vet_csv_release(struct vet_csv *c)
{
	free(c->buf);
	free(c->cells);
	free(c->spans);
	vet_buf_release(&c->unq);
	c->buf = NULL;
	c->cells = NULL;
	c->spans = NULL;
}

/* Makes room for one more cell; 0 or VET_ENOMEM. */
static int
grow_spans(struct vet_csv *c)
{
	struct vet_span *s;
	size_t cap = c->spancap ? c->spancap * 2 : 32;

	if ((s = realloc(c->spans, cap * sizeof *s)) == NULL)
		return VET_ENOMEM;
	c->spans = s;
	c->spancap = cap;
	return 0;
}

/*
 * The next cell is the n bytes at p.  A cell of unq (its bytes had doubled
 * quotes) has p NULL here and is noted with its offset: unq may still move
 * while the record is parsed, so set_spans() points it there at the end.
 */
static inline int
add_cell(struct vet_csv *c, const char *p, size_t n)
{
	if (c->ncells == c->spancap && grow_spans(c) < 0)
		return VET_ENOMEM;
	c->spans[c->ncells].p = p;
	c->spans[c->ncells].n = n;
	c->ncells++;
	return 0;
}

static int
add_unq_cell(struct vet_csv *c, size_t off, size_t n)
{
	struct vet_csv_cell *nc;
	size_t cap;

	if (c->nunq == c->cellcap) {
		cap = c->cellcap ? c->cellcap * 2 : 8;
		if ((nc = realloc(c->cells, cap * sizeof *nc)) == NULL)
			return VET_ENOMEM;
		c->cells = nc;
		c->cellcap = cap;
	}
	c->cells[c->nunq].idx = c->ncells;
	c->cells[c->nunq].off = off;
	c->nunq++;
	return add_cell(c, NULL, n);
}

/*
 * The first position from i on, before n, of a byte that tab marks: one
 * of the bytes a, b, c and d (which may repeat one another), or n.
 */
static inline size_t
find_stop(const struct vet_csv *c, const unsigned char *u, size_t i,
    size_t n, const unsigned char *tab, unsigned char a, unsigned char b,
    unsigned char cc, unsigned char d)
{
#ifdef CSV_SSE2
	__m128i va, vb, vc, vd, x, m;
	unsigned mask;

	if (!c->scalar && i + 16 <= n) {
		va = _mm_set1_epi8((char)a);
		vb = _mm_set1_epi8((char)b);
		vc = _mm_set1_epi8((char)cc);
		vd = _mm_set1_epi8((char)d);
		do {
			x = _mm_loadu_si128((const __m128i *)(const void *)
			    (u + i));
			m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, va),
			    _mm_cmpeq_epi8(x, vb)), _mm_or_si128(
			    _mm_cmpeq_epi8(x, vc), _mm_cmpeq_epi8(x, vd)));
			mask = (unsigned)_mm_movemask_epi8(m);
			if (mask != 0)
				return i + (size_t)__builtin_ctz(mask);
			i += 16;
		} while (i + 16 <= n);
	}
#else
	(void)c;
	(void)a;
	(void)b;
	(void)cc;
	(void)d;
#endif
	while (i < n && !tab[u[i]])
		i++;
	return i;
}

/* The end of the line that holds position pos: sets *len to the bytes
 * before its line end and *next past the line end.  0 when p ends first. */
static int
line_end(const char *p, size_t n, size_t pos, size_t *len, size_t *next)
{
	const char *q = memchr(p + pos, '\n', n - pos);

	if (q == NULL)
		return 0;
	*next = (size_t)(q - p) + 1;
	*len = (size_t)(q - p);
	if (*len > 0 && p[*len - 1] == '\r')
		(*len)--;
	return 1;
}

static long
count_nl(const char *p, size_t n)
{
	long k = 0;
	const char *q, *end = p + n;

	while (p < end && (q = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		k++;
		p = q + 1;
	}
	return k;
}

#ifdef CSV_SSE2
/* One bit per byte of the 64 at u that is one of the bytes of vd, vn, vr
 * and vz. */
static inline uint64_t
stops64(const unsigned char *u, __m128i vd, __m128i vn, __m128i vr,
    __m128i vz)
{
	__m128i x;
	uint64_t m = 0;
	int k;

	for (k = 0; k < 4; k++) {
		x = _mm_loadu_si128((const __m128i *)(const void *)(u + 16 * k));
		m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(x, vd), _mm_cmpeq_epi8(x, vn)),
		    _mm_or_si128(_mm_cmpeq_epi8(x, vr),
		    _mm_cmpeq_epi8(x, vz)))) << (16 * k);
	}
	return m;
}

/*
 * parse() for the usual record, cells without quotes ended by LF or CRLF
 * (or the end of the data at eof): the bytes that end a cell (the
 * delimiter, LF, CR, NUL) are found 64 at a time, one bit each, and each
 * cell then costs a count of zero bits.  P_OK with the record as parse()
 * gives it, or P_SLOW when the record holds anything else (a cell that opens
 * with a quote, a NUL, a CR alone, no end in the data): parse() reads it
 * from its start then, the one byte at a time way.
 */
static int
parse_plain(struct vet_csv *c, const char *p, size_t n, int eof,
    struct pres *r)
{
	const unsigned char *u = (const unsigned char *)p;
	const __m128i vd = _mm_set1_epi8((char)c->delim),
	    vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r'),
	    vz = _mm_setzero_si128();
	unsigned char tail[64];
	struct vet_span *sp = c->spans;
	size_t k = 0, cap = c->spancap, seg = 0, base = 0, j;
	uint64_t bits;
	unsigned char ch;

	if (n >= 64)
		bits = stops64(u, vd, vn, vr, vz);
	else {
		memset(tail, 'a', sizeof tail);
		memcpy(tail, u, n);
		bits = stops64(tail, vd, vn, vr, vz);
	}
	for (;;) {
		if (seg < n && u[seg] == '"')
			return P_SLOW;
		while (bits == 0) {
			base += 64;
			if (base >= n) {
				/* The data ends the cell: at eof, the
				 * record too. */
				if (!eof)
					return P_SLOW;
				j = n;
				goto cell;
			}
			if (n - base >= 64)
				bits = stops64(u + base, vd, vn, vr, vz);
			else {
				memset(tail, 'a', sizeof tail);
				memcpy(tail, u + base, n - base);
				bits = stops64(tail, vd, vn, vr, vz);
			}
		}
		j = base + (size_t)__builtin_ctzll(bits);
		bits &= bits - 1;
cell:
		if (k == cap) {
			c->ncells = k;
			if (grow_spans(c) < 0)
				return VET_ENOMEM;
			sp = c->spans;
			cap = c->spancap;
		}
		sp[k].p = p + seg;
		sp[k].n = j - seg;
		k++;
		if (j == n) {
			r->len = r->next = n;
			r->nl = 0;
			break;
		}
		ch = u[j];
		if (ch == (unsigned char)c->delim) {
			seg = j + 1;
			continue;
		}
		if (ch == '\n') {
			r->len = j;
			r->next = j + 1;
			r->nl = 1;
			break;
		}
		if (ch == '\r' && j + 1 < n && u[j + 1] == '\n') {
			r->len = j;
			r->next = j + 2;
			r->nl = 1;
			break;
		}
		return P_SLOW;
	}
	c->ncells = k;
	r->nul_field = 0;
	r->bad_field = 0;
	return P_OK;
}
#endif

/*
 * Lines mode: one line is one record and one field.
 */
static int
parse_line(struct vet_csv *c, const char *p, size_t n, int eof,
    struct pres *r)
{
	const char *q = memchr(p, '\n', n);
	size_t len;

	if (q == NULL) {
		if (!eof)
			return P_MORE;
		r->len = n;
		r->next = n;
		r->nl = 0;
	} else {
		r->len = (size_t)(q - p);
		r->next = r->len + 1;
		r->nl = 1;
	}
	if (r->len > 0 && p[r->len - 1] == '\r')
		r->len--;
	len = r->len;
	if (memchr(p, '\0', len) != NULL)
		r->nul_field = 1;
	if (add_cell(c, p, len) < 0)
		return VET_ENOMEM;
	return P_OK;
}

/*
 * Parses the record at the start of [p, p + n).  eof says that no data
 * follows p + n.  limit says that the data reached max_record, so running
 * out of it is an error rather than a request for more.
 */
static int
parse(struct vet_csv *c, const char *p, size_t n, int eof, int limit,
    struct pres *r)
{
	const unsigned char *u = (const unsigned char *)p;
	unsigned char d = (unsigned char)c->delim;
	size_t i = 0, open, seg, uoff = 0, qfield;
	long nl = 0, open_nl;
	int doubled, rc;

	memset(r, 0, sizeof *r);
	c->ncells = 0;
	c->nunq = 0;
	vet_buf_reset(&c->unq);
	if (c->delim == VET_CSV_LINES) {
		if (limit)
			return P_LONG;
		return parse_line(c, p, n, eof, r);
	}
#ifdef CSV_SSE2
	if (!limit && !c->scalar && (rc = parse_plain(c, p, n, eof, r)) !=
	    P_SLOW)
		return rc;
	c->ncells = 0;
#endif
	for (;;) {
		if (i < n && u[i] == '"') {
			open = i;
			open_nl = nl;
			qfield = c->ncells + 1;
			seg = ++i;
			doubled = 0;
			for (;;) {
				i = find_stop(c, u, i, n, c->qstop, '"', '\n',
				    '\0', '"');
				if (i >= n) {
					if (!eof && !limit)
						return P_MORE;
					goto unterminated;
				}
				if (u[i] == '\n') {
					nl++;
					i++;
					if (nl - open_nl > c->max_quoted_lines)
						goto unterminated;
					continue;
				}
				if (u[i] == '\0') {
					if (r->nul_field == 0)
						r->nul_field = c->ncells + 1;
					i++;
					continue;
				}
				if (i + 1 >= n && !eof && !limit)
					return P_MORE;
				if (i + 1 < n && u[i + 1] == '"') {
					if (!doubled)
						uoff = c->unq.len;
					doubled = 1;
					if (vet_buf_add(&c->unq, p + seg,
					    i + 1 - seg) < 0)
						return VET_ENOMEM;
					i += 2;
					seg = i;
					continue;
				}
				break;
			}
			if (doubled) {
				if (vet_buf_add(&c->unq, p + seg, i - seg) < 0)
					return VET_ENOMEM;
				rc = add_unq_cell(c, uoff, c->unq.len - uoff);
			} else
				rc = add_cell(c, p + open + 1, i - open - 1);
			if (rc < 0)
				return rc;
			i++;
			if (i >= n) {
				if (!eof && !limit)
					return P_MORE;
				if (!eof)
					return P_LONG;
				r->len = r->next = i;
				break;
			}
			if (u[i] == d) {
				i++;
				continue;
			}
			if (u[i] == '\n') {
				r->len = i;
				r->next = i + 1;
				nl++;
				break;
			}
			if (u[i] == '\r') {
				if (i + 1 >= n && !eof && !limit)
					return P_MORE;
				if (i + 1 >= n) {
					r->len = i;
					r->next = i + 1;
					break;
				}
				if (u[i + 1] == '\n') {
					r->len = i;
					r->next = i + 2;
					nl++;
					break;
				}
			}
			/* Text after the closing quote.  When the field ran
			 * over lines, the likely fault is a quote that was
			 * never closed where it opened. */
			if (nl > open_nl)
				goto unterminated;
			r->bad_field = c->ncells;
			if (!line_end(p, n, i, &r->len, &r->next)) {
				if (!eof)
					return limit ? P_LONG : P_MORE;
				r->len = r->next = n;
			}
			r->nl = nl + (r->next > r->len ? 1 : 0);
			return P_AFTER;
unterminated:
			r->bad_field = qfield;
			if (!line_end(p, n, open, &r->len, &r->next)) {
				if (!eof)
					return limit ? P_LONG : P_MORE;
				r->len = r->next = n;
				r->nl = open_nl;
			} else
				r->nl = open_nl + 1;
			return P_QUOTE;
		}
		/* An unquoted field. */
		seg = i;
		for (;;) {
			i = find_stop(c, u, i, n, c->stop, d, '\n', '\r',
			    '\0');
			if (i >= n) {
				if (!eof)
					return limit ? P_LONG : P_MORE;
				break;
			}
			if (u[i] == '\0') {
				if (r->nul_field == 0)
					r->nul_field = c->ncells + 1;
				i++;
				continue;
			}
			if (u[i] == '\r') {
				if (i + 1 >= n && !eof)
					return limit ? P_LONG : P_MORE;
				if (i + 1 < n && u[i + 1] == '\n')
					break;
				i++;	/* a lone CR is data */
				continue;
			}
			break;
		}
		if ((rc = add_cell(c, p + seg, i - seg)) < 0)
			return rc;
		if (i >= n) {
			r->len = r->next = i;
			break;
		}
		if (u[i] == d) {
			i++;
			continue;
		}
		r->len = i;
		r->next = i + (u[i] == '\r' ? 2 : 1);
		nl++;
		break;
	}
	r->nl = nl;
	return P_OK;
}

static void
set_spans(struct vet_csv *c, struct vet_csv_row *row)
{
	size_t i;

	for (i = 0; i < c->nunq; i++)
		c->spans[c->cells[i].idx].p = c->unq.data + c->cells[i].off;
	row->fields = c->spans;
	row->n = c->ncells;
}

static int
has_high(const char *p, size_t n)
{
	uint64_t acc = 0, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		acc |= w;
	}
	for (; i < n; i++)
		acc |= (unsigned char)p[i];
	return (acc & 0x8080808080808080ULL) != 0;
}

/* Reads more data, keeping [start, end).  0 or a negative status. */
static int
fill(struct vet_csv *c, struct vet_error *err)
{
	size_t have = c->end - c->start, cap;
	char *nb;
	long k;

	if (c->start > 0) {
		memmove(c->buf, c->buf + c->start, have);
		c->start = 0;
		c->end = have;
	}
	if (c->cap - c->end < CHUNK) {
		cap = c->cap ? c->cap * 2 : 2 * CHUNK;
		while (cap - c->end < CHUNK)
			cap *= 2;
		if ((nb = realloc(c->buf, cap)) == NULL)
			return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
			    "out of memory");
		c->buf = nb;
		c->cap = cap;
	}
	k = c->read(c->ctx, c->buf + c->end, c->cap - c->end, err);
	if (k < 0)
		return (int)k;
	if (k == 0)
		c->eof = 1;
	c->end += (size_t)k;
	return 0;
}

/* Drops an over-long record up to its line end, counting lines. */
static int
skip_long(struct vet_csv *c, struct vet_error *err)
{
	const char *q;
	int rc;

	for (;;) {
		q = memchr(c->buf + c->start, '\n', c->end - c->start);
		if (q != NULL) {
			c->line++;
			c->offset += q + 1 - (c->buf + c->start);
			c->start = (size_t)(q + 1 - c->buf);
			c->skipping = 0;
			return 0;
		}
		c->offset += (long long)(c->end - c->start);
		c->start = c->end = 0;
		if (c->eof) {
			c->skipping = 0;
			return 0;
		}
		if ((rc = fill(c, err)) < 0)
			return rc;
	}
}

void
vet_csv_pending(const struct vet_csv *c, struct vet_span *raw, long *line,
    long long *offset)
{
	raw->p = c->buf != NULL ? c->buf + c->start : "";
	raw->n = c->skipping ? 0 : c->end - c->start;
	*line = c->line;
	*offset = c->offset;
}

int
vet_csv_rest(struct vet_csv *c, struct vet_span *chunk,
    struct vet_error *err)
{
	const char *p, *q;
	size_t avail, keep;
	int rc;

	while (c->skipping) {
		avail = c->end - c->start;
		p = c->buf + c->start;
		q = avail > 0 ? memchr(p, '\n', avail) : NULL;
		if (q != NULL) {
			c->line++;
			c->offset += q + 1 - p;
			c->start = (size_t)(q + 1 - c->buf);
			c->skipping = 0;
			chunk->p = p;
			chunk->n = (size_t)(q - p);
			if (chunk->n > 0 && q[-1] == '\r')
				chunk->n--;
			return chunk->n > 0;
		}
		/* A CR at the end may be the first half of the CRLF that
		 * ends the record: it waits for the next piece. */
		keep = avail > 0 && p[avail - 1] == '\r' && !c->eof;
		if (avail > keep) {
			chunk->p = p;
			chunk->n = avail - keep;
			c->offset += (long long)chunk->n;
			c->start += chunk->n;
			return 1;
		}
		if (c->eof) {
			c->skipping = 0;
			return 0;
		}
		if ((rc = fill(c, err)) < 0)
			return rc;
	}
	return 0;
}

/* Marks a lazy row in pres.bad_field, which a good row does not use. */
#define LAZY ((size_t)-1)

/*
 * vet_csv.lazy: the line at p when it holds no quote and no NUL, unsplit
 * (P_OK, or P_MORE when its end is not in yet); P_QUOTE when it must be
 * parsed.
 */
static int
lazy_line(const char *p, size_t n, int eof, struct pres *r)
{
	const char *q = memchr(p, '\n', n);
	size_t len = q != NULL ? (size_t)(q - p) : n;

	if (q == NULL && !eof)
		return P_MORE;
	if (memchr(p, '"', len) != NULL || memchr(p, '\0', len) != NULL)
		return P_QUOTE;
	memset(r, 0, sizeof *r);
	r->next = q != NULL ? len + 1 : n;
	r->nl = q != NULL;
	/* The CR of a CRLF; a CR that ends the data is data, as parse()
	 * has it. */
	if (q != NULL && len > 0 && p[len - 1] == '\r')
		len--;
	r->len = len;
	r->bad_field = LAZY;
	return P_OK;
}

int
vet_csv_next(struct vet_csv *c, struct vet_csv_row *row,
    struct vet_error *err)
{
	struct pres r;
	const char *p;
	size_t avail, fld;
	int rc, limit = 0;

	for (;;) {
		if (c->skipping && (rc = skip_long(c, err)) < 0)
			return rc;
		avail = c->end - c->start;
		if (!c->started) {
			if (avail < 3 && !c->eof) {
				if ((rc = fill(c, err)) < 0)
					return rc;
				continue;
			}
			c->started = 1;
			if (avail >= 3 && memcmp(c->buf + c->start,
			    "\xef\xbb\xbf", 3) == 0) {
				c->start += 3;
				c->offset = 3;
				avail -= 3;
			}
		}
		if (avail == 0 && c->eof)
			return VET_CSV_EOF;
		p = c->buf + c->start;
		if (avail == 0)
			rc = P_MORE;
		else if (c->lazy && !limit && (rc = lazy_line(p, avail,
		    c->eof, &r)) != P_QUOTE)
			;	/* a plain line, or more data needed */
		else
			rc = parse(c, p, avail, c->eof, limit, &r);
		if (rc < 0)
			return vet_error_set(err, rc, NULL, 0, 0,
			    "out of memory");
		if (rc != P_MORE)
			break;
		if (avail >= c->max_record) {
			limit = 1;
			continue;
		}
		if ((rc = fill(c, err)) < 0)
			return rc;
	}
	row->line = c->line;
	row->offset = c->offset;
	row->raw.p = p;
	row->cut = rc == P_LONG;
	if (rc == P_LONG) {
		row->raw.n = avail < c->max_record ? avail : c->max_record;
		row->nlines = 1;
		row->fields = NULL;
		row->n = 0;
		row->has_high = has_high(row->raw.p, row->raw.n);
		vet_error_set(err, VET_EDATA, NULL, row->line, 0,
		    "record longer than --max-record (%zu bytes)",
		    c->max_record);
		/* Count the line ends before the cut, then skip the rest. */
		c->line += count_nl(p, row->raw.n);
		c->offset += (long long)row->raw.n;
		c->start += row->raw.n;
		c->skipping = 1;
		return VET_CSV_BAD;
	}
	row->raw.n = r.len;
	row->lazy = 0;
	row->nlines = r.nl > 0 ? r.nl : 1;
	row->has_high = c->no_high || has_high(p, r.len);
	c->line += r.nl;
	c->offset += (long long)r.next;
	c->start += r.next;
	if (rc == P_QUOTE || rc == P_AFTER) {
		row->fields = NULL;
		row->n = 0;
		fld = r.bad_field;
		vet_error_set(err, VET_EDATA, NULL, row->line, 0,
		    rc == P_QUOTE ? "unterminated quote in field %zu" :
		    "unexpected text after closing quote in field %zu", fld);
		return VET_CSV_BAD;
	}
	if (r.bad_field == LAZY) {
		row->lazy = 1;
		row->fields = NULL;
		row->n = 0;
	} else {
		set_spans(c, row);
	}
	if (r.len > c->max_record) {
		vet_error_set(err, VET_EDATA, NULL, row->line, 0,
		    "record longer than --max-record (%zu bytes)",
		    c->max_record);
		return VET_CSV_BAD;
	}
	if (r.nul_field > 0) {
		vet_error_set(err, VET_EDATA, NULL, row->line, 0,
		    "NUL byte in field %zu", r.nul_field);
		return VET_CSV_BAD;
	}
	return VET_CSV_ROW;
}

int
vet_csv_split(struct vet_csv *c, const char *p, size_t n,
    struct vet_csv_row *row, struct vet_error *err)
{
	struct pres r;
	int rc;

	rc = parse(c, p, n, 1, 0, &r);
	if (rc < 0)
		return vet_error_set(err, rc, NULL, 0, 0, "out of memory");
	if (rc != P_OK || r.next != n || r.nul_field > 0)
		return vet_error_set(err, VET_EDATA, NULL, row->line, 0,
		    "record does not split the same way after decoding");
	set_spans(c, row);
	return 0;
}
