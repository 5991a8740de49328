// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Parsing --since/--until times (see timeparse.h). */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timeparse.h"

int kcap_parse_duration(const char *s, bool need_unit, uint64_t *out)
{
	char *end;
	double v;
	double mul = 1e9;

	errno = 0;
	v = strtod(s, &end);
	/* strtod takes inf, nan and hex floats: a duration is none of them */
	if (end == s || errno || v < 0 ||
	    !isdigit((unsigned char)s[s[0] == '.']) || strpbrk(s, "xX") ||
	    (need_unit && !*end))
		return -EINVAL;
	if (!*end || !strcmp(end, "s"))
		mul = 1e9;
	else if (!strcmp(end, "ms"))
		mul = 1e6;
	else if (!strcmp(end, "us"))
		mul = 1e3;
	else if (!strcmp(end, "ns"))
		mul = 1;
	else if (!strcmp(end, "m"))
		mul = 60e9;
	else if (!strcmp(end, "h"))
		mul = 3600e9;
	else
		return -EINVAL;
	if (v * mul + 0.5 >= 18446744073709551615.0)
		return -ERANGE;
	*out = (uint64_t)(v * mul + 0.5);
	return 0;
}

static int parse_offset(const char *s, uint64_t start, uint64_t *out)
{
	uint64_t d;
	int err = kcap_parse_duration(s, false, &d);

	if (err)
		return err;
	/* wrapped, a time far ahead would be one before every event */
	if (d > UINT64_MAX - start)
		return -ERANGE;
	*out = start + d;
	return 0;
}

int kcap_parse_time(const char *s, uint64_t start, uint64_t *out)
{
	struct tm tm;
	const char *p;
	uint64_t frac = 0, scale = 100000000;
	long off = 0;
	time_t t;
	size_t i;

	if (s[0] == '+')
		return parse_offset(s + 1, start, out);
	for (i = 0; s[i] && isdigit((unsigned char)s[i]); i++)
		;
	if (i && !s[i]) {
		char *end;

		errno = 0;
		*out = strtoull(s, &end, 10);
		return errno == ERANGE ? -ERANGE : errno ? -EINVAL : 0;
	}
	memset(&tm, 0, sizeof(tm));
	p = strptime(s, "%Y-%m-%d", &tm);
	if (!p)
		return -EINVAL;
	if (*p == 'T' || *p == ' ') {
		p = strptime(p + 1, "%H:%M", &tm);
		if (!p)
			return -EINVAL;
		if (*p == ':') {
			p = strptime(p + 1, "%S", &tm);
			if (!p)
				return -EINVAL;
			if (*p == '.' || *p == ',') {
				p++;
				if (!isdigit((unsigned char)*p))
					return -EINVAL;
				for (; isdigit((unsigned char)*p); p++) {
					frac += (uint64_t)(*p - '0') * scale;
					scale /= 10;
				}
			}
		}
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1, hh, mm = 0;

		if (!isdigit((unsigned char)p[1]) ||
		    !isdigit((unsigned char)p[2]))
			return -EINVAL;
		hh = (p[1] - '0') * 10 + (p[2] - '0');
		p += 3;
		if (*p == ':' && !isdigit((unsigned char)p[1]))
			return -EINVAL; /* "+05:" */
		if (*p == ':')
			p++;
		if (isdigit((unsigned char)p[0]) &&
		    isdigit((unsigned char)p[1])) {
			mm = (p[0] - '0') * 10 + (p[1] - '0');
			p += 2;
		}
		/* as RFC 3339's time-numoffset: +25:00 is a typo, not a zone */
		if (hh > 23 || mm > 59)
			return -EINVAL;
		off = sign * (hh * 3600L + mm * 60L);
	}
	if (*p)
		return -EINVAL;
	{
		/* timegm() makes Feb 30 Mar 2: a date that is none is refused */
		struct tm want = tm;

		t = timegm(&tm);
		if (tm.tm_mday != want.tm_mday || tm.tm_mon != want.tm_mon ||
		    tm.tm_hour != want.tm_hour || tm.tm_min != want.tm_min)
			return -EINVAL;
	}
	if (t == (time_t)-1 || (long long)t - off < 0)
		return -EINVAL;
	/* after 2554-07-21T23:34:33.709551615Z: the ns would wrap */
	if ((uint64_t)((long long)t - off) >
	    (UINT64_MAX - frac) / 1000000000ull)
		return -ERANGE;
	*out = (uint64_t)((long long)t - off) * 1000000000ull + frac;
	return 0;
}
