/*
 * test_mask.c - masking ids and phones (mask.h, SPEC 4).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/mask.h"

static void
assert_text(const char *in, const char *want)
{
	struct vet_buf b = VET_BUF_INIT;

	cr_assert_eq(vet_mask_text(&b, in, strlen(in)), 0);
	cr_assert_str_eq(vet_buf_str(&b), want, "'%s'", in);
	vet_buf_release(&b);
}

Test(mask, id)
{
	char out[64];

	cr_assert_str_eq(vet_mask_id("11010519900101123X", 18, out, sizeof out),
	    "110105********123X");
	cr_assert_str_eq(vet_mask_id("110105710101001", 15, out, sizeof out),
	    "110105*****1001");
	cr_assert_str_eq(vet_mask_id("12345678901", 11, out, sizeof out),
	    "123456*8901");
	cr_assert_str_eq(vet_mask_id("1234567890", 10, out, sizeof out),
	    "**********");
	cr_assert_str_eq(vet_mask_id("", 0, out, sizeof out), "");
	/* Counted in characters: full-width digits stay whole. */
	cr_assert_str_eq(vet_mask_id("\xef\xbc\x91\xef\xbc\x91" "0105199001011232",
	    22, out, sizeof out), "\xef\xbc\x91\xef\xbc\x91" "0105********1232");
}

Test(mask, id_small_buffer)
{
	char out[8];

	memset(out, 'z', sizeof out);
	vet_mask_id("11010519900101123X", 18, out, sizeof out);
	cr_assert_str_eq(out, "110105*");
	vet_mask_id("11010519900101123X", 18, out, 1);
	cr_assert_str_eq(out, "");
	out[0] = 'q';
	vet_mask_id("11010519900101123X", 18, out, 0);
	cr_assert_eq(out[0], 'q');
}

Test(mask, phone)
{
	char out[64];

	cr_assert_str_eq(vet_mask_phone("13812345678", 11, out, sizeof out),
	    "138****5678");
	cr_assert_str_eq(vet_mask_phone("010-12345678", 12, out, sizeof out),
	    "010*******78");
	cr_assert_str_eq(vet_mask_phone("23456789", 8, out, sizeof out),
	    "23*****9");
	cr_assert_str_eq(vet_mask_phone("12345", 5, out, sizeof out), "*****");
	/* Not a mobile: 11 digits not starting with 1. */
	cr_assert_str_eq(vet_mask_phone("23812345678", 11, out, sizeof out),
	    "238******78");
}

Test(mask, text)
{
	assert_text("bad check character in id 11010519900101123X",
	    "bad check character in id 110105********123X");
	assert_text("id 11010519900101123x.", "id 110105********123x.");
	assert_text("call 13812345678 now", "call 138****5678 now");
	assert_text("13812345678", "138****5678");
	assert_text("line 12: date 2023-12-26, 20231226, count 1234567890",
	    "line 12: date 2023-12-26, 20231226, count 1234567890");
	/* 11 digits not starting with '1' are left alone. */
	assert_text("23812345678", "23812345678");
	/* 12 digits are an id (a truncated one, perhaps). */
	assert_text("110105199001", "110105**9001");
	assert_text("", "");
	assert_text("无号码", "无号码");
	/* Full-width digits are masked too. */
	assert_text("\xef\xbc\x91\xef\xbc\x93\xef\xbc\x98" "12345678",
	    "\xef\xbc\x91\xef\xbc\x93\xef\xbc\x98" "****5678");
	/* Several in one message. */
	assert_text("110105199001011232 vs 110105199001011233 (13912345678)",
	    "110105********1232 vs 110105********1233 (139****5678)");
}

Test(mask, text_long_run_and_bad_bytes)
{
	struct vet_buf b = VET_BUF_INIT;
	char in[300];
	size_t i;

	memset(in, '9', sizeof in);
	cr_assert_eq(vet_mask_text(&b, in, sizeof in), 0);
	cr_assert_eq(b.len, sizeof in);
	for (i = 6; i < sizeof in - 4; i++)
		cr_assert_eq(b.data[i], '*');
	cr_assert_eq(memcmp(b.data, "999999", 6), 0);
	vet_buf_reset(&b);
	/* Invalid UTF-8 and NUL bytes pass through byte by byte. */
	cr_assert_eq(vet_mask_text(&b, "a\xff\0\xe5\xbc", 5), 0);
	cr_assert_eq(b.len, 5);
	cr_assert_eq(memcmp(b.data, "a\xff\0\xe5\xbc", 5), 0);
	vet_buf_release(&b);
}

Test(mask, text_grouped_ids_and_mobiles)
{
	assert_text("id '110105 19900101 123X' bad",
	    "id '110105 ******** 123X' bad");
	assert_text("id 110105-19900101-1234", "id 110105-********-1234");
	assert_text("legacy 110105 900101 123", "legacy 110105 *****1 123");
	assert_text("call 138-1234-5678.", "call 138-****-5678.");
	assert_text("call 138 1234 5678", "call 138 **** 5678");
	/* Dates and numbers of other lengths are not numbers of a
	 * person. */
	assert_text("2023-12-26 2024-01-01", "2023-12-26 2024-01-01");
	assert_text("238-1234-5678", "238-1234-5678");
	assert_text("138-1234-56789", "138-1234-56789");
}

Test(mask, text_any_grouping_that_forms_an_id_or_a_phone)
{
	assert_text("110111 1971 0122 6335", "110111 **** **** 6335");
	assert_text("id=110111_19710122_6335;", "id=110111_********_6335;");
	assert_text("tel 138 5973-8962", "tel 138 ****-8962");
	assert_text("185.9738.9629", "185.****.9629");
	assert_text("(185)97389629", "(185)****9629");
	assert_text("(185) 9738-9629", "(185) ****-9629");
	assert_text("+8618597389629", "+86185****9629");
	assert_text("+86 185 9738 9629", "+86 185 **** 9629");
	assert_text("11010519900101123x.", "110105********123x.");
	assert_text("110105 19900101 123X", "110105 ******** 123X");
	/* A date, a time or a count beside a number is not joined to it. */
	assert_text("2026-09-30 13859738962", "2026-09-30 138****8962");
	assert_text("12:30 185 9738 9629", "12:30 185 **** 9629");
	assert_text("line 12 138 5973 8962 ok", "line 12 138 **** 8962 ok");
	assert_text("2023-12-26 2024-01-01 10 000", "2023-12-26 2024-01-01 10 "
	    "000");
	/* Twelve digits in groups form neither. */
	assert_text("138-1234-56789", "138-1234-56789");
	assert_text("100 200 300 400", "100 200 300 400");
}
