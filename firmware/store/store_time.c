/* Storage: check-in times as text ("2026-11-27T10:01:02Z"), the form exports carry.
 * Pure arithmetic on UTC epoch seconds; no time zone or clock is read here.
 */
#include "store/store_int.h"

#include "common/clock.h"

/* "2026-11-27T10:01:02Z"; returns -1 for a time outside years 1970..9999. */
int store_iso_format(int64_t t, char out[21])
{
	int64_t y;
	int m, d;
	if (t < STORE_ISO_MIN || t > STORE_ISO_MAX)
		return -1;
	clock_civil_from_days(t / 86400, &y, &m, &d);
	int sec = (int)(t % 86400);
	/* By hand: this runs a million times per export, and the ranges are known. */
	int v[6] = { (int)y, m, d, sec / 3600, sec / 60 % 60, sec % 60 };
	static const char sep[] = "--T::Z";
	char *o = out;
	for (int i = 0; i < 6; i++) {
		if (i == 0) {
			*o++ = (char)('0' + v[0] / 1000);
			*o++ = (char)('0' + v[0] / 100 % 10);
		}
		*o++ = (char)('0' + v[i] / 10 % 10);
		*o++ = (char)('0' + v[i] % 10);
		*o++ = sep[i];
	}
	*o = '\0';
	return 0;
}

/* Exactly YYYY-MM-DDTHH:MM:SSZ with a real date; returns 0 and the epoch, or -1. */
int store_iso_parse(const char *s, size_t len, int64_t *out)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int v[6] = { 0 }, field = 0;
	if (s == NULL || len != sizeof shape - 1)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (shape[i] == 'd') {
			if (s[i] < '0' || s[i] > '9')
				return -1;
			v[field] = v[field] * 10 + (s[i] - '0');
		} else if (s[i] != shape[i]) {
			return -1;
		} else {
			field++;
		}
	}
	int y = v[0], mo = v[1], d = v[2];
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !leap) || v[3] > 23 || v[4] > 59 || v[5] > 59)
		return -1;
	*out = clock_days_from_civil(y, mo, d) * 86400 + v[3] * 3600 + v[4] * 60 + v[5];
	return 0;
}
