/* fuzz_comment.c - libFuzzer harness for the mention scanner of comments (core/comment.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/comment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char email[COMMENT_EMAIL_MAX + 1], *text = malloc(size + 1);
	const char *p = text;
	int n = 0;

	memcpy(text, data, size);
	text[size] = '\0';
	while (comment_scan_mention(&p, email)) {
		if (strlen(email) > COMMENT_EMAIL_MAX || strchr(email, '@') == NULL)
			abort();
		if (++n > (int)size)
			abort();	/* every mention moves the cursor on */
	}
	free(text);
	return 0;
}
