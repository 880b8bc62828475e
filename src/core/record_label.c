/*
 * record_label.c - how people read a field's allowed value: "high_risk" is
 * "High-risk", "treatment_planned" is "Treatment planned". The pages and
 * the list downloads (CSV, XLSX) both show these words, never the codes
 * the API and the store keep.
 */
#include <ctype.h>
#include <string.h>

#include "core/record.h"
#include "util/buf.h"

static const struct {
	const char	*value;
	const char	*label;
} record_enum_labels[] = {
	{ "high_risk", "High-risk" },
	{ "gpai", "General-purpose AI (GPAI)" },
	{ "design_development", "Design and development" },
	{ "verification_validation", "Verification and validation" },
	{ "operation_monitoring", "Operation and monitoring" },
	{ "re_evaluation", "Re-evaluation" },
	{ "ci", "CI" },
	{ "ai_policy", "AI policy" },
};

/* Words written in capitals wherever they appear in a value. */
static const char *const record_acronyms[] = { "ai", "eu", "ci", "iso", "nist", "soa", NULL };

static void
record_label_word(struct buf *out, const char *w, size_t n, bool first)
{
	size_t i, start = out->len;
	int a;

	buf_append(out, w, n);
	for (a = 0; record_acronyms[a] != NULL; a++)
		if (strlen(record_acronyms[a]) == n && strncmp(w, record_acronyms[a], n) == 0) {
			for (i = start; i < out->len; i++)
				out->data[i] = (char)toupper((unsigned char)out->data[i]);
			return;
		}
	if (first && n > 0)
		out->data[start] = (char)toupper((unsigned char)out->data[start]);
}

void
record_enum_label(struct buf *out, const char *value)
{
	const char *p, *w;
	size_t i;

	if (value == NULL)
		return;
	for (i = 0; i < sizeof(record_enum_labels) / sizeof(record_enum_labels[0]); i++)
		if (strcmp(value, record_enum_labels[i].value) == 0) {
			buf_puts(out, record_enum_labels[i].label);
			return;
		}
	for (p = w = value;; p++) {
		if (*p == '_' || *p == '\0') {
			record_label_word(out, w, (size_t)(p - w), w == value);
			if (*p == '\0')
				break;
			buf_putc(out, ' ');
			w = p + 1;
		}
	}
}
