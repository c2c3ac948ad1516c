/*
 * NAME
 *	mh_probemsg 3h
 * SUMMARY
 *	find and remove one probe message from an mbox or a maildir
 * DESCRIPTION
 *	The delivery probe sends a message carrying a unique token in an
 *	"X-Mailha-Probe: TOKEN" header, then waits for it in the
 *	recipient's mailbox and removes exactly that message, and nothing
 *	else.  These functions do one look each; the caller loops until
 *	its deadline.
 */
#ifndef MH_PROBEMSG_H
#define MH_PROBEMSG_H

#include <stddef.h>

#define MH_PROBEMSG_HEADER "X-Mailha-Probe"

/* mh_probemsg_mbox_find - the span [start, end) of the message with TOKEN */
int mh_probemsg_mbox_find(const char *buf, size_t len, const char *token,
                    size_t *start, size_t *end);

/* mh_probemsg_mbox_remove - remove the message under Postfix's locks */
int mh_probemsg_mbox_remove(const char *path, const char *token, long long deadline,
                      char *why, size_t whylen);

/* mh_probemsg_maildir_remove - unlink the one file in new/ or cur/ with TOKEN */
int mh_probemsg_maildir_remove(const char *path, const char *token, char *why, size_t whylen);

/* mh_probemsg_header_has - true when the header block of BUF has the token line */
int mh_probemsg_header_has(const char *buf, size_t len, const char *token);

#endif
