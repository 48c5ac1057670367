/*
 * Unit tests for hash.c.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "vet/hash.h"

Test(hash, fnv1a_known_values)
{
	/* Reference values of 64-bit FNV-1a. */
	cr_assert_eq(vet_hash("", 0), 0xcbf29ce484222325ULL);
	cr_assert_eq(vet_hash("a", 1), 0xaf63dc4c8601ec8cULL);
	cr_assert_eq(vet_hash("foobar", 6), 0x85944171f73967e8ULL);
}

Test(hash, put_get_and_duplicates)
{
	struct vet_strmap m;
	size_t v = 99;

	vet_strmap_init(&m);
	cr_assert_eq(vet_strmap_get(&m, "x", 1, &v), 0);
	cr_assert_eq(vet_strmap_put(&m, "朝阳区", 9, 3, NULL), 1);
	cr_assert_eq(vet_strmap_put(&m, "朝阳区", 9, 7, &v), 0);
	cr_assert_eq(v, 3, "put keeps the first value");
	cr_assert_eq(vet_strmap_get(&m, "朝阳区", 9, &v), 1);
	cr_assert_eq(v, 3);
	cr_assert_eq(vet_strmap_set(&m, "朝阳区", 9, 8), 0);
	cr_assert_eq(vet_strmap_get(&m, "朝阳区", 9, &v), 1);
	cr_assert_eq(v, 8);
	cr_assert_eq(vet_strmap_put(&m, "", 0, 5, NULL), 1, "empty key");
	cr_assert_eq(vet_strmap_get(&m, "", 0, &v), 1);
	cr_assert_eq(v, 5);
	cr_assert_eq(vet_strmap_get(&m, "朝阳", 6, &v), 0, "a prefix");
	cr_assert_eq(vet_strmap_count(&m), 2);
	vet_strmap_release(&m);
}

Test(hash, grows_and_keeps_every_key)
{
	struct vet_strmap m;
	char k[32];
	size_t i, v;

	vet_strmap_init(&m);
	for (i = 0; i < 100000; i++) {
		snprintf(k, sizeof k, "11010519%010zu", i);
		cr_assert_eq(vet_strmap_put(&m, k, strlen(k), i, NULL), 1);
	}
	cr_assert_eq(vet_strmap_count(&m), 100000);
	for (i = 0; i < 100000; i += 7) {
		snprintf(k, sizeof k, "11010519%010zu", i);
		cr_assert_eq(vet_strmap_get(&m, k, strlen(k), &v), 1);
		cr_assert_eq(v, i);
	}
	cr_assert_eq(vet_strmap_get(&m, "nope", 4, &v), 0);
	vet_strmap_release(&m);
}
