/*
 * hash.h - hashing of byte strings, and a map from byte strings to
 * integers for the joins and indexes the tools build (ids, districts, keys).
 *
 * Ownership: a struct vet_strmap copies every key put into it into storage
 * it owns; vet_strmap_release() frees it all.  Values are plain integers
 * (an index into the caller's own array, usually).  Nothing is removed
 * from a map: the tools build an index once and then read it.
 */
#ifndef VET_HASH_H
#define VET_HASH_H

#include <stddef.h>
#include <stdint.h>

/* 64-bit FNV-1a of [p, p + n): small, fast on short keys, stable. */
uint64_t vet_hash(const void *p, size_t n);

struct vet_strmap_slot {
	uint64_t hash;
	size_t koff;		/* key bytes in the arena; 0 marks empty */
	size_t klen;
	size_t val;
};

struct vet_strmap {
	struct vet_strmap_slot *slots;
	size_t cap;		/* a power of two, or 0 */
	size_t count;
	char *keys;		/* arena of keys; offset 0 is unused */
	size_t klen, kcap;
};

void vet_strmap_init(struct vet_strmap *m);
void vet_strmap_release(struct vet_strmap *m);

/*
 * Puts key [k, k + n) with value val unless it is already there.  Returns 1
 * when it was added, 0 when the key was present (then *old, if not NULL,
 * gets its value, which is left unchanged), or VET_ENOMEM.
 */
int vet_strmap_put(struct vet_strmap *m, const char *k, size_t n, size_t val,
    size_t *old);

/* Sets the value of a key that is present, or adds it.  0 or VET_ENOMEM. */
int vet_strmap_set(struct vet_strmap *m, const char *k, size_t n, size_t val);

/* 1 and *val when key is present, else 0. */
int vet_strmap_get(const struct vet_strmap *m, const char *k, size_t n,
    size_t *val);

size_t vet_strmap_count(const struct vet_strmap *m);

#endif
