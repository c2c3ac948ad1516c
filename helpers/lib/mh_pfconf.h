// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_pfconf 3h
 * SUMMARY
 *	read Postfix parameters for a config directory, the one way
 * DESCRIPTION
 *	Every helper reads Postfix's configuration through this module,
 *	which asks the real postconf(1) ("postconf -c DIR -x NAME...")
 *	so that defaults, $name expansion and the installed Postfix
 *	version's rules are Postfix's own, never re-implemented here.
 *	The postconf program is MAILHA_POSTCONF from the environment, else
 *	/usr/sbin/postconf.  A NULL config_dir means the default instance.
 */
#ifndef MH_PFCONF_H
#define MH_PFCONF_H

#include <stddef.h>

struct mh_pfconf_entry {
    char *name;
    char *value;
};

struct mh_pfconf {
    struct mh_pfconf_entry *entries;
    size_t count;
    char errbuf[256];        /* reason of the last failure */
};

/* mh_pfconf_read - read NAMES (n of them); 0 or a negative code */
int mh_pfconf_read(struct mh_pfconf *conf, const char *config_dir,
                   const char *const *names, size_t n);

/* mh_pfconf_get - a value read before, or NULL */
const char *mh_pfconf_get(const struct mh_pfconf *conf, const char *name);

/* mh_pfconf_parse_line - split "name = value" (in place); 0 or MH_E_PARSE */
int mh_pfconf_parse_line(char *line, char **name, char **value);

/* mh_pfconf_time - a Postfix time value: digits, then an optional unit
 * s, m, h, d or w (default s); 0 or MH_E_PARSE */
int mh_pfconf_time(const char *v, unsigned long long *secs);

/* mh_pfconf_free - release what mh_pfconf_read allocated */
void mh_pfconf_free(struct mh_pfconf *conf);

#endif
