/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef KCAP_REPLAY_TIMEPARSE_H
#define KCAP_REPLAY_TIMEPARSE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * A time for --since/--until, as ns since the epoch: ISO 8601
 * ("2026-11-23T19:02:44.5Z", "2026-11-23 19:02:44+01:00"; UTC when no
 * zone is given), an offset from start ("+1.5s", "+200ms", "+3m", "+10us",
 * "+5ns", "+2" meaning seconds), or raw ns ("1795460564000000000").
 * 0, -EINVAL, or -ERANGE for a time past what u64 ns hold
 * (2554-07-21T23:34:33.709551615Z).
 */
int kcap_parse_time(const char *s, uint64_t start, uint64_t *out);

/*
 * A duration as ns: a number with a unit (ns, us, ms, s, m, h; "1.5s",
 * "200ms"), or without one when need_unit is false (seconds). 0,
 * -EINVAL, or -ERANGE for one of 2^64 ns or more.
 */
int kcap_parse_duration(const char *s, bool need_unit, uint64_t *out);

#endif
