// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_unixconn 3
 * SUMMARY
 *	bounded connect to a unix-domain socket
 * SYNOPSIS
 *	#include "mh_unixconn.h"
 *
 *	int mh_unix_connect(const char *path, long long deadline_ms,
 *	                    int nonblock)
 * DESCRIPTION
 *	The socket is blocking while it connects, with SO_SNDTIMEO set to
 *	the time left: Linux then waits in connect() for room in a full
 *	listen queue and gives up with EAGAIN when the timeout passes.
 *	The timeout is cleared again before the descriptor is returned.
 * DIAGNOSTICS
 *	A descriptor, or MH_E_TIMEOUT, or a negative errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "mh_clock.h"
#include "mh_rc.h"
#include "mh_unixconn.h"

/* mh_unix_connect - connect, waiting for room until the deadline */
int
mh_unix_connect(const char *path, long long deadline_ms, int nonblock)
{
    struct sockaddr_un sun;
    struct timeval tv;
    size_t len = strlen(path);
    int fd, rc;

    if (len >= sizeof(sun.sun_path)) {
        return -ENAMETOOLONG;
    }
    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    memcpy(sun.sun_path, path, len + 1);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -errno;
    }
    for (;;) {
        long long left = deadline_ms - mh_clock_read(CLOCK_MONOTONIC, 1000);

        if (left <= 0) {
            rc = MH_E_TIMEOUT;
            goto fail;
        }
        /* a zero timeout would mean none: left is at least 1 ms here */
        tv.tv_sec = (time_t) (left / 1000);
        tv.tv_usec = (suseconds_t) (left % 1000) * 1000;
        if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0) {
            rc = -errno;
            goto fail;
        }
        if (connect(fd, (struct sockaddr *) &sun, sizeof(sun)) == 0) {
            break;
        }
        /* EAGAIN: the queue stayed full for the timeout; EINTR: a
         * signal.  A unix socket is still unconnected: try again. */
        if (errno != EAGAIN && errno != EINTR) {
            rc = -errno;
            goto fail;
        }
    }
    memset(&tv, 0, sizeof(tv));
    if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0) {
        rc = -errno;
        goto fail;
    }
    if (nonblock) {
        int fl = fcntl(fd, F_GETFL);

        if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0) {
            rc = -errno;
            goto fail;
        }
    }
    return fd;

  fail:
    close(fd);
    return rc;
}
