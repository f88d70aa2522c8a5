/* Small text helpers shared by the importers: trimming and ';'-separated name lists. */
#include "kioskctl.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char *str_trim(char *s)
{
	size_t n = strlen(s), start = 0;
	while (n > 0 && is_space(s[n - 1]))
		n--;
	while (start < n && is_space(s[start]))
		start++;
	memmove(s, s + start, n - start);
	s[n - start] = '\0';
	return s;
}

size_t split_names(const char *s, char ***out)
{
	char **names = NULL;
	size_t n = 0;
	const char *p = s;

	*out = NULL;
	while (p != NULL && *p != '\0') {
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);
		char *name = xcalloc(1, len + 1);
		memcpy(name, p, len);
		str_trim(name);
		int dup = name[0] == '\0';
		for (size_t i = 0; i < n && !dup; i++)
			dup = strcmp(names[i], name) == 0;
		if (dup) {
			free(name);
		} else {
			names = xreallocarray(names, n + 1, sizeof *names);
			names[n++] = name;
		}
		p = semi ? semi + 1 : NULL;
	}
	*out = names;
	return n;
}

void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
