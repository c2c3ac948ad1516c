// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_rc 3h
 * SUMMARY
 *	internal return codes, exit codes and OCF codes, kept apart
 * DESCRIPTION
 *	Library functions return 0 or a negative code: a negative errno,
 *	or one of the MH_E_* codes below (which lie beyond any errno).
 *	Programs turn a code into an exit status once, at the edge, with
 *	mh_rc_to_ocf() or their own mapping.
 */
#ifndef MH_RC_H
#define MH_RC_H

/* OCF exit codes (OCF Resource Agent API 1.1). */
enum mh_ocf {
    MH_OCF_SUCCESS = 0,
    MH_OCF_ERR_GENERIC = 1,
    MH_OCF_ERR_ARGS = 2,
    MH_OCF_ERR_UNIMPLEMENTED = 3,
    MH_OCF_ERR_PERM = 4,
    MH_OCF_ERR_INSTALLED = 5,
    MH_OCF_ERR_CONFIGURED = 6,
    MH_OCF_NOT_RUNNING = 7,
    MH_OCF_DEGRADED = 190,
};

/* Exit codes of operator commands that are not OCF-shaped. */
enum mh_exit {
    MH_EXIT_OK = 0,
    MH_EXIT_FINDINGS = 1,   /* ran fine, and found problems */
    MH_EXIT_USAGE = 64,     /* as sysexits' EX_USAGE */
    MH_EXIT_FAILED = 70,    /* could not do the work */
};

/* Internal codes beyond errno. */
enum mh_rc {
    MH_OK = 0,
    MH_E_BASE = -10000,
    MH_E_TIMEOUT = MH_E_BASE - 1,    /* the deadline passed */
    MH_E_PROTOCOL = MH_E_BASE - 2,   /* peer said something malformed */
    MH_E_REPLY = MH_E_BASE - 3,      /* peer said something unwanted */
    MH_E_PARSE = MH_E_BASE - 4,      /* input file malformed */
    MH_E_CONFIG = MH_E_BASE - 5,     /* configuration is wrong */
    MH_E_UNSAFE = MH_E_BASE - 6,     /* file failed a safety check */
    MH_E_NOTFOUND = MH_E_BASE - 7,   /* looked for, not there */
    MH_E_TOOLONG = MH_E_BASE - 8,    /* input over a limit */
    MH_E_CHILD = MH_E_BASE - 9,      /* a program we ran failed */
    MH_E_LAST = MH_E_BASE - 10,
};

/* mh_rc_str - text for an internal code (errno text for errno codes) */
const char *mh_rc_str(int rc);

/* mh_rc_to_ocf - a default OCF code for an internal code */
int mh_rc_to_ocf(int rc);

#endif
