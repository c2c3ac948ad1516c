// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * drift_query.h - mailha-drift --query: the state file as text, and the
 * exit codes it returns (mailha-drift(8), EXIT STATUS)
 */
#ifndef DRIFT_QUERY_H
#define DRIFT_QUERY_H

#define DRIFT_QUERY_OK 0
#define DRIFT_QUERY_DRIFT 1
#define DRIFT_QUERY_NOTIN 2
#define DRIFT_QUERY_DOWN 3

/* drift_query - print the state file at PATH; a DRIFT_QUERY_* code */
int drift_query(const char *path);

#endif
