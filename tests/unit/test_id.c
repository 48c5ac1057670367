/*
 * test_id.c - GB 11643 identity numbers (id.h).
 *
 * The check characters below were worked out by hand from the MOD 11-2
 * weights (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, remainder -> "10X98765432").
 */
#include <criterion/criterion.h>
#include <string.h>

#include "vet/date.h"
#include "vet/error.h"
#include "vet/id.h"

static vet_day
today(void)
{
	vet_day d;

	cr_assert_eq(vet_date_from_ymd(2026, 9, 30, &d), 0);
	return d;
}

static void
assert_ok(const char *raw, const char *want)
{
	char out[19];
	enum vet_id_fault f = VET_ID_EMPTY;
	struct vet_error e;

	vet_error_clear(&e);
	cr_assert_eq(vet_id_normalize(raw, strlen(raw), today(), out, &f, &e),
	    0, "'%s': %s", raw, e.msg);
	cr_assert_eq(f, VET_ID_OK);
	cr_assert_str_eq(out, want, "'%s'", raw);
}

static struct vet_error
assert_fault(const char *raw, size_t n, enum vet_id_fault want)
{
	char out[19];
	enum vet_id_fault f = VET_ID_OK;
	struct vet_error e;

	vet_error_clear(&e);
	cr_assert_eq(vet_id_normalize(raw, n, today(), out, &f, &e),
	    VET_EDATA, "'%s' accepted", raw);
	cr_assert_eq(f, want, "'%s': fault %d, want %d (%s)", raw, f, want,
	    e.msg);
	cr_assert_eq(e.status, VET_EDATA);
	/* The message never holds the whole id. */
	cr_assert(strstr(e.msg, "1990010112") == NULL, "%s", e.msg);
	return e;
}

Test(id, check_char)
{
	/* The example of GB 11643-1999 itself. */
	cr_assert_eq(vet_id_check_char("11010519491231002"), 'X');
	cr_assert_eq(vet_id_check_char("44052418800101001"), '4');
	cr_assert_eq(vet_id_check_char("11010519900101123"), '2');
	/* Sum 0: remainder 0 gives '1'. */
	cr_assert_eq(vet_id_check_char("00000000000000000"), '1');
	/* 1 * 7 = 7: remainder 7 gives '5'. */
	cr_assert_eq(vet_id_check_char("10000000000000000"), '5');
	/* 1 * 2 = 2: remainder 2 gives 'X'. */
	cr_assert_eq(vet_id_check_char("00000000000000001"), 'X');
}

Test(id, valid)
{
	cr_assert(vet_id_valid("11010519491231002X", 18));
	cr_assert(vet_id_valid("440524188001010014", 18));
	cr_assert(vet_id_valid("110105199001011232", 18));
	cr_assert(!vet_id_valid("110105199001011233", 18));
	cr_assert(!vet_id_valid("11010519491231002x", 18));
	cr_assert(!vet_id_valid("11010519491231002X", 17));
	cr_assert(!vet_id_valid("110105199002301232", 18));
	cr_assert(!vet_id_valid("1101051990010112X2", 18));
}

Test(id, sex_and_birth)
{
	vet_day b, want;

	cr_assert_eq(vet_id_sex("110105199001011232"), 'M');	/* 3 */
	cr_assert_eq(vet_id_sex("11010519491231002X"), 'F');	/* 2 */
	cr_assert_eq(vet_id_birth("11010519491231002X", &b), 0);
	cr_assert_eq(vet_date_from_ymd(1949, 12, 31, &want), 0);
	cr_assert_eq(b, want);
	cr_assert_eq(vet_id_birth("110105199013011232", &b), VET_EDATA);
	cr_assert_eq(vet_id_birth("110105179901011232", &b), VET_EDATA);
}

Test(id, normalize_plain_and_lower_x)
{
	assert_ok("110105199001011232", "110105199001011232");
	assert_ok("11010519491231002X", "11010519491231002X");
	assert_ok("11010519491231002x", "11010519491231002X");
	assert_ok("440524188001010014", "440524188001010014");
}

Test(id, normalize_spaces)
{
	assert_ok("  110105199001011232 ", "110105199001011232");
	assert_ok("\t110105199001011232\r\n", "110105199001011232");
	assert_ok("\xe3\x80\x80" "110105199001011232" "\xe3\x80\x80",
	    "110105199001011232");
	assert_ok("110105 19900101 1232", "110105199001011232");
	assert_ok("\xc2\xa0" "110105199001011232", "110105199001011232");
}

Test(id, normalize_full_width)
{
	/* １１０１０５１９９００１０１１２３２ */
	assert_ok("\xef\xbc\x91\xef\xbc\x91\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90"
	    "\xef\xbc\x95\xef\xbc\x91\xef\xbc\x99\xef\xbc\x99\xef\xbc\x90"
	    "\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90\xef\xbc\x91\xef\xbc\x91"
	    "\xef\xbc\x92\xef\xbc\x93\xef\xbc\x92", "110105199001011232");
	/* Mixed, with full-width 'Ｘ' and 'ｘ'. */
	assert_ok("1101051949123100\xef\xbc\x92\xef\xbc\xb8",
	    "11010519491231002X");
	assert_ok("11010519491231002\xef\xbd\x98", "11010519491231002X");
}

Test(id, upgrade_15)
{
	/* 110105 710101 001 -> 110105 19710101 001 + check '9'. */
	assert_ok("110105710101001", "110105197101010019");
	assert_ok(" 110105710101001 ", "110105197101010019");
}

Test(id, empty)
{
	assert_fault("", 0, VET_ID_EMPTY);
	assert_fault("   ", 3, VET_ID_EMPTY);
	assert_fault("\xe3\x80\x80", 3, VET_ID_EMPTY);
}

Test(id, scientific)
{
	struct vet_error e;

	e = assert_fault("1.10105E+17", 11, VET_ID_SCIENTIFIC);
	cr_assert_str_eq(e.msg, "id was turned into a number by a spreadsheet "
	    "('1.10105E+17')");
	assert_fault("1.10105e+17", 11, VET_ID_SCIENTIFIC);
	assert_fault("1.10105199001011E+17", 20, VET_ID_SCIENTIFIC);
	assert_fault("1.1E17", 6, VET_ID_SCIENTIFIC);
	assert_fault(" 1.10105E+17 ", 13, VET_ID_SCIENTIFIC);
	e = assert_fault("110105199001011232.0", 20, VET_ID_SCIENTIFIC);
	cr_assert_str_eq(e.msg, "id was turned into a number by a spreadsheet "
	    "('110105********1232.0')", "the float form holds the whole id");
	/* fuzz_id: a point inside the mantissa does not hide a phone's 11
	 * digits from the mask. */
	e = assert_fault("1.4111019005E+4", 15, VET_ID_SCIENTIFIC);
	cr_assert_str_eq(e.msg, "id was turned into a number by a spreadsheet "
	    "('1.41110*****E+4')");
	/* ... also when the exponent is itself a phone. */
	e = assert_fault("14.111141395E14139509148", 24, VET_ID_SCIENTIFIC);
	cr_assert_str_eq(e.msg, "id was turned into a number by a spreadsheet "
	    "('14.1111*****E141****9148')");
	e = assert_fault("3.30102e+17", 11, VET_ID_SCIENTIFIC);
	cr_assert_str_eq(e.msg, "id was turned into a number by a spreadsheet "
	    "('3.30102e+17')", "the message quotes the value seen");
	assert_fault("110105199001011232.00", 21, VET_ID_SCIENTIFIC);
	/* Not numbers a spreadsheet writes: other faults. */
	assert_fault("110105199001011232.5", 20, VET_ID_CHARS);
	assert_fault("1.10105E+", 9, VET_ID_CHARS);
	assert_fault("1234.0", 6, VET_ID_CHARS);
}

Test(id, length)
{
	struct vet_error e;

	e = assert_fault("11010519900101123", 17, VET_ID_LENGTH);
	cr_assert_str_eq(e.msg,
	    "id must have 18 characters (or 15 digits), not 17");
	e = assert_fault("1101051990010112322", 19, VET_ID_LENGTH);
	cr_assert_str_eq(e.msg,
	    "id must have 18 characters (or 15 digits), not 19");
	assert_fault("1101051990010112X", 17, VET_ID_LENGTH);
	e = assert_fault("1234567890123456789012345678901234567890123456789012"
	    "34567890123456789012345678901234567890", 90, VET_ID_LENGTH);
	cr_assert_str_eq(e.msg,
	    "id must have 18 characters (or 15 digits), not 90");
	/* Full-width characters count once each. */
	e = assert_fault("\xef\xbc\x91\xef\xbc\x91", 6, VET_ID_LENGTH);
	cr_assert_str_eq(e.msg,
	    "id must have 18 characters (or 15 digits), not 2");
}

Test(id, chars)
{
	struct vet_error e;

	e = assert_fault("1101051990X1011232", 18, VET_ID_CHARS);
	cr_assert_str_eq(e.msg,
	    "id has a character that is not a digit or a final 'X'");
	assert_fault("11010519900101123Y", 18, VET_ID_CHARS);
	assert_fault("\xe5\xbc\xa0\xe4\xb8\x89", 6, VET_ID_CHARS);	/* 张三 */
	assert_fault("11010571010100X", 15, VET_ID_CHARS);
	assert_fault("11010519900101\0" "232", 18, VET_ID_CHARS);
	assert_fault("110105199001011\xff\xfe", 17, VET_ID_CHARS);
	assert_fault("11010519900101123\xef\xbc", 19, VET_ID_CHARS);
	assert_fault("-110105199001011232", 19, VET_ID_CHARS);
}

Test(id, birth)
{
	struct vet_error e;

	/* 1990-02-30, check character computed for it ('2' wrong, any). */
	e = assert_fault("110105199002301234", 18, VET_ID_BIRTH);
	cr_assert_str_eq(e.msg, "impossible birth date in id");
	assert_fault("110105199013011232", 18, VET_ID_BIRTH);
	assert_fault("110105199000011232", 18, VET_ID_BIRTH);
	assert_fault("110105190002291232", 18, VET_ID_BIRTH);	/* 1900 */
	assert_fault("110105000001011232", 18, VET_ID_BIRTH);
	assert_fault("110105711301001", 15, VET_ID_BIRTH);
	/* 2000-02-29 is real: 11010520000229001 + '3'. */
	assert_ok("110105200002290013", "110105200002290013");
}

Test(id, future)
{
	struct vet_error e;
	char out[19];
	vet_day t;

	/* 2026-10-01 is after today (2026-09-30). */
	e = assert_fault("110105202610010000", 18, VET_ID_FUTURE);
	cr_assert_str_eq(e.msg, "birth date in id is in the future");
	/* Born on `today` itself is not in the future: 11010520260930001 + '0'. */
	cr_assert_eq(vet_date_from_ymd(2026, 9, 30, &t), 0);
	cr_assert_eq(vet_id_normalize("110105202609300010", 18, t, out, NULL,
	    NULL), 0);
	cr_assert_str_eq(out, "110105202609300010");
	cr_assert_eq(vet_id_normalize("110105202609300010", 18, t - 1, out,
	    NULL, NULL), VET_EDATA);
}

Test(id, check)
{
	struct vet_error e;

	e = assert_fault("110105199001011233", 18, VET_ID_CHECK);
	cr_assert_str_eq(e.msg, "bad check character in id '110105********1233'");
	e = assert_fault("110105199001011231", 18, VET_ID_CHECK);
	cr_assert_str_eq(e.msg, "bad check character in id '110105********1231'");
	e = assert_fault("11010519491231002 9", 19, VET_ID_CHECK);
	cr_assert_str_eq(e.msg, "bad check character in id '110105********0029'");
	/* A transposition of two digits is caught. */
	assert_fault("110105199010011232", 18, VET_ID_CHECK);
}

Test(id, null_fault_and_error)
{
	char out[19];

	cr_assert_eq(vet_id_normalize("x", 1, today(), out, NULL, NULL),
	    VET_EDATA);
	cr_assert_eq(vet_id_normalize("110105199001011232", 18, today(), out,
	    NULL, NULL), 0);
}

Test(id, strerror)
{
	cr_assert_str_eq(vet_id_strerror(VET_ID_EMPTY), "id is empty");
	cr_assert_str_eq(vet_id_strerror(VET_ID_BIRTH),
	    "impossible birth date in id");
	cr_assert(strlen(vet_id_strerror(VET_ID_CHECK)) > 0);
}
