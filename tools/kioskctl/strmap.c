/* A string -> long hash map (open addressing, FNV-1a) for duplicate detection while parsing:
 * 100,000 roster rows must not mean 10^10 comparisons. Keys are copied. */
#include "kioskctl.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"

struct strmap_slot {
	char *key; /* NULL: empty */
	long value;
};

static uint64_t strmap_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct strmap_slot *strmap_find(const strmap *m, const char *key)
{
	size_t i = strmap_hash(key) & (m->cap - 1);
	while (m->slots[i].key != NULL && strcmp(m->slots[i].key, key) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static void strmap_grow(strmap *m)
{
	strmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	for (size_t i = 0; i < old.cap; i++) {
		if (old.slots[i].key != NULL)
			*strmap_find(m, old.slots[i].key) = old.slots[i];
	}
	free(old.slots);
}

long strmap_put(strmap *m, const char *key, long value)
{
	if ((m->n + 1) * 2 > m->cap)
		strmap_grow(m);
	struct strmap_slot *slot = strmap_find(m, key);
	if (slot->key != NULL)
		return slot->value;
	slot->key = xstrdup(key);
	slot->value = value;
	m->n++;
	return -1;
}

void strmap_free(strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}
