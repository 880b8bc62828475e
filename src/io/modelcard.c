/*
 * modelcard.c - Hugging Face model cards into an AI system's records
 * (io/modelcard.h). The front matter is YAML, read with libyaml's event
 * parser into a jansson tree: YAML is too large a language to read by
 * hand safely, and libyaml is the C parser Debian and the YAML bindings of
 * most languages rely on. Only the subset a card uses is taken (mappings,
 * sequences and text scalars, a bounded number of aliases), so a card
 * cannot make the reader build an unbounded tree.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "core/bom.h"
#include "io/modelcard.h"
#include "util/buf.h"
#include "util/embed.h"
#include "util/error.h"
#include "util/mem.h"

#define MC_STRING_MAX	500	/* a one-line field of a record (record engine's limit) */
#define MC_SLICE_MAX	MC_STRING_MAX
#define MC_KEY_MAX	100	/* a key of the front matter; the Hub's are short words */
#define MC_LIMITS_MAX	20	/* limitations taken from the card's text */
#define MC_TITLE_MAX	120	/* of a section heading, as far as it is looked at */

/* ---------------------------------------------------------------- YAML */

struct mc_anchor {
	char	*name;
	json_t	*node;
	long	 nodes;		/* nodes in it, counted again at each alias */
};

struct mc_yaml {
	yaml_parser_t		 parser;
	size_t			 line0;		/* the file's line of the YAML's first */
	long			 nodes;
	int			 aliases;
	struct mc_anchor	 anchors[MODELCARD_ALIASES_MAX];
	int			 nanchors;
};

/* The YAML core schema's tags: a card has no need of any other. */
static const char *const mc_tags[] = {
	"tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
	"tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:seq",
	"tag:yaml.org,2002:map", "!", NULL,
};

static int
mc_error(const struct mc_yaml *y, const yaml_mark_t *mark, const char *path, const char *what)
{
	return aims_error_set(AIMS_EINVALID, path, "%s: %s (line %zu, column %zu)", path, what,
	    y->line0 + mark->line, mark->column + 1);
}

static int
mc_next(struct mc_yaml *y, yaml_event_t *ev, const char *path)
{
	char what[160];

	if (yaml_parser_parse(&y->parser, ev))
		return 0;
	snprintf(what, sizeof(what), "not YAML: %s%s%s", y->parser.problem ?
	    y->parser.problem : "unreadable", y->parser.context ? " " : "",
	    y->parser.context ? y->parser.context : "");
	return mc_error(y, &y->parser.problem_mark, path, what);
}

static bool
mc_tag_known(const yaml_char_t *tag)
{
	int i;

	if (tag == NULL)
		return true;
	for (i = 0; mc_tags[i]; i++)
		if (strcmp((const char *)tag, mc_tags[i]) == 0)
			return true;
	return false;
}

/*
 * Writes a path named by errors; a path longer than MODELCARD_PATH_MAX is
 * cut, which still names where the fault is.
 */
static void mc_path(char out[MODELCARD_PATH_MAX], const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
mc_path(char out[MODELCARD_PATH_MAX], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, MODELCARD_PATH_MAX, fmt, ap);
	va_end(ap);
}

static int mc_node(json_t **out, struct mc_yaml *y, yaml_event_t *ev, const char *path,
    int depth);

static int
mc_scalar(json_t **out, struct mc_yaml *y, const yaml_event_t *ev, const char *path)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;

	*out = NULL;
	if (ev->data.scalar.plain_implicit && (n == 0 || (n == 1 && v[0] == '~') ||
	    (n == 4 && (memcmp(v, "null", 4) == 0 || memcmp(v, "Null", 4) == 0 ||
	    memcmp(v, "NULL", 4) == 0)))) {
		*out = json_null();
		return 0;
	}
	/* libyaml has checked the encoding, but "\0" writes a NUL no record may hold. */
	if (memchr(v, '\0', n) != NULL || (*out = json_stringn(v, n)) == NULL)
		return mc_error(y, &ev->start_mark, path, "a text holds a NUL character");
	return 0;
}

static int
mc_sequence(json_t **out, struct mc_yaml *y, const char *path, int depth)
{
	char sub[MODELCARD_PATH_MAX];
	yaml_event_t ev;
	json_t *arr = json_array(), *v;
	int rc;

	*out = NULL;
	for (;;) {
		mc_path(sub, "%s[%zu]", path, json_array_size(arr));
		if ((rc = mc_next(y, &ev, sub)) != 0)
			break;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			*out = arr;
			return 0;
		}
		rc = mc_node(&v, y, &ev, sub, depth + 1);
		yaml_event_delete(&ev);
		if (rc != 0)
			break;
		json_array_append_new(arr, v);
	}
	json_decref(arr);
	return rc;
}

static int
mc_mapping(json_t **out, struct mc_yaml *y, const char *path, int depth)
{
	char sub[MODELCARD_PATH_MAX], key[MODELCARD_PATH_MAX];
	yaml_event_t ev;
	json_t *obj = json_object(), *v;
	int rc;

	*out = NULL;
	for (;;) {
		if ((rc = mc_next(y, &ev, path)) != 0)
			break;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			*out = obj;
			return 0;
		}
		if (ev.type != YAML_SCALAR_EVENT || ev.data.scalar.length > MC_KEY_MAX ||
		    memchr(ev.data.scalar.value, '\0', ev.data.scalar.length) != NULL) {
			snprintf(key, sizeof(key), "a key is a text of at most %d characters; "
			    "other keys are not read", MC_KEY_MAX);
			rc = mc_error(y, &ev.start_mark, path, key);
			yaml_event_delete(&ev);
			break;
		}
		snprintf(key, sizeof(key), "%.*s", (int)ev.data.scalar.length,
		    (const char *)ev.data.scalar.value);
		mc_path(sub, "%s.%s", path, key);
		if (json_object_get(obj, key) != NULL) {
			rc = mc_error(y, &ev.start_mark, sub, "the key is given twice");
			yaml_event_delete(&ev);
			break;
		}
		yaml_event_delete(&ev);
		if ((rc = mc_next(y, &ev, sub)) != 0)
			break;
		rc = mc_node(&v, y, &ev, sub, depth + 1);
		yaml_event_delete(&ev);
		if (rc != 0)
			break;
		json_object_set_new(obj, key, v);
	}
	json_decref(obj);
	return rc;
}

/* Keeps a node's anchor so that aliases can name it (a card may hold a few). */
static int
mc_anchor_keep(struct mc_yaml *y, const yaml_char_t *anchor, json_t *node, long nodes,
    const yaml_mark_t *mark, const char *path)
{
	struct mc_anchor *a;

	if (anchor == NULL)
		return 0;
	if (y->nanchors == MODELCARD_ALIASES_MAX)
		return mc_error(y, mark, path, "more anchors than a model card needs");
	a = &y->anchors[y->nanchors++];
	a->name = xstrdup((const char *)anchor);
	a->node = json_incref(node);
	a->nodes = nodes;
	return 0;
}

static int
mc_alias(json_t **out, struct mc_yaml *y, const yaml_event_t *ev, const char *path)
{
	int i;

	*out = NULL;
	if (++y->aliases > MODELCARD_ALIASES_MAX)
		return mc_error(y, &ev->start_mark, path, "more aliases than a model card needs");
	/* The latest anchor of the name wins, as YAML has it. */
	for (i = y->nanchors - 1; i >= 0; i--)
		if (strcmp(y->anchors[i].name, (const char *)ev->data.alias.anchor) == 0)
			break;
	if (i < 0)
		return mc_error(y, &ev->start_mark, path, "an alias names no anchor");
	y->nodes += y->anchors[i].nodes;
	if (y->nodes > MODELCARD_NODES_MAX)
		return mc_error(y, &ev->start_mark, path, "the front matter has too many nodes");
	*out = json_incref(y->anchors[i].node);
	return 0;
}

static int
mc_node(json_t **out, struct mc_yaml *y, yaml_event_t *ev, const char *path, int depth)
{
	const yaml_char_t *anchor = NULL, *tag = NULL;
	long before = y->nodes;
	int rc;

	*out = NULL;
	if (depth > MODELCARD_DEPTH_MAX)
		return mc_error(y, &ev->start_mark, path, "nested deeper than a model card needs");
	if (++y->nodes > MODELCARD_NODES_MAX)
		return mc_error(y, &ev->start_mark, path, "the front matter has too many nodes");
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return mc_alias(out, y, ev, path);
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
		break;
	default:
		return mc_error(y, &ev->start_mark, path, "unexpected YAML structure");
	}
	if (!mc_tag_known(tag))
		return mc_error(y, &ev->start_mark, path, "only YAML's own tags are read");
	if (ev->type == YAML_SCALAR_EVENT)
		rc = mc_scalar(out, y, ev, path);
	else if (ev->type == YAML_SEQUENCE_START_EVENT)
		rc = mc_sequence(out, y, path, depth);
	else
		rc = mc_mapping(out, y, path, depth);
	if (rc == 0 && (rc = mc_anchor_keep(y, anchor, *out, y->nodes - before, &ev->start_mark,
	    path)) != 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* The one document of the stream. */
static int
mc_document(json_t **out, struct mc_yaml *y)
{
	yaml_event_t ev;
	json_t *doc = NULL;
	int rc, docs = 0;

	*out = NULL;
	for (;;) {
		if ((rc = mc_next(y, &ev, "$")) != 0)
			break;
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
			rc = mc_error(y, &ev.start_mark, "$", "the front matter holds one YAML "
			    "document");
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type == YAML_SCALAR_EVENT || ev.type == YAML_SEQUENCE_START_EVENT ||
		    ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_ALIAS_EVENT) {
			rc = mc_node(&doc, y, &ev, "$", 0);
			yaml_event_delete(&ev);
			if (rc != 0)
				break;
			continue;
		}
		yaml_event_delete(&ev);
	}
	if (rc == 0) {
		*out = doc;
		doc = NULL;
	}
	json_decref(doc);
	return rc;
}

/* The line that starts at p, up to its end: is it the "---" fence? */
static bool
mc_fence(const char *p, const char *end)
{
	if (end - p < 3 || memcmp(p, "---", 3) != 0)
		return false;
	for (p += 3; p < end && *p != '\n'; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r')
			return false;
	return true;
}

static const char *
mc_next_line(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? nl + 1 : end;
}

/*
 * Finds the front matter: from the line after the first "---" to the line
 * before the next; *body is what follows. 0, or AIMS_EINVALID at "$".
 */
static int
mc_split(const char **yaml, size_t *ylen, const char **body, const char *data, size_t len)
{
	const char *end = data + len, *p = data, *start;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	if (!mc_fence(p, end))
		return aims_error_set(AIMS_EINVALID, "$", "$: a model card starts with its "
		    "metadata between two '---' lines (line 1)");
	start = p = mc_next_line(p, end);
	while (p < end && !mc_fence(p, end))
		p = mc_next_line(p, end);
	if (p == end)
		return aims_error_set(AIMS_EINVALID, "$", "$: the metadata that starts at line 1 "
		    "has no closing '---' line");
	*yaml = start;
	*ylen = (size_t)(p - start);
	*body = mc_next_line(p, end);
	return 0;
}

static int
mc_parse_front(json_t **out, const char **body, const char *data, size_t len)
{
	struct mc_yaml y = { .line0 = 2 };
	const char *yaml = NULL;
	size_t ylen = 0;
	int rc, i;

	*out = NULL;
	if (len > MODELCARD_FILE_MAX)
		return aims_error_set(AIMS_ETOOBIG, "$", "$: a model card is at most %d bytes",
		    MODELCARD_FILE_MAX);
	if ((rc = mc_split(&yaml, &ylen, body, data, len)) != 0)
		return rc;
	if (ylen > MODELCARD_FRONT_MAX)
		return aims_error_set(AIMS_ETOOBIG, "$", "$: a model card's metadata is at most "
		    "%d bytes", MODELCARD_FRONT_MAX);
	if (!yaml_parser_initialize(&y.parser))
		return aims_error_set(AIMS_ERROR, NULL, "cannot start the YAML parser");
	yaml_parser_set_input_string(&y.parser, (const unsigned char *)yaml, ylen);
	yaml_parser_set_encoding(&y.parser, YAML_UTF8_ENCODING);
	rc = mc_document(out, &y);
	for (i = 0; i < y.nanchors; i++) {
		free(y.anchors[i].name);
		json_decref(y.anchors[i].node);
	}
	yaml_parser_delete(&y.parser);
	if (rc == 0 && *out == NULL)
		*out = json_object();
	else if (rc == 0 && !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		rc = aims_error_set(AIMS_EINVALID, "$", "$: the metadata is a mapping of keys "
		    "(line 2)");
	}
	return rc;
}

int
modelcard_front_matter(json_t **out, const char *data, size_t len)
{
	const char *body;

	return mc_parse_front(out, &body, data, len);
}

/* ---------------------------------------------------------------- mapping */

static int
mc_type_error(const char *path, const char *want)
{
	return aims_error_set(AIMS_EINVALID, path, "%s: expected %s", path, want);
}

/* A text at key, or NULL when it is absent or null; a mapping or list there is refused. */
static int
mc_text(const char **out, const json_t *o, const char *key, const char *path)
{
	const json_t *v = json_object_get(o, key);
	char at[MODELCARD_PATH_MAX];

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		mc_path(at, "%s.%s", path, key);
		return mc_type_error(at, "a text");
	}
	if (json_string_length(v) > MC_STRING_MAX) {
		mc_path(at, "%s.%s", path, key);
		return aims_error_set(AIMS_EINVALID, at, "%s: at most %d characters", at,
		    MC_STRING_MAX);
	}
	*out = json_string_value(v);
	if (**out == '\0')
		*out = NULL;
	return 0;
}

/* A text or a list of texts at key: *out the distinct texts (NULL when none). */
static int
mc_texts(json_t **out, const json_t *o, const char *key, const char *path)
{
	const json_t *v = json_object_get(o, key), *e;
	char at[MODELCARD_PATH_MAX];
	json_t *list;
	size_t i, j;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	mc_path(at, "%s.%s", path, key);
	if (json_is_string(v))
		v = list = json_pack("[O]", v);
	else if (json_is_array(v))
		list = json_incref((json_t *)v);
	else
		return mc_type_error(at, "a text or a list of texts");
	*out = json_array();
	json_array_foreach(list, i, e) {
		if (!json_is_string(e) || json_string_length(e) > MC_STRING_MAX) {
			mc_path(at, "%s.%s[%zu]", path, key, i);
			json_decref(list);
			json_decref(*out);
			*out = NULL;
			return json_is_string(e) ? aims_error_set(AIMS_EINVALID, at,
			    "%s: at most %d characters", at, MC_STRING_MAX) :
			    mc_type_error(at, "a text");
		}
		if (json_string_length(e) == 0)
			continue;
		for (j = 0; j < json_array_size(*out); j++)
			if (json_equal(json_array_get(*out, j), e))
				break;
		if (j == json_array_size(*out))
			json_array_append(*out, (json_t *)e);
	}
	json_decref(list);
	if (json_array_size(*out) == 0) {
		json_decref(*out);
		*out = NULL;
	}
	return 0;
}

/* The Hub namespace of an id ("acme" of "acme/claims-2025"), into ns; false if none. */
static bool
mc_namespace(char ns[MC_STRING_MAX + 1], const char *id)
{
	const char *slash = id ? strchr(id, '/') : NULL;

	if (slash == NULL || slash == id || slash[1] == '\0')
		return false;
	snprintf(ns, MC_STRING_MAX + 1, "%.*s", (int)(slash - id), id);
	return true;
}

/* The card's first '# ' heading outside code blocks, into name. */
static bool
mc_heading(char name[MC_STRING_MAX + 1], const char *body, const char *end)
{
	const char *p = body, *eol, *s, *e;
	bool code = false;

	for (; p < end; p = eol < end ? eol + 1 : end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		eol = eol ? eol : end;
		if (eol - p >= 3 && (memcmp(p, "```", 3) == 0 || memcmp(p, "~~~", 3) == 0))
			code = !code;
		if (code || eol - p < 3 || p[0] != '#' || (p[1] != ' ' && p[1] != '\t'))
			continue;
		for (s = p + 2; s < eol && (*s == ' ' || *s == '\t'); s++)
			;
		for (e = eol; e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
		    e[-1] == '#'); e--)
			;
		if (e > s) {
			snprintf(name, MC_STRING_MAX + 1, "%.*s", (int)(e - s), s);
			return true;
		}
	}
	return false;
}

/* Is the heading's title one of a section on limitations, bias, risks or out-of-scope use? */
static bool
mc_limits_heading(const char *s, const char *e, bool *out_of_scope)
{
	char t[MC_TITLE_MAX + 1];
	size_t i, n = (size_t)(e - s) < MC_TITLE_MAX ? (size_t)(e - s) : MC_TITLE_MAX;

	for (i = 0; i < n; i++)
		t[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
	t[n] = '\0';
	*out_of_scope = strstr(t, "out-of-scope") || strstr(t, "out of scope");
	/* "Intended uses & limitations" is about use: its text says what the model is for. */
	return *out_of_scope || strstr(t, "bias") || strstr(t, "risk") ||
	    (strstr(t, "limitation") && !strstr(t, "intended"));
}

/* Ends the item being gathered: kept when it is UTF-8 text with something to say. */
static void
mc_limits_item(json_t *list, struct buf *item, bool out_of_scope)
{
	char text[MC_STRING_MAX + 1];
	json_t *v;
	size_t n = item->len;

	if (n == 0 || json_array_size(list) == MC_LIMITS_MAX ||
	    strstr(buf_str(item), "More Information Needed")) {
		buf_reset(item);
		return;
	}
	/* Cut to the record's limit, not inside a UTF-8 sequence. */
	if (n > MC_STRING_MAX - (out_of_scope ? 14 : 0)) {
		n = MC_STRING_MAX - (out_of_scope ? 14 : 0);
		while (n > 0 && ((unsigned char)item->data[n] & 0xc0) == 0x80)
			n--;
	}
	snprintf(text, sizeof(text), "%s%.*s", out_of_scope ? "Out of scope: " : "", (int)n,
	    item->data);
	if ((v = json_string(text)) != NULL)
		json_array_append_new(list, v);
	buf_reset(item);
}

/*
 * The card's text, read loosely: the bullet points of its sections on
 * limitations, bias, risks and out-of-scope use (or, without bullets, the
 * section's first paragraph) become the model's technical limitations
 * (A.8.2, A.9.4). Code blocks, tables and the template's "More Information
 * Needed" are left out.
 */
static void
mc_limitations(json_t *f, const char *body, const char *end)
{
	const char *p, *eol, *s, *e;
	struct buf item = BUF_INIT;
	json_t *list = json_array();
	bool in = false, oos = false, code = false, bullets = false, para_done = false;

	for (p = body; p < end; p = eol < end ? eol + 1 : end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		eol = eol ? eol : end;
		for (e = eol; e > p && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		for (s = p; s < e && (*s == ' ' || *s == '\t') && s - p < 4; s++)
			;
		if (e - s >= 3 && (memcmp(s, "```", 3) == 0 || memcmp(s, "~~~", 3) == 0)) {
			code = !code;
			mc_limits_item(list, &item, oos);
			continue;
		}
		if (code)
			continue;
		if (s == p && s < e && *s == '#') {
			mc_limits_item(list, &item, oos);
			for (; s < e && *s == '#'; s++)
				;
			in = s - p >= 2 && s < e && (*s == ' ' || *s == '\t') &&
			    mc_limits_heading(s, e, &oos);
			bullets = para_done = false;
			continue;
		}
		if (!in)
			continue;
		if (s == e || *s == '|') {
			if (item.len && !bullets)
				para_done = true;
			mc_limits_item(list, &item, oos);
			continue;
		}
		if (e - s >= 2 && (*s == '-' || *s == '*' || *s == '+') && s[1] == ' ') {
			mc_limits_item(list, &item, oos);
			bullets = true;
			s += 2;
		} else if (item.len == 0 && (bullets || para_done)) {
			continue;
		}
		if (item.len)
			buf_putc(&item, ' ');
		buf_append(&item, s, (size_t)(e - s));
	}
	mc_limits_item(list, &item, oos);
	buf_free(&item);
	if (json_array_size(list))
		json_object_set_new(f, "technical_limitations", list);
	else
		json_decref(list);
}

static void
mc_set(json_t *f, const char *key, const char *s)
{
	if (s)
		json_object_set_new(f, key, json_string(s));
}

static void
mc_set_list(json_t *f, const char *key, json_t *list)
{
	if (list)
		json_object_set_new(f, key, list);
}

/* "Beans (default, test)": what an evaluation was run on. */
static int
mc_slice(char out[MC_SLICE_MAX + 1], const json_t *ds, const char *path)
{
	const char *name, *type, *config, *split;
	char at[MODELCARD_PATH_MAX];
	int rc;

	out[0] = '\0';
	if (ds == NULL || json_is_null(ds))
		return 0;
	mc_path(at, "%s.dataset", path);
	if (!json_is_object(ds))
		return mc_type_error(at, "a mapping");
	if ((rc = mc_text(&name, ds, "name", at)) != 0 ||
	    (rc = mc_text(&type, ds, "type", at)) != 0 ||
	    (rc = mc_text(&config, ds, "config", at)) != 0 ||
	    (rc = mc_text(&split, ds, "split", at)) != 0)
		return rc;
	if (name == NULL)
		name = type;
	if (name == NULL)
		return 0;
	if (config && split)
		snprintf(out, MC_SLICE_MAX + 1, "%s (%s, %s)", name, config, split);
	else if (config || split)
		snprintf(out, MC_SLICE_MAX + 1, "%s (%s)", name, config ? config : split);
	else
		snprintf(out, MC_SLICE_MAX + 1, "%s", name);
	return 0;
}

/* The task of a result: {type, name}; the first one found is the model's. */
static int
mc_result_task(const char **task, const json_t *t, const char *path)
{
	char at[MODELCARD_PATH_MAX];
	const char *type;
	int rc;

	if (t == NULL || json_is_null(t))
		return 0;
	mc_path(at, "%s.task", path);
	if (!json_is_object(t))
		return mc_type_error(at, "a mapping with type and name");
	if ((rc = mc_text(&type, t, "type", at)) != 0)
		return rc;
	if (*task == NULL)
		*task = type;
	return 0;
}

/* One metric of a result: {type, value} required, as the Hub has them. */
static int
mc_metric(json_t *list, const json_t *m, const char *slice, const char *path)
{
	const char *type, *value;
	json_t *o;
	int rc;

	if (!json_is_object(m))
		return mc_type_error(path, "a mapping with type and value");
	if ((rc = mc_text(&type, m, "type", path)) != 0 ||
	    (rc = mc_text(&value, m, "value", path)) != 0)
		return rc;
	if (type == NULL || value == NULL)
		return aims_error_set(AIMS_EINVALID, path, "%s: a metric has a type and a value",
		    path);
	if (json_array_size(list) == MODELCARD_METRICS_MAX)
		return aims_error_set(AIMS_ETOOBIG, path, "%s: a model keeps at most %d metrics",
		    path, MODELCARD_METRICS_MAX);
	o = json_pack("{s:s, s:s}", "type", type, "value", value);
	if (slice[0])
		json_object_set_new(o, "slice", json_string(slice));
	json_array_append_new(list, o);
	return 0;
}

/*
 * model-index: [{name, results: [{task, dataset, metrics: [...]}]}]; *name
 * the first entry's name, *task the first result's task type.
 */
static int
mc_model_index(json_t *metrics, const char **name, const char **task, const json_t *fm)
{
	const json_t *idx = json_object_get(fm, "model-index"), *entry, *res, *r, *m, *met;
	char at[MODELCARD_PATH_MAX], rat[MODELCARD_PATH_MAX], mat[MODELCARD_PATH_MAX];
	char slice[MC_SLICE_MAX + 1];
	const char *n;
	size_t i, j, k;
	int rc;

	*name = *task = NULL;
	if (idx == NULL || json_is_null(idx))
		return 0;
	if (!json_is_array(idx))
		return mc_type_error("$.model-index", "a list of models");
	json_array_foreach(idx, i, entry) {
		mc_path(at, "$.model-index[%zu]", i);
		if (!json_is_object(entry))
			return mc_type_error(at, "a mapping with name and results");
		if ((rc = mc_text(&n, entry, "name", at)) != 0)
			return rc;
		if (*name == NULL)
			*name = n;
		res = json_object_get(entry, "results");
		if (res == NULL || json_is_null(res))
			continue;
		mc_path(rat, "%s.results", at);
		if (!json_is_array(res))
			return mc_type_error(rat, "a list of results");
		json_array_foreach(res, j, r) {
			mc_path(rat, "%s.results[%zu]", at, j);
			if (!json_is_object(r))
				return mc_type_error(rat, "a mapping with task, dataset and metrics");
			if ((rc = mc_slice(slice, json_object_get(r, "dataset"), rat)) != 0)
				return rc;
			if ((rc = mc_result_task(task, json_object_get(r, "task"), rat)) != 0)
				return rc;
			m = json_object_get(r, "metrics");
			mc_path(mat, "%s.metrics", rat);
			if (m != NULL && !json_is_null(m) && !json_is_array(m))
				return mc_type_error(mat, "a list of metrics");
			json_array_foreach(m, k, met) {
				mc_path(mat, "%s.metrics[%zu]", rat, k);
				if ((rc = mc_metric(metrics, met, slice, mat)) != 0)
					return rc;
			}
		}
	}
	return 0;
}

/* The SPDX licence ids, from the CycloneDX schemas shipped (schemas/cyclonedx/). */
static json_t *mc_spdx_ids;
static pthread_once_t mc_spdx_once = PTHREAD_ONCE_INIT;

static void
mc_spdx_load(void)
{
	const struct embed_file *f = embed_find(jsonschema_files, "cyclonedx/spdx.schema.json");
	json_t *doc = f ? json_loadb((const char *)f->data, f->len, 0, NULL) : NULL;

	mc_spdx_ids = json_incref(json_object_get(doc, "enum"));
	json_decref(doc);
}

/*
 * The Hub writes licences as lower-case SPDX ids (apache-2.0, mit): the SPDX
 * id they stand for, so the record and the ML-BOM carry the id itself; a
 * Hub-only id (openrail, llama2) stays as written.
 */
static const char *
mc_spdx(const char *licence)
{
	const json_t *v;
	size_t i;

	if (licence == NULL)
		return NULL;
	pthread_once(&mc_spdx_once, mc_spdx_load);
	json_array_foreach(mc_spdx_ids, i, v)
		if (strcasecmp(json_string_value(v), licence) == 0)
			return json_string_value(v);
	return licence;
}

static const char *const mc_relations[] = { "adapter", "merge", "quantized", "finetune", NULL };

static int
mc_model_fields(json_t *f, const json_t *fm)
{
	const char *licence, *other, *task, *library, *rel;
	json_t *list;
	int rc, i;

	if ((rc = mc_text(&licence, fm, "license", "$")) != 0 ||
	    (rc = mc_text(&other, fm, "license_name", "$")) != 0 ||
	    (rc = mc_text(&task, fm, "pipeline_tag", "$")) != 0 ||
	    (rc = mc_text(&library, fm, "library_name", "$")) != 0 ||
	    (rc = mc_text(&rel, fm, "base_model_relation", "$")) != 0)
		return rc;
	/* "other" says the licence is named in license_name. */
	mc_set(f, "licence", licence && strcmp(licence, "other") == 0 && other ? other :
	    mc_spdx(licence));
	mc_set(f, "task", task);
	mc_set(f, "library", library);
	if (rel) {
		for (i = 0; mc_relations[i] && strcmp(rel, mc_relations[i]) != 0; i++)
			;
		if (mc_relations[i] == NULL)
			return aims_error_set(AIMS_EINVALID, "$.base_model_relation",
			    "$.base_model_relation: '%s' is not one of adapter, merge, quantized, "
			    "finetune", rel);
		mc_set(f, "base_model_relation", rel);
	}
	if ((rc = mc_texts(&list, fm, "language", "$")) != 0)
		return rc;
	mc_set_list(f, "languages", list);
	if ((rc = mc_texts(&list, fm, "tags", "$")) != 0)
		return rc;
	mc_set_list(f, "tags", list);
	if ((rc = mc_texts(&list, fm, "base_model", "$")) != 0)
		return rc;
	mc_set_list(f, "base_models", list);
	return 0;
}

/* Each Hub data set id becomes a data set, known by its id. */
static int
mc_datasets(json_t *items, json_t *refs, const json_t *fm)
{
	char ns[MC_STRING_MAX + 1], path[MODELCARD_PATH_MAX], prov[MC_STRING_MAX + 80];
	char bref[MC_STRING_MAX + 32];
	json_t *ids, *f;
	const json_t *v;
	size_t i;
	int rc;

	if ((rc = mc_texts(&ids, fm, "datasets", "$")) != 0 || ids == NULL)
		return rc;
	json_array_foreach(ids, i, v) {
		mc_path(path, "$.datasets[%zu]", i);
		snprintf(bref, sizeof(bref), "huggingface-dataset:%s", json_string_value(v));
		snprintf(prov, sizeof(prov), "Hugging Face Hub data set %s, named by the model "
		    "card", json_string_value(v));
		f = json_pack("{s:O, s:s, s:s}", "title", v, "bom_ref", bref, "provenance", prov);
		/* The Hub's `datasets` are those the model was trained on. */
		json_array_append_new(items, json_pack("{s:s, s:o, s:s?, s:{s:[s]}}", "path", path,
		    "fields", f, "supplier", mc_namespace(ns, json_string_value(v)) ? ns : NULL,
		    "on_create", "uses", "training"));
		json_array_append_new(refs, json_string(bref));
	}
	json_decref(ids);
	return 0;
}

int
modelcard_parse(json_t **out, const char *data, size_t len)
{
	char heading[MC_STRING_MAX + 1], ns[MC_STRING_MAX + 1];
	json_t *fm = NULL, *f = json_object(), *metrics = json_array();
	json_t *datasets = json_array(), *refs = json_array(), *v;
	const char *body, *name, *task;
	int rc;

	*out = NULL;
	if ((rc = mc_parse_front(&fm, &body, data, len)) != 0 ||
	    (rc = mc_model_fields(f, fm)) != 0 ||
	    (rc = mc_model_index(metrics, &name, &task, fm)) != 0 ||
	    (rc = mc_datasets(datasets, refs, fm)) != 0)
		goto done;
	/* pipeline_tag says the task; without it, the evaluations do. */
	if (json_object_get(f, "task") == NULL)
		mc_set(f, "task", task);
	if (name == NULL && mc_heading(heading, body, data + len))
		name = heading;
	if (name == NULL) {
		rc = aims_error_set(AIMS_EINVALID, "$", "$: the card names no model: give "
		    "model-index a name, or the card a '# ' heading");
		goto done;
	}
	/* The heading comes from the card's text, which nothing has checked is UTF-8. */
	if ((v = json_string(name)) == NULL) {
		rc = aims_error_set(AIMS_EINVALID, "$", "$: the card's '# ' heading is not UTF-8 "
		    "text");
		goto done;
	}
	json_object_set_new(f, "name", v);
	mc_limitations(f, body, data + len);
	if (json_array_size(metrics))
		json_object_set(f, "performance_metrics", metrics);
	*out = json_pack("{s:[{s:s, s:O, s:s?, s:O}], s:O, s:[]}", "models", "path", "$",
	    "fields", f, "supplier", mc_namespace(ns, name) ? ns : NULL, "datasets", refs,
	    "datasets", datasets, "components");
	if (*out == NULL)
		rc = aims_error_set(AIMS_ERROR, NULL, "out of memory");
done:
	json_decref(fm);
	json_decref(f);
	json_decref(metrics);
	json_decref(datasets);
	json_decref(refs);
	return rc;
}

int
modelcard_import(json_t **summary, struct db *db, int64_t org_id, const struct actor *actor,
    const char *ais_ref, const char *data, size_t len, int flags)
{
	json_t *bom = NULL;
	int rc;

	*summary = NULL;
	if ((rc = modelcard_parse(&bom, data, len)) == 0)
		rc = bom_store(summary, db, org_id, actor, ais_ref, bom, flags);
	json_decref(bom);
	return rc;
}
