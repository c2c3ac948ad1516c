// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_rc 3
 * SUMMARY
 *	internal return codes
 * SYNOPSIS
 *	#include "mh_rc.h"
 *
 *	const char *mh_rc_str(int rc)
 *	int mh_rc_to_ocf(int rc)
 */
#include <string.h>
#include <errno.h>

#include "mh_rc.h"

/* mh_rc_str - describe an internal code */
const char *
mh_rc_str(int rc)
{
    switch (rc) {
    case MH_OK:
        return "success";
    case MH_E_TIMEOUT:
        return "timed out";
    case MH_E_PROTOCOL:
        return "protocol error";
    case MH_E_REPLY:
        return "unexpected reply";
    case MH_E_PARSE:
        return "syntax error";
    case MH_E_CONFIG:
        return "configuration error";
    case MH_E_UNSAFE:
        return "unsafe file";
    case MH_E_NOTFOUND:
        return "not found";
    case MH_E_TOOLONG:
        return "too long";
    case MH_E_CHILD:
        return "child program failed";
    default:
        break;
    }
    if (rc < 0 && rc > MH_E_BASE) {
        return strerror(-rc);
    }
    return "unknown error";
}

/* mh_rc_to_ocf - map an internal code to the OCF code an agent would use */
int
mh_rc_to_ocf(int rc)
{
    switch (rc) {
    case MH_OK:
        return MH_OCF_SUCCESS;
    case MH_E_CONFIG:
    case MH_E_PARSE:
        return MH_OCF_ERR_CONFIGURED;
    case MH_E_UNSAFE:
    case -EACCES:
    case -EPERM:
        return MH_OCF_ERR_PERM;
    case -ENOENT:
    case MH_E_NOTFOUND:
        return MH_OCF_ERR_INSTALLED;
    default:
        return MH_OCF_ERR_GENERIC;
    }
}
