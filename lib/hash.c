/*
 * hash.c - FNV-1a and an open-addressing string map (hash.h).
 */
#include <stdlib.h>
#include <string.h>

#include "vet/error.h"
#include "vet/hash.h"

uint64_t
vet_hash(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 14695981039346656037ULL;

	while (n-- > 0) {
		h ^= *s++;
		h *= 1099511628211ULL;
	}
	return h;
}

void
vet_strmap_init(struct vet_strmap *m)
{
	memset(m, 0, sizeof *m);
}

void
vet_strmap_release(struct vet_strmap *m)
{
	free(m->slots);
	free(m->keys);
	vet_strmap_init(m);
}

size_t
vet_strmap_count(const struct vet_strmap *m)
{
	return m->count;
}

/* The slot of key, or of the empty place where it would go. */
static struct vet_strmap_slot *
find(const struct vet_strmap *m, const char *k, size_t n, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);
	struct vet_strmap_slot *s;

	for (;;) {
		s = &m->slots[i];
		if (s->koff == 0)
			return s;
		if (s->hash == h && s->klen == n &&
		    memcmp(m->keys + s->koff, k, n) == 0)
			return s;
		i = (i + 1) & (m->cap - 1);
	}
}

static int
grow(struct vet_strmap *m)
{
	struct vet_strmap_slot *old = m->slots, *s;
	size_t oldcap = m->cap, i, cap = m->cap ? m->cap * 2 : 64;

	if ((m->slots = calloc(cap, sizeof *m->slots)) == NULL) {
		m->slots = old;
		return VET_ENOMEM;
	}
	m->cap = cap;
	for (i = 0; i < oldcap; i++) {
		if (old[i].koff == 0)
			continue;
		s = find(m, m->keys + old[i].koff, old[i].klen, old[i].hash);
		*s = old[i];
	}
	free(old);
	return 0;
}

static int
add_key(struct vet_strmap *m, const char *k, size_t n, size_t *off)
{
	size_t need = m->klen + n + 1, cap;
	char *p;

	if (m->klen == 0)
		need++;		/* offset 0 marks an empty slot */
	if (need > m->kcap) {
		cap = m->kcap ? m->kcap : 1024;
		while (cap < need)
			cap *= 2;
		if ((p = realloc(m->keys, cap)) == NULL)
			return VET_ENOMEM;
		m->keys = p;
		m->kcap = cap;
	}
	if (m->klen == 0)
		m->klen = 1;
	*off = m->klen;
	memcpy(m->keys + m->klen, k, n);
	m->keys[m->klen + n] = '\0';
	m->klen += n + 1;
	return 0;
}

int
vet_strmap_put(struct vet_strmap *m, const char *k, size_t n, size_t val,
    size_t *old)
{
	struct vet_strmap_slot *s;
	uint64_t h = vet_hash(k, n);
	size_t off;

	/* Keep the load under 3/4 so probes stay short. */
	if ((m->count + 1) * 4 > m->cap * 3 && grow(m) < 0)
		return VET_ENOMEM;
	s = find(m, k, n, h);
	if (s->koff != 0) {
		if (old != NULL)
			*old = s->val;
		return 0;
	}
	if (add_key(m, k, n, &off) < 0)
		return VET_ENOMEM;
	s->hash = h;
	s->koff = off;
	s->klen = n;
	s->val = val;
	m->count++;
	return 1;
}

int
vet_strmap_set(struct vet_strmap *m, const char *k, size_t n, size_t val)
{
	struct vet_strmap_slot *s;
	int r;

	if ((r = vet_strmap_put(m, k, n, val, NULL)) != 0)
		return r < 0 ? r : 0;
	s = find(m, k, n, vet_hash(k, n));
	s->val = val;
	return 0;
}

int
vet_strmap_get(const struct vet_strmap *m, const char *k, size_t n,
    size_t *val)
{
	struct vet_strmap_slot *s;

	if (m->cap == 0)
		return 0;
	s = find(m, k, n, vet_hash(k, n));
	if (s->koff == 0)
		return 0;
	*val = s->val;
	return 1;
}
