/*
 * event.c - reading one event of the log (event.h) the way vet-intake
 * reads it, so that vet-audit and vet-classify count the same events: a
 * bad id or an unknown district is a rejected event, never an event that
 * silently joins no veteran or no district.
 */
#include <stdio.h>
#include <string.h>

#include "vet/event.h"
#include "vet/id.h"
#include "vet/policy.h"

static const char *const type_names[VET_EV_NTYPES] = {
	"contact", "consultation", "training", "job_fair", "referral", "exit",
	"reentry"
};

int
vet_event_type_parse(const char *s, size_t n)
{
	int t;

	for (t = 0; t < VET_EV_NTYPES; t++)
		if (strlen(type_names[t]) == n && memcmp(type_names[t], s,
		    n) == 0)
			return t;
	return -1;
}

const char *
vet_event_type_name(enum vet_event_type t)
{
	return t < VET_EV_NTYPES ? type_names[t] : "";
}

int
vet_event_type_has_id(enum vet_event_type t)
{
	return t != VET_EV_CONSULTATION && t != VET_EV_JOB_FAIR;
}

int
vet_event_reader_init(struct vet_event_reader *r, const struct vet_policy *p,
    struct vet_error *err)
{
	/* The mapping is built by the first event that names a district:
	 * 35k instructions that a run without --events does not need. */
	memset(r, 0, sizeof *r);
	r->p = p;
	(void)err;
	return 0;
}

void
vet_event_reader_release(struct vet_event_reader *r)
{
	if (r->mapped)
		vet_mapping_release(&r->map);
	vet_buf_release(&r->tmp);
	memset(r, 0, sizeof *r);
}

/* A string field: 1 and *out, 0 when absent, null or "", or VET_EDATA. */
static int
str_field(struct vet_event_reader *r, const struct vet_record *rec,
    const char *key, struct vet_span *out, struct vet_error *err)
{
	int rc = vet_record_str(rec, key, &r->tmp, out);

	if (rc == VET_ENOMEM)
		return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
	if (rc == VET_EDATA)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "field '%s' is not a string", key);
	return rc == 1 && out->n > 0;
}

/*
 * The district as the jurisdiction names it.  A station's alias maps as
 * at intake; the district must then be one of the policy's, or the event
 * would be counted for a district no veteran lives in.
 */
static int
read_district(struct vet_event_reader *r, struct vet_span s,
    struct vet_event *ev, struct vet_error *err)
{
	const char *code = NULL;

	if (!r->mapped) {
		if (vet_mapping_init(&r->map, VET_KIND_EVENT) < 0)
			return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
			    "out of memory");
		r->mapped = 1;
		r->f_district = vet_mapping_field(&r->map, "district");
	}
	if (r->f_district >= 0)
		code = vet_mapping_value(&r->map, (size_t)r->f_district, s.p,
		    s.n);
	if (code != NULL) {
		s.p = code;
		s.n = strlen(code);
	}
	/* The jurisdiction's aliases too (朝阳, 北京市朝阳区, 经开区), as at
	 * intake: an event counts for the district a veteran's record
	 * names, never for a spelling of it. */
	if ((code = vet_policy_district_name(r->p, s.p, s.n)) == NULL) {
		/* The message printer masks what looks like an id or a
		 * phone: a station may type anything into a column. */
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "unknown district '%.*s'", s.n > 60 ? 60 : (int)s.n,
		    s.p);
	}
	ev->district = code;
	ev->district_len = strlen(code);
	return 0;
}

int
vet_event_read(struct vet_event_reader *r, const struct vet_record *rec,
    struct vet_event *ev, struct vet_error *err)
{
	const struct vet_field *f;
	struct vet_span s;
	double hours;
	int rc, t;

	memset(ev, 0, sizeof *ev);
	ev->rec = rec;
	if ((rc = str_field(r, rec, "type", &s, err)) < 0)
		return rc;
	if (rc == 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "missing field 'type'");
	if ((t = vet_event_type_parse(s.p, s.n)) < 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "unknown event type '%.*s'", s.n > 40 ? 40 : (int)s.n,
		    s.p);
	ev->type = (enum vet_event_type)t;
	if ((rc = str_field(r, rec, "date", &s, err)) < 0) {
		if (rc == VET_EDATA)
			return vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "field 'date' is not a date YYYY-MM-DD");
		return rc;
	}
	if (rc == 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "missing field 'date'");
	if (vet_date_parse(s.p, s.n, &ev->date) != 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "field 'date' is not a date YYYY-MM-DD");

	if ((rc = str_field(r, rec, "id", &s, err)) < 0)
		return rc;
	if (rc == 0 && vet_event_type_has_id(ev->type))
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "missing field 'id'");
	if (rc == 1) {
		/* The birth date in an id is checked against no day here:
		 * an event's own date says nothing about it. */
		if (vet_id_normalize(s.p, s.n, INT32_MAX, ev->id, NULL,
		    err) < 0)
			return VET_EDATA;
	}

	if ((rc = str_field(r, rec, "district", &s, err)) < 0)
		return rc;
	if (rc == 0 && !vet_event_type_has_id(ev->type))
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "missing field 'district'");
	if (rc == 1 && (rc = read_district(r, s, ev, err)) < 0)
		return rc;

	if (ev->type == VET_EV_TRAINING) {
		f = vet_record_get(rec, "hours");
		if (f == NULL || f->type == VET_JSON_NULL)
			return vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "missing field 'hours'");
		if (f->type != VET_JSON_NUMBER ||
		    vet_json_number(f->val, &hours) != 0 || hours < 0)
			return vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "field 'hours' is not a number of hours");
	}
	return 0;
}
