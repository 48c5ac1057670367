/*
 * mapping.c - record kinds, the built-in header and value mapping, and the
 * YAML map file (mapping.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vet/hash.h"
#include "vet/mapping.h"
#include "vet/schema.h"
#include "vet/utf8.h"
#include "vet/yaml.h"

static const char *const type_names[] = {
	"string", "id", "phone", "district", "date", "bool", "int", "number",
	"array", "enum", NULL
};

int
vet_kind_parse(const char *s, enum vet_kind *out)
{
	static const char *const names[] = { "veteran", "job", "event",
		"extract", "raw", NULL };
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum vet_kind)i;
			return 0;
		}
	return VET_EUSAGE;
}

const char *
vet_kind_name(enum vet_kind k)
{
	static const char *const names[] = { "veteran", "job", "event",
		"extract", "raw" };

	return names[k];
}

int
vet_ftype_parse(const char *s, enum vet_ftype *out)
{
	int i;

	for (i = 0; type_names[i] != NULL; i++)
		if (strcmp(s, type_names[i]) == 0) {
			*out = (enum vet_ftype)i;
			return 0;
		}
	return VET_EUSAGE;
}

static void *
grow(void *p, size_t *cap, size_t n, size_t size)
{
	size_t c;
	void *q;

	if (n < *cap)
		return p;
	c = *cap ? *cap * 2 : 16;
	if ((q = realloc(p, c * size)) == NULL)
		return NULL;
	*cap = c;
	return q;
}

/*
 * The mapping's strings (headers, names, values) are carved from blocks
 * that never move and are freed whole: the built-in tables alone hold
 * some hundreds, and a malloc and a free for each were most of building
 * a mapping (vet-export builds three at every start).
 */
struct vet_map_block {
	struct vet_map_block *next;
	size_t used, cap;
	char data[];
};

#define BLOCK_SIZE	4096

static char *
carve(struct vet_mapping *m, size_t n)
{
	struct vet_map_block *b = m->blocks;
	size_t cap;

	if (b == NULL || b->cap - b->used < n) {
		cap = n > BLOCK_SIZE - sizeof *b ? n : BLOCK_SIZE - sizeof *b;
		if ((b = malloc(sizeof *b + cap)) == NULL)
			return NULL;
		b->next = m->blocks;
		b->used = 0;
		b->cap = cap;
		m->blocks = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

static char *
dupn(struct vet_mapping *m, const char *s, size_t n)
{
	char *d = carve(m, n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* Rebuilds the header hash table for at least want headers; it is at
 * most half full. */
static int
rehash(struct vet_mapping *m, size_t want)
{
	size_t cap = 64, i, j;
	struct vet_map_header *h;

	if (want < m->nheaders)
		want = m->nheaders;
	while (cap < want * 2 + 2)
		cap *= 2;
	free(m->hash);
	if ((m->hash = calloc(cap, sizeof *m->hash)) == NULL)
		return VET_ENOMEM;
	m->hashcap = cap;
	for (i = 0; i < m->nheaders; i++) {
		h = &m->headers[i];
		j = vet_hash(h->text, strlen(h->text)) & (cap - 1);
		while (m->hash[j] != 0)
			j = (j + 1) & (cap - 1);
		m->hash[j] = i + 1;
	}
	return 0;
}

/* The header s[0..n), or -1 with *empty the slot it would take (when
 * the table has any). */
static long
probe_header(const struct vet_mapping *m, const char *s, size_t n,
    size_t *empty)
{
	size_t j, k;
	const char *t;

	*empty = 0;
	if (m->hashcap == 0)
		return -1;
	j = vet_hash(s, n) & (m->hashcap - 1);
	while ((k = m->hash[j]) != 0) {
		t = m->headers[k - 1].text;
		if (strncmp(t, s, n) == 0 && t[n] == '\0')
			return (long)(k - 1);
		j = (j + 1) & (m->hashcap - 1);
	}
	*empty = j;
	return -1;
}

static long
find_header(const struct vet_mapping *m, const char *s, size_t n)
{
	size_t empty;

	return probe_header(m, s, n, &empty);
}

/* Maps header text to field f, replacing an earlier mapping of it. */
static int
set_header(struct vet_mapping *m, const char *s, size_t n, size_t f)
{
	struct vet_map_header *h;
	size_t empty;
	long k = probe_header(m, s, n, &empty);

	if (k >= 0) {
		m->headers[k].field = f;
		return 0;
	}
	h = grow(m->headers, &m->capheaders, m->nheaders, sizeof *h);
	if (h == NULL)
		return VET_ENOMEM;
	m->headers = h;
	if ((h[m->nheaders].text = dupn(m, s, n)) == NULL)
		return VET_ENOMEM;
	h[m->nheaders++].field = f;
	if (m->nheaders * 2 + 2 > m->hashcap)
		return rehash(m, 0);
	/* Where the probe ended, without rebuilding. */
	m->hash[empty] = m->nheaders;
	return 0;
}

static int
set_value(struct vet_mapping *m, struct vet_map_value **vals, size_t *nv,
    size_t *cap, const char *raw, size_t rn, const char *code)
{
	struct vet_map_value *v;
	size_t i;
	char *c;

	if ((c = dupn(m, code, strlen(code))) == NULL)
		return VET_ENOMEM;
	/* The first byte first: the tables give some hundreds of words. */
	for (i = 0; i < *nv; i++)
		if ((*vals)[i].raw[0] == (rn > 0 ? raw[0] : '\0') &&
		    strncmp((*vals)[i].raw, raw, rn) == 0 &&
		    (*vals)[i].raw[rn] == '\0') {
			(*vals)[i].code = c;
			return 0;
		}
	if ((v = grow(*vals, cap, *nv, sizeof *v)) == NULL)
		return VET_ENOMEM;
	*vals = v;
	if ((v[*nv].raw = dupn(m, raw, rn)) == NULL)
		return VET_ENOMEM;
	v[(*nv)++].code = c;
	return 0;
}

static long
add_field(struct vet_mapping *m, const char *name, enum vet_ftype type,
    int required, const char *const *codes)
{
	struct vet_map_field *f;
	size_t n = strlen(name);

	f = grow(m->fields, &m->capfields, m->nfields, sizeof *f);
	if (f == NULL)
		return VET_ENOMEM;
	m->fields = f;
	f = &m->fields[m->nfields];
	memset(f, 0, sizeof *f);
	f->name = dupn(m, name, n);
	/* Field names come from the tables or from YAML keys that were
	 * checked to be plain identifiers, so they need no escaping. */
	f->jkey = carve(m, n + 4);
	if (f->name == NULL || f->jkey == NULL)
		return VET_ENOMEM;
	f->jkey[0] = '"';
	memcpy(f->jkey + 1, name, n);
	memcpy(f->jkey + 1 + n, "\":", 3);
	f->jkeylen = n + 3;
	f->type = type;
	f->required = required;
	f->codes = codes;
	m->nfields++;
	if (set_header(m, name, n, m->nfields - 1) < 0)
		return VET_ENOMEM;
	return (long)(m->nfields - 1);
}

/* Adds the words of list [p, ...) separated by '|': headers of field f, or
 * values "raw=code" of it when values is set. */
static int
add_words(struct vet_mapping *m, size_t f, const char *p, int values)
{
	struct vet_map_field *fd;
	const char *q, *eq;
	char code[64];
	size_t cn;

	for (; p != NULL && *p != '\0'; p = *q == '|' ? q + 1 : q) {
		if ((q = strchr(p, '|')) == NULL)
			q = p + strlen(p);
		if (!values) {
			if (set_header(m, p, (size_t)(q - p), f) < 0)
				return VET_ENOMEM;
			continue;
		}
		eq = memchr(p, '=', (size_t)(q - p));
		cn = (size_t)(q - eq - 1);
		memcpy(code, eq + 1, cn);
		code[cn] = '\0';
		fd = &m->fields[f];
		if (set_value(m, &fd->values, &fd->nvalues, &fd->capvalues, p,
		    (size_t)(eq - p), code) < 0)
			return VET_ENOMEM;
	}
	return 0;
}

/* How many headers the schema of kind k gives, at most. */
static size_t
schema_headers(enum vet_kind k)
{
	const struct vet_schema_field *s;
	const char *p;
	size_t i, n, h = 0;

	if (k == VET_KIND_RAW)
		return 0;
	s = vet_schema_fields(k, &n);
	for (i = 0; i < n; i++) {
		h += 3;		/* the name, the label, the first word */
		for (p = s[i].headers; p != NULL && (p = strchr(p, '|')) !=
		    NULL; p++)
			h++;
	}
	return h;
}

/* The fields of the schema of kind k, with their headers and words. */
static int
load_schema(struct vet_mapping *m, enum vet_kind k)
{
	const struct vet_schema_field *s;
	struct vet_map_field *fd;
	size_t i, j, n;
	long f;

	s = vet_schema_fields(k, &n);
	for (i = 0; i < n; i++) {
		f = add_field(m, s[i].name, s[i].type,
		    vet_schema_required(k, &s[i]), s[i].codes);
		if (f < 0)
			return (int)f;
		m->fields[f].flags = s[i].flags & VET_SF_MONTH;
		if (set_header(m, s[i].zh, strlen(s[i].zh), (size_t)f) < 0 ||
		    add_words(m, (size_t)f, s[i].headers, 0) < 0)
			return VET_ENOMEM;
		fd = &m->fields[f];
		for (j = 0; s[i].codes_zh != NULL && s[i].codes_zh[j] != NULL;
		    j++)
			if (set_value(m, &fd->values, &fd->nvalues,
			    &fd->capvalues, s[i].codes_zh[j],
			    strlen(s[i].codes_zh[j]), s[i].codes[j]) < 0)
				return VET_ENOMEM;
		if (add_words(m, (size_t)f, s[i].values, 1) < 0)
			return VET_ENOMEM;
	}
	return 0;
}

int
vet_mapping_init(struct vet_mapping *m, enum vet_kind kind)
{
	const char *const *w;
	int rc;

	memset(m, 0, sizeof *m);
	m->kind = kind;
	/* Sized once for the schema's headers, not rebuilt as they come. */
	if ((rc = rehash(m, schema_headers(kind))) < 0)
		goto fail;
	if (kind == VET_KIND_RAW)
		return 0;
	if ((rc = load_schema(m, kind)) < 0)
		goto fail;
	for (w = vet_schema_bool_words; *w != NULL; w += 2)
		if ((rc = set_value(m, &m->booleans, &m->nbooleans,
		    &m->capbooleans, w[0], strlen(w[0]), w[1])) < 0)
			goto fail;
	return 0;
fail:
	/* A failed init leaves nothing for the caller to release. */
	vet_mapping_release(m);
	return rc;
}

void
vet_mapping_release(struct vet_mapping *m)
{
	struct vet_map_block *b;
	size_t i;

	for (i = 0; i < m->nfields; i++)
		free(m->fields[i].values);
	free(m->fields);
	free(m->headers);
	free(m->booleans);
	free(m->hash);
	while ((b = m->blocks) != NULL) {
		m->blocks = b->next;
		free(b);
	}
	memset(m, 0, sizeof *m);
}

/*
 * The header h without a sheet's marks and spellings (mapping.h) into
 * out; its length, or 0 when it is too long to be a header worth trying.
 */
static size_t
normal_header(const char *h, size_t n, char *out, size_t cap)
{
	static const struct {
		const char *from, *to;
	} subst[] = {
		{ "\xef\xbc\x88", "(" },	/* （ */
		{ "\xef\xbc\x89", ")" },	/* ） */
		{ "\xef\xbc\x9a", ":" },	/* ： */
		{ "\xef\xbc\x8a", "" },	/* ＊ */
		{ "\xe3\x80\x80", "" },	/* U+3000 */
		{ " ", "" }, { "\t", "" }, { "*", "" },
	};
	static const char mark[] = "(\xe5\xbf\x85\xe5\xa1\xab)"; /* (必填) */
	size_t i, j, k, o = 0, len;
	char *p;

	if (n >= cap)
		return 0;
	for (i = 0; i < n;) {
		for (j = 0; j < sizeof subst / sizeof subst[0]; j++) {
			len = strlen(subst[j].from);
			if (n - i >= len && memcmp(h + i, subst[j].from,
			    len) == 0)
				break;
		}
		if (j == sizeof subst / sizeof subst[0]) {
			out[o++] = h[i++];
			continue;
		}
		k = strlen(subst[j].to);
		memcpy(out + o, subst[j].to, k);
		o += k;
		i += strlen(subst[j].from);
	}
	out[o] = '\0';
	if ((p = strstr(out, mark)) != NULL) {
		len = strlen(mark);
		memmove(p, p + len, (size_t)(out + o - (p + len)) + 1);
		o -= len;
	}
	while (o > 0 && out[o - 1] == ':')
		out[--o] = '\0';
	return o;
}

long
vet_mapping_header(const struct vet_mapping *m, const char *h, size_t n)
{
	char norm[256];
	size_t nn;
	long k = find_header(m, h, n);

	if (k < 0 && (nn = normal_header(h, n, norm, sizeof norm)) > 0 &&
	    (nn != n || memcmp(norm, h, n) != 0))
		k = find_header(m, norm, nn);
	return k < 0 ? -1 : (long)m->headers[k].field;
}

#define NEAR_MAX 64	/* code points of a header worth comparing */

/*
 * The code points of the normal form of header h into cp, ASCII letters
 * lower-cased; their number, or 0 when h is too long or not UTF-8.
 */
static size_t
code_points(const char *h, size_t n, uint32_t *cp)
{
	char norm[256];
	const unsigned char *p;
	size_t nn, i = 0, k = 0, len;
	uint32_t c;

	if ((nn = normal_header(h, n, norm, sizeof norm)) == 0 ||
	    !vet_utf8_valid(norm, nn))
		return 0;
	p = (const unsigned char *)norm;
	while (i < nn) {
		if (k == NEAR_MAX)
			return 0;
		c = p[i];
		len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		if (len > 1)
			c &= 0x3f >> (len - 1);
		while (--len > 0)
			c = c << 6 | (p[++i] & 0x3f);
		i++;
		cp[k++] = c >= 'A' && c <= 'Z' ? c + 32 : c;
	}
	return k;
}

/* The length of the longest common subsequence of a and b. */
static size_t
common(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t row[NEAR_MAX + 1], diag, up, i, j;

	memset(row, 0, sizeof row);
	for (i = 0; i < na; i++) {
		diag = 0;
		for (j = 0; j < nb; j++) {
			up = row[j + 1];
			row[j + 1] = a[i] == b[j] ? diag + 1 :
			    up > row[j] ? up : row[j];
			diag = up;
		}
	}
	return row[nb];
}

/*
 * The known header nearest to the code points a (na of them), if nearer
 * than *bestd: its index, with *bestd lowered; else best.  exact: only an
 * equal header counts, of 2 characters or more.
 */
static long
nearest(const struct vet_mapping *m, const uint32_t *a, size_t na,
    int exact, size_t *bestd, long best)
{
	uint32_t b[NEAR_MAX];
	size_t nb, i, d, lim;

	for (i = 0; i < m->nheaders; i++) {
		nb = code_points(m->headers[i].text,
		    strlen(m->headers[i].text), b);
		if (nb < (exact ? 2u : 3u))
			continue;
		lim = exact ? 0 : (na > nb ? na : nb) / 3;
		if (lim < 1 && !exact)
			lim = 1;
		/* The lengths alone may already rule it out. */
		if ((na > nb ? na - nb : nb - na) > lim)
			continue;
		d = na + nb - 2 * common(a, na, b, nb);
		if (d <= lim && d < *bestd) {
			*bestd = d;
			best = (long)i;
		}
	}
	return best;
}

long
vet_mapping_near(const struct vet_mapping *m, const char *h, size_t n)
{
	uint32_t a[NEAR_MAX];
	size_t na, p, bestd = SIZE_MAX;
	long best = -1;

	if ((na = code_points(h, n, a)) < 3)
		return -1;
	/* A unit or a note in brackets after a known header, 退役时间(年月日):
	 * the header before it, when it is one exactly. */
	if (a[na - 1] == ')') {
		for (p = na - 1; p > 0 && a[p] != '('; p--)
			;
		if (p >= 2 && (best = nearest(m, a, p, 1, &bestd, -1)) >= 0)
			return best;
	}
	return nearest(m, a, na, 0, &bestd, -1);
}

long
vet_mapping_field(const struct vet_mapping *m, const char *name)
{
	size_t i, n = strlen(name);
	long k;

	/* A field's name is one of its headers (add_field): the hash finds
	 * it, unless a mapping file gave that header to another field. */
	if ((k = find_header(m, name, n)) >= 0 &&
	    strcmp(m->fields[m->headers[k].field].name, name) == 0)
		return (long)m->headers[k].field;
	for (i = 0; i < m->nfields; i++)
		if (strcmp(m->fields[i].name, name) == 0)
			return (long)i;
	return -1;
}

static const char *
lookup(const struct vet_map_value *v, size_t nv, const char *s, size_t n,
    int nocase)
{
	size_t i;

	for (i = 0; i < nv; i++)
		if ((nocase ? strncasecmp(v[i].raw, s, n) :
		    strncmp(v[i].raw, s, n)) == 0 && v[i].raw[n] == '\0')
			return v[i].code;
	return NULL;
}

const char *
vet_mapping_value(const struct vet_mapping *m, size_t f, const char *v,
    size_t n)
{
	const struct vet_map_field *fd = &m->fields[f];
	const char *c;
	size_t i;

	/* Canonical records already hold codes: try them exactly first. */
	if (fd->type == VET_FT_BOOL) {
		if (n == 4 && memcmp(v, "true", 4) == 0)
			return "true";
		if (n == 5 && memcmp(v, "false", 5) == 0)
			return "false";
	} else if (fd->codes != NULL) {
		for (i = 0; fd->codes[i] != NULL; i++)
			if (strncmp(fd->codes[i], v, n) == 0 &&
			    fd->codes[i][n] == '\0')
				return fd->codes[i];
	}
	if ((c = lookup(fd->values, fd->nvalues, v, n, 0)) != NULL)
		return c;
	if (fd->type == VET_FT_BOOL)
		return lookup(m->booleans, m->nbooleans, v, n, 1);
	if (fd->codes != NULL) {
		for (i = 0; fd->codes[i] != NULL; i++)
			if (strncasecmp(fd->codes[i], v, n) == 0 &&
			    fd->codes[i][n] == '\0')
				return fd->codes[i];
		return NULL;
	}
	/* An enum declared in a map file: its codes are its values' codes. */
	for (i = 0; i < fd->nvalues; i++)
		if (strncmp(fd->values[i].code, v, n) == 0 &&
		    fd->values[i].code[n] == '\0')
			return fd->values[i].code;
	return NULL;
}

/*
 * The map file.
 */

static int
code_ok(const struct vet_map_field *f, const char *code)
{
	size_t i;

	if (f->type == VET_FT_BOOL)
		return strcmp(code, "true") == 0 || strcmp(code, "false") == 0;
	if (f->codes == NULL)
		return 1;
	for (i = 0; f->codes[i] != NULL; i++)
		if (strcmp(f->codes[i], code) == 0)
			return 1;
	return 0;
}

static int
want(const struct vet_yaml_doc *d, const struct vet_yaml_node *n,
    enum vet_yaml_kind k, const char *what, struct vet_error *err)
{
	static const char *const kn[] = { "a scalar", "a list", "a mapping" };

	if (n != NULL && n->kind == k)
		return 0;
	if (n == NULL)
		return vet_error_set(err, VET_ECONFIG, d->file, 0, 0,
		    "%s must be %s", what, kn[k]);
	return vet_yaml_error(d, n, err, "%s must be %s", what, kn[k]);
}

static int
load_field(struct vet_mapping *m, const struct vet_yaml_doc *d,
    const struct vet_yaml_node *key, const struct vet_yaml_node *def,
    struct vet_error *err)
{
	const struct vet_yaml_node *k, *v, *type = NULL, *values = NULL,
	    *req = NULL;
	struct vet_map_field *f;
	enum vet_ftype t = VET_FT_STRING;
	long fi;
	size_t i;
	int rc;

	if (!vet_yaml_is_name(key->str))
		return vet_yaml_error(d, key, err, "field name '%s' is not "
		    "lower-case snake_case", key->str);
	if ((rc = want(d, def, VET_YAML_MAP, "a field definition", err)) < 0)
		return rc;
	for (i = 0; i < def->n; i++) {
		k = def->keys[i];
		v = def->items[i];
		if (strcmp(k->str, "type") == 0)
			type = v;
		else if (strcmp(k->str, "values") == 0)
			values = v;
		else if (strcmp(k->str, "required") == 0)
			req = v;
		else
			return vet_yaml_error(d, k, err, "unknown key '%s' in "
			    "field '%s'", k->str, key->str);
	}
	fi = vet_mapping_field(m, key->str);
	if (type != NULL) {
		if ((rc = want(d, type, VET_YAML_SCALAR, "type", err)) < 0)
			return rc;
		if (vet_ftype_parse(type->str, &t) < 0)
			return vet_yaml_error(d, type, err, "unknown type '%s'",
			    type->str);
	}
	if (fi < 0) {
		if ((fi = add_field(m, key->str, t, 0, NULL)) < 0)
			return (int)fi;
	} else if (type != NULL && m->fields[fi].type != t) {
		m->fields[fi].type = t;
		m->fields[fi].codes = NULL;
	}
	f = &m->fields[fi];
	if (req != NULL) {
		if ((rc = want(d, req, VET_YAML_SCALAR, "required", err)) < 0)
			return rc;
		if (strcmp(req->str, "true") == 0)
			f->required = 1;
		else if (strcmp(req->str, "false") == 0)
			f->required = 0;
		else
			return vet_yaml_error(d, req, err, "required must be "
			    "true or false, not '%s'", req->str);
	}
	if (values == NULL)
		return 0;
	if ((rc = want(d, values, VET_YAML_MAP, "values", err)) < 0)
		return rc;
	if (f->type != VET_FT_ENUM && f->type != VET_FT_BOOL &&
	    f->type != VET_FT_DISTRICT)
		return vet_yaml_error(d, values, err, "values are only for "
		    "enum, bool and district fields, and '%s' is %s",
		    f->name, type_names[f->type]);
	for (i = 0; i < values->n; i++) {
		v = values->items[i];
		if ((rc = want(d, v, VET_YAML_SCALAR, "a value code",
		    err)) < 0)
			return rc;
		if (f->type != VET_FT_DISTRICT && !code_ok(f, v->str))
			return vet_yaml_error(d, v, err, "unknown code '%s' for "
			    "field '%s'", v->str, f->name);
		if (set_value(m, &f->values, &f->nvalues, &f->capvalues,
		    values->keys[i]->str, values->keys[i]->len, v->str) < 0)
			return VET_ENOMEM;
	}
	return 0;
}

static int
load_booleans(struct vet_mapping *m, const struct vet_yaml_doc *d,
    const struct vet_yaml_node *b, struct vet_error *err)
{
	const struct vet_yaml_node *k, *list, *w;
	size_t i, j;
	int rc;

	if ((rc = want(d, b, VET_YAML_MAP, "booleans", err)) < 0)
		return rc;
	for (i = 0; i < b->n; i++) {
		k = b->keys[i];
		list = b->items[i];
		if (strcmp(k->str, "true") != 0 && strcmp(k->str, "false") != 0)
			return vet_yaml_error(d, k, err, "unknown key '%s' in "
			    "booleans (true or false)", k->str);
		if ((rc = want(d, list, VET_YAML_SEQ, k->str, err)) < 0)
			return rc;
		for (j = 0; j < list->n; j++) {
			w = list->items[j];
			if ((rc = want(d, w, VET_YAML_SCALAR, "a word",
			    err)) < 0)
				return rc;
			if (set_value(m, &m->booleans, &m->nbooleans,
			    &m->capbooleans, w->str, w->len, k->str) < 0)
				return VET_ENOMEM;
		}
	}
	return 0;
}

/* The top-level keys of a map file. */
struct map_keys {
	const struct vet_yaml_node *headers, *fields, *booleans;
};

/* Reads the top-level keys of root, checking "kind" against m's.  0 or a
 * status. */
static int
map_keys(struct vet_mapping *m, const struct vet_yaml_doc *doc,
    const struct vet_yaml_node *root, struct map_keys *mk,
    struct vet_error *err)
{
	const struct vet_yaml_node *k, *v;
	enum vet_kind kind;
	size_t i;
	int rc;

	for (i = 0; i < root->n; i++) {
		k = root->keys[i];
		v = root->items[i];
		if (strcmp(k->str, "kind") == 0) {
			if ((rc = want(doc, v, VET_YAML_SCALAR, "kind",
			    err)) < 0)
				return rc;
			if (vet_kind_parse(v->str, &kind) < 0)
				return vet_yaml_error(doc, v, err,
				    "unknown kind '%s'", v->str);
			if (kind != m->kind)
				return vet_yaml_error(doc, v, err, "the map is "
				    "for kind '%s' but --kind is '%s'", v->str,
				    vet_kind_name(m->kind));
		} else if (strcmp(k->str, "headers") == 0)
			mk->headers = v;
		else if (strcmp(k->str, "fields") == 0)
			mk->fields = v;
		else if (strcmp(k->str, "booleans") == 0)
			mk->booleans = v;
		else
			return vet_yaml_error(doc, k, err, "unknown key '%s'",
			    k->str);
	}
	return 0;
}

/* headers: each header text names a field.  0 or a status. */
static int
load_headers(struct vet_mapping *m, const struct vet_yaml_doc *doc,
    const struct vet_yaml_node *headers, struct vet_error *err)
{
	const struct vet_yaml_node *k, *v;
	size_t i;
	long f;
	int rc;

	if ((rc = want(doc, headers, VET_YAML_MAP, "headers", err)) < 0)
		return rc;
	for (i = 0; i < headers->n; i++) {
		k = headers->keys[i];
		v = headers->items[i];
		if ((rc = want(doc, v, VET_YAML_SCALAR, "a field name",
		    err)) < 0)
			return rc;
		if ((f = vet_mapping_field(m, v->str)) < 0)
			return vet_yaml_error(doc, v, err, "unknown field "
			    "'%s' (declare it under fields)", v->str);
		if ((rc = set_header(m, k->str, k->len, (size_t)f)) < 0)
			return rc;
	}
	return 0;
}

int
vet_mapping_load(struct vet_mapping *m, const char *file, const char *p,
    size_t n, struct vet_error *err)
{
	struct vet_yaml_doc doc;
	struct map_keys mk = { NULL, NULL, NULL };
	size_t i;
	int rc;

	if ((rc = vet_yaml_load(&doc, file, p, n, err)) < 0)
		return rc;
	rc = 0;
	if (doc.root == NULL)
		goto out;
	if ((rc = want(&doc, doc.root, VET_YAML_MAP, "the map file",
	    err)) < 0 || (rc = map_keys(m, &doc, doc.root, &mk, err)) < 0)
		goto out;
	/* Fields first, so that headers may name the fields declared. */
	if (mk.fields != NULL) {
		if ((rc = want(&doc, mk.fields, VET_YAML_MAP, "fields",
		    err)) < 0)
			goto out;
		for (i = 0; i < mk.fields->n; i++)
			if ((rc = load_field(m, &doc, mk.fields->keys[i],
			    mk.fields->items[i], err)) < 0)
				goto out;
	}
	if (mk.headers != NULL && (rc = load_headers(m, &doc, mk.headers,
	    err)) < 0)
		goto out;
	if (mk.booleans != NULL)
		rc = load_booleans(m, &doc, mk.booleans, err);
out:
	if (rc == VET_ENOMEM)
		vet_error_set(err, rc, file, 0, 0, "out of memory");
	vet_yaml_release(&doc);
	return rc;
}

/*
 * The words vet-export writes, looked up in the same tables that
 * vet-intake reads, so that what one writes the other reads back.
 */
const char *
vet_mapping_label(const struct vet_mapping *m, size_t f)
{
	size_t i;

	for (i = 0; i < m->nheaders; i++)
		if (m->headers[i].field == f &&
		    strcmp(m->headers[i].text, m->fields[f].name) != 0)
			return m->headers[i].text;
	return NULL;
}

const char *
vet_mapping_word(const struct vet_mapping *m, size_t f, const char *code)
{
	const struct vet_map_field *fd = &m->fields[f];
	size_t i;

	for (i = 0; i < fd->nvalues; i++)
		if (strcmp(fd->values[i].code, code) == 0)
			return fd->values[i].raw;
	if (fd->type == VET_FT_BOOL)
		for (i = 0; i < m->nbooleans; i++)
			if (strcmp(m->booleans[i].code, code) == 0)
				return m->booleans[i].raw;
	return NULL;
}

const char *
vet_mapping_empty_list_word(void)
{
	return vet_schema_none_words[0];
}
