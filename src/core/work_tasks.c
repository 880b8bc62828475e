/*
 * work_tasks.c - the generated tasks: the work items that follow other
 * records' due dates (core/work.h), listed by the tasks list after the
 * tasks made by hand (record_kind.list_extra of kind_task.c), and refused
 * a change through it, since each is done by completing its source.
 *
 * A generated task's reference is its source's reference and the due
 * field, joined by a dot ("DOC-3.review_date"): stable while the
 * obligation stands, and never the reference of a task made by hand.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/record_private.h"
#include "core/work.h"
#include "store/db.h"
#include "store/sqlb.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

#define WTASK_REF_SEP		'.'
#define WTASK_CURSOR_MAX	800	/* bytes of an encoded cursor */
#define WTASK_WORDS_MAX		16	/* search words checked against the title */
#define WTASK_WORD_MAX		64	/* bytes of one search word */

/* The sort orders the items have: the work_items column and its direction. */
struct wtask_order {
	const char	*column;
	bool		 desc;
};

/*
 * The items' own order for q's sort: by due, title, owner or reference
 * where the sort names one, else by due date, nearest first (updated_at
 * and the like are the records', which the items do not have).
 */
static struct wtask_order
wtask_order(const char *sort)
{
	static const char *const cols[] = { "due", "title", "owner", NULL };
	struct wtask_order o = { "due", false };
	const char *name;
	int i;

	if (sort == NULL || *sort == '\0')
		return o;
	name = sort + (sort[0] == '-' || sort[0] == '+');
	if (strcmp(name, "ref") == 0) {
		o.column = "ref";
		o.desc = sort[0] == '-';
		return o;
	}
	for (i = 0; cols[i] != NULL; i++)
		if (strcmp(cols[i], name) == 0) {
			o.column = cols[i];
			o.desc = sort[0] == '-';
		}
	return o;
}

/*
 * The WHERE clause of q's filters and search over work_items: the org's
 * items of other kinds than k (k's own records are listed as records).
 * false when a filter can match no item (a field they lack, status other
 * than open).
 */
static bool
wtask_where(struct sqlb *s, int64_t org_id, const struct record_kind *k,
    const struct record_query *q)
{
	const char *name, *value, *w, *end;
	char word[WTASK_WORD_MAX + 1];
	size_t n;
	int i, nwords = 0;

	buf_puts(&s->sql, " FROM work_items WHERE org_id = ? AND kind <> ?");
	sqlb_bind_int(s, org_id);
	sqlb_bind_text(s, k->name);
	for (i = 0; i < q->nfilters; i++) {
		name = q->filter_names[i];
		value = q->filter_values[i] != NULL ? q->filter_values[i] : "";
		if (strcmp(name, "owner") == 0)
			sqlb_text(s, " AND owner = ?", value);
		else if (strcmp(name, "due") == 0)
			sqlb_text(s, " AND due = ?", value);
		else if (strcmp(name, "source") == 0)
			sqlb_text(s, " AND source = ?", value);
		else if (strcmp(name, "status") != 0 || strcmp(value, "open") != 0)
			return false;
	}
	/* Each word of the search in the title, as the records' search needs each. */
	for (w = q->q; w != NULL && *w != '\0' && nwords < WTASK_WORDS_MAX; w = end) {
		w += strspn(w, " \t\r\n");
		end = w + strcspn(w, " \t\r\n");
		if ((n = (size_t)(end - w)) == 0)
			break;
		if (n > WTASK_WORD_MAX)
			n = WTASK_WORD_MAX;
		memcpy(word, w, n);
		word[n] = '\0';
		sqlb_text(s, " AND instr(lower(title), lower(?)) > 0", word);
		nwords++;
	}
	return true;
}

char *
work_task_cursor_encode(const char *key, const char *kind, int64_t num, const char *field)
{
	json_t *a = json_pack("[s, s, I, s]", key, kind, (json_int_t)num, field);
	char *s = json_dumps(a, JSON_COMPACT), *out;
	size_t n = strlen(s), len = sodium_base64_encoded_len(n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);

	out = xmalloc(len);
	sodium_bin2base64(out, len, (const unsigned char *)s, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	free(s);
	json_decref(a);
	return out;
}

int
work_task_cursor_parse(json_t **out, const char *cursor)
{
	unsigned char raw[WTASK_CURSOR_MAX];
	const char *key, *kind, *field;
	json_int_t num;
	size_t n = 0;
	json_t *a = NULL;

	*out = NULL;
	if (strlen(cursor) >= WTASK_CURSOR_MAX || sodium_base642bin(raw, sizeof(raw) - 1,
	    cursor, strlen(cursor), NULL, &n, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    (a = json_loadb((const char *)raw, n, 0, NULL)) == NULL ||
	    json_unpack(a, "[s, s, I, s!]", &key, &kind, &num, &field) != 0) {
		json_decref(a);
		return aims_error_set(AIMS_EINVALID, "cursor",
		    "the cursor is not valid here: start again from the first page");
	}
	*out = a;
	return 0;
}

/* The cursor's keys bound after the order's comparison; AIMS_EINVALID when bad. */
static int
wtask_cursor_bind(struct sqlb *s, const struct wtask_order *o, const char *cursor)
{
	json_t *a;
	int rc;

	if ((rc = work_task_cursor_parse(&a, cursor)) != 0)
		return rc;
	buf_printf(&s->sql, " AND (%s, kind, num, field) %s (?, ?, ?, ?)", o->column,
	    o->desc ? "<" : ">");
	sqlb_bind_text(s, json_string_value(json_array_get(a, 0)));
	sqlb_bind_text(s, json_string_value(json_array_get(a, 1)));
	sqlb_bind_int(s, json_integer_value(json_array_get(a, 2)));
	sqlb_bind_text(s, json_string_value(json_array_get(a, 3)));
	json_decref(a);
	return 0;
}

static json_t *
wtask_item(struct db_stmt *st)
{
	const char *owner = db_column_text(st, 3);
	struct buf ref = BUF_INIT;
	json_t *o;

	buf_printf(&ref, "%s%c%s", db_column_text(st, 5), WTASK_REF_SEP,
	    db_column_text(st, 7));
	o = json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "ref", buf_str(&ref), "title", db_column_text(st, 2),
	    "owner", owner != NULL && *owner != '\0' ? owner : NULL,
	    "due", db_column_text(st, 4), "status", "open",
	    "source", db_column_text(st, 5), "source_kind", db_column_text(st, 0),
	    "field", db_column_text(st, 7), "what", db_column_text(st, 8));
	buf_free(&ref);
	return o;
}

static int
wtask_list(json_t *items, char **next, int64_t *total, struct db *db, int64_t org_id,
    const struct record_kind *k, const struct record_query *q, const char *cursor,
    int limit)
{
	struct wtask_order o = wtask_order(q->sort);
	struct db_stmt *st = NULL;
	struct sqlb s;
	int rc = 0, n = 0;
	bool any;

	*next = NULL;
	if (total != NULL)
		*total = 0;
	memset(&s, 0, sizeof(s));
	if (total != NULL) {
		if (q->nfilters == 0 && (q->q == NULL || *q->q == '\0')) {
			/* All of them: the kept counts answer (106_work_item_counts.sql). */
			buf_puts(&s.sql, "SELECT coalesce(sum(n), 0) FROM work_item_counts "
			    "WHERE org_id = ? AND kind <> ?");
			sqlb_bind_int(&s, org_id);
			sqlb_bind_text(&s, k->name);
		} else {
			buf_puts(&s.sql, "SELECT count(*)");
			if (!wtask_where(&s, org_id, k, q))
				goto done;
		}
		if ((rc = sqlb_prepare(&st, db, &s)) == 0 && (rc = db_step(st)) == DB_ROW)
			*total = db_column_int64(st, 0);
		db_done(st);
		st = NULL;
		sqlb_free(&s);
		memset(&s, 0, sizeof(s));
		if (rc < 0)
			goto done;
		rc = 0;
	}
	if (limit <= 0)
		goto done;
	/* The sort key comes first, so a cursor is the last row's columns 1, 0, 6, 7. */
	buf_printf(&s.sql, "SELECT kind, %s, title, owner, due, ref, num, field, what", o.column);
	if (!(any = wtask_where(&s, org_id, k, q)))
		goto done;
	if (cursor != NULL && *cursor != '\0' && (rc = wtask_cursor_bind(&s, &o, cursor)) != 0)
		goto done;
	buf_printf(&s.sql, " ORDER BY %s %s, kind %s, num %s, field %s LIMIT ?", o.column,
	    o.desc ? "DESC" : "ASC", o.desc ? "DESC" : "ASC", o.desc ? "DESC" : "ASC",
	    o.desc ? "DESC" : "ASC");
	sqlb_bind_int(&s, limit + 1);
	if ((rc = sqlb_prepare(&st, db, &s)) != 0)
		goto done;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == limit)
			break;
		json_array_append_new(items, wtask_item(st));
		n++;
		if (n == limit) {
			free(*next);
			*next = work_task_cursor_encode(db_column_text(st, 1), db_column_text(st, 0),
			    db_column_int64(st, 6), db_column_text(st, 7));
		}
	}
	if (rc == DB_DONE) {
		/* The last row was the page's last: nothing follows it. */
		free(*next);
		*next = NULL;
	}
	rc = rc < 0 ? rc : 0;
done:
	db_done(st);
	sqlb_free(&s);
	if (rc != 0) {
		free(*next);
		*next = NULL;
	}
	return rc;
}

static int
wtask_refuse(struct db *db, int64_t org_id, const struct record_kind *k, const char *ref)
{
	const struct record_kind *sk;
	const char *dot = strrchr(ref, WTASK_REF_SEP);
	struct db_stmt *st = NULL;
	char *source;
	int rc;

	if (dot == NULL || dot == ref || dot[1] == '\0')
		return 0;
	source = xstrdup(ref);
	source[dot - ref] = '\0';
	if ((rc = db_prepare(&st, db, "SELECT kind, what FROM work_items "
	    "WHERE org_id = ? AND ref = ? AND field = ? AND kind <> ?")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, source);
	db_bind_text(st, 3, dot + 1);
	db_bind_text(st, 4, k->name);
	if ((rc = db_step(st)) == DB_ROW) {
		sk = record_kind_find(db_column_text(st, 0));
		rc = aims_error_set(AIMS_ECONFLICT, "ref",
		    "%s %s follows %s %s (its %s): it cannot be changed or deleted as a %s; "
		    "it is done by completing %s", k->singular, ref,
		    sk != NULL ? sk->singular : db_column_text(st, 0), source,
		    db_column_text(st, 1), k->singular, source);
	} else
		rc = rc < 0 ? rc : 0;
done:
	db_done(st);
	free(source);
	return rc;
}

static json_t *
wtask_schema(void)
{
	return json_pack("{s:s, s:s, s:s, s:{"
	    "s:{s:s, s:b, s:s}, s:{s:s, s:b}, s:{s:[s, s], s:b}, s:{s:s, s:s, s:b}, "
	    "s:{s:s, s:[s], s:b}, s:{s:s, s:b, s:s}, s:{s:s, s:b}, s:{s:s, s:b}, "
	    "s:{s:s, s:b}, s:{s:s, s:[b], s:b}}, "
	    "s:[s, s, s, s, s, s, s, s, s, s], s:b}",
	    "title", "generated task",
	    "description", "a work item that follows a record's due date, listed with the "
	    "tasks; done by completing its source",
	    "type", "object", "properties",
	    "ref", "type", "string", "readOnly", 1, "description",
	    "the source's reference and the due field, joined by a dot",
	    "title", "type", "string", "readOnly", 1,
	    "owner", "type", "string", "null", "readOnly", 1,
	    "due", "type", "string", "format", "date", "readOnly", 1,
	    "status", "type", "string", "enum", "open", "readOnly", 1,
	    "source", "type", "string", "readOnly", 1, "description",
	    "the reference of the record it follows",
	    "source_kind", "type", "string", "readOnly", 1,
	    "field", "type", "string", "readOnly", 1,
	    "what", "type", "string", "readOnly", 1,
	    "generated", "type", "boolean", "enum", 1, "readOnly", 1,
	    "required", "ref", "title", "owner", "due", "status", "source", "source_kind",
	    "field", "what", "generated", "additionalProperties", 0);
}

const struct record_list_extra work_task_extra = {
	.list = wtask_list,
	.refuse = wtask_refuse,
	.schema = wtask_schema,
};
