// SPDX-License-Identifier: GPL-2.0-or-later
/* test_logscan - unit tests of mailha-logscan's modules: the line
 * classifier (grep's matching rules, worst class per line), the block
 * reader (partial lines, lines longer than the buffer) and the cursor
 * (format, parse, atomic save, resume after rotation, truncation and
 * rewrite). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "mh_rc.h"
#include "wrap.h"
#include "../../helpers/logscan/logscan_class.h"
#include "../../helpers/logscan/logscan_cursor.h"
#include "../../helpers/logscan/logscan_read.h"

#define CL(s) mh_lsc_classify_line((s), sizeof(s) - 1)

/* read(), write() and pread(), wrapped (the Makefile links this test with
 * -Wl,--wrap=read,--wrap=write,--wrap=pread): the real ones, but the next
 * fake_read_intr reads, fake_write_intr writes and fake_pread_intr preads
 * fail with EINTR (a signal), and the next fake_write_zero writes put
 * nothing, before the real call runs. */
ssize_t __real_read(int fd, void *buf, size_t len);
ssize_t __wrap_read(int fd, void *buf, size_t len);
ssize_t __real_write(int fd, const void *buf, size_t len);
ssize_t __wrap_write(int fd, const void *buf, size_t len);
ssize_t __real_pread(int fd, void *buf, size_t len, off_t off);
ssize_t __wrap_pread(int fd, void *buf, size_t len, off_t off);
static int fake_read_intr;
static int fake_write_intr;
static int fake_write_zero;
static int fake_pread_intr;

ssize_t
__wrap_read(int fd, void *buf, size_t len)
{
    if (wrap_fail(&fake_read_intr, EINTR))
        return -1;
    return __real_read(fd, buf, len);
}

ssize_t
__wrap_write(int fd, const void *buf, size_t len)
{
    if (wrap_fail(&fake_write_intr, EINTR))
        return -1;
    if (wrap_fail(&fake_write_zero, 0))
        return 0;
    return __real_write(fd, buf, len);
}

ssize_t
__wrap_pread(int fd, void *buf, size_t len, off_t off)
{
    if (wrap_fail(&fake_pread_intr, EINTR))
        return -1;
    return __real_pread(fd, buf, len, off);
}

static void
test_classify_tokens(void **state)
{
    assert_int_equal(CL("postfix/smtpd[1]: NOQUEUE: reject: RCPT"), MH_LSC_REJECT);
    assert_int_equal(CL("smtpd[1]: warning: hostname"), MH_LSC_WARNING);
    assert_int_equal(CL("local[1]: error: open database"), MH_LSC_ERROR);
    assert_int_equal(CL("master[1]: fatal: bind"), MH_LSC_FATAL);
    assert_int_equal(CL("smtpd[1]: panic: myfree"), MH_LSC_PANIC);
    /* grep matches the token anywhere, also inside a word */
    assert_int_equal(CL("xerror:"), MH_LSC_ERROR);
    assert_int_equal(CL("error:"), MH_LSC_ERROR);
    /* every token at the very start of the line (no byte before it) */
    assert_int_equal(CL("reject: x"), MH_LSC_REJECT);
    assert_int_equal(CL("warning: x"), MH_LSC_WARNING);
    assert_int_equal(CL("fatal: x"), MH_LSC_FATAL);
    assert_int_equal(CL("panic: x"), MH_LSC_PANIC);
    assert_int_equal(CL("terror:tail"), MH_LSC_ERROR);
    /* and nothing else: case, a space before the colon, no colon */
    assert_int_equal(CL("Error: no"), MH_LSC_NONE);
    assert_int_equal(CL("WARNING: no"), MH_LSC_NONE);
    assert_int_equal(CL("error : no"), MH_LSC_NONE);
    assert_int_equal(CL("error no"), MH_LSC_NONE);
    assert_int_equal(CL(":error"), MH_LSC_NONE);
    assert_int_equal(CL("rror:"), MH_LSC_NONE);
    assert_int_equal(CL(""), MH_LSC_NONE);
    assert_int_equal(CL(":"), MH_LSC_NONE);
    assert_int_equal(CL("10:00:00 host x[1]: connect from"), MH_LSC_NONE);
}

static void
test_classify_worst(void **state)
{
    assert_int_equal(CL("warning: then panic: too"), MH_LSC_PANIC);
    assert_int_equal(CL("reject: x error: y warning: z"), MH_LSC_ERROR);
    assert_int_equal(CL("fatal:error:"), MH_LSC_FATAL);
    /* NUL and high bytes are just bytes */
    assert_int_equal(CL("\0\xff\xfe fatal:\0"), MH_LSC_FATAL);
    assert_int_equal(CL("fat\0al:"), MH_LSC_NONE);
    assert_string_equal(mh_lsc_name(MH_LSC_PANIC), "panic");
    assert_string_equal(mh_lsc_name(99), "none");
    /* the bounds of the name table */
    assert_string_equal(mh_lsc_name(MH_LSC_NCLASS), "none");
    assert_string_equal(mh_lsc_name(MH_LSC_NCLASS - 1), "panic");
    assert_string_equal(mh_lsc_name(-1), "none");
}

struct seen {
    char text[1024];
    size_t len;
    int n;
};

static int
collect(void *ctx, const char *line, size_t len, int cls)
{
    struct seen *s = ctx;

    assert_true(s->len + len + 3 < sizeof(s->text));
    s->text[s->len++] = (char) ('0' + cls);
    memcpy(s->text + s->len, line, len);
    s->len += len;
    s->text[s->len++] = '|';
    s->text[s->len] = '\0';
    s->n++;
    return 0;
}

static int
stop_at_first(void *ctx, const char *line, size_t len, int cls)
{
    (void) line;
    (void) len;
    (void) cls;
    (*(int *) ctx)++;
    return EPIPE;
}

static void
test_scan_lines(void **state)
{
    static const char buf[] =
        "a error: one\n"
        "b nothing: here\n"
        "\n"
        "c warning: x panic: y\n"
        "reject:\n"
        "d last fatal: no newline";
    struct mh_lsc_counts c;
    struct seen s;
    int n = 0;

    memset(&c, 0, sizeof(c));
    memset(&s, 0, sizeof(s));
    assert_int_equal(mh_lsc_scan(buf, sizeof(buf) - 1, &c, collect, &s), 0);
    assert_int_equal(c.matched, 4);
    assert_int_equal(c.by_class[MH_LSC_ERROR], 1);
    assert_int_equal(c.by_class[MH_LSC_PANIC], 1);
    assert_int_equal(c.by_class[MH_LSC_REJECT], 1);
    assert_int_equal(c.by_class[MH_LSC_FATAL], 1);
    assert_int_equal(c.by_class[MH_LSC_WARNING], 0);
    assert_string_equal(s.text, "3a error: one|5c warning: x panic: y|1reject:|4d last fatal: no newline|");

    /* a callback's error stops the scan and comes back */
    memset(&c, 0, sizeof(c));
    assert_int_equal(mh_lsc_scan(buf, sizeof(buf) - 1, &c, stop_at_first, &n), EPIPE);
    assert_int_equal(n, 1);

    /* tiny and empty buffers */
    memset(&c, 0, sizeof(c));
    assert_int_equal(mh_lsc_scan("", 0, &c, NULL, NULL), 0);
    assert_int_equal(mh_lsc_scan(":", 1, &c, NULL, NULL), 0);
    assert_int_equal(mh_lsc_scan("\n\n", 2, &c, NULL, NULL), 0);
    assert_int_equal(c.matched, 0);
    /* a token at the very start of the buffer */
    assert_int_equal(mh_lsc_scan("warning: a\npanic: b\n", 20, &c, NULL, NULL), 0);
    assert_int_equal(c.matched, 2);
    assert_int_equal(c.by_class[MH_LSC_WARNING], 1);
    assert_int_equal(c.by_class[MH_LSC_PANIC], 1);
}

/* write_file - a temp file with this content; its path in path */
static void
write_file(const char *path, const char *data, size_t len, int append)
{
    int fd = open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0600);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t) len);
    close(fd);
}

static void
test_read_partial(void **state)
{
    char path[] = "/tmp/mh-lsread-XXXXXX";
    struct mh_lsread_result res;
    struct mh_lsc_counts c;
    char why[256];
    int fd = mkstemp(path);

    assert_true(fd >= 0);
    close(fd);
    write_file(path, "x error: 1\ny fatal: partial", 27, 0);
    fd = open(path, O_RDONLY);
    assert_true(fd >= 0);

    /* incremental mode: the partial line is neither counted nor passed */
    memset(&c, 0, sizeof(c));
    assert_int_equal(mh_lsread_scan(fd, 0, 0, &c, NULL, NULL, &res, why, sizeof(why)), 0);
    assert_int_equal(c.matched, 1);
    assert_int_equal(res.end_off, 11);
    assert_int_equal(res.bytes, 27);
    assert_true(res.partial);

    /* grep mode: it is */
    memset(&c, 0, sizeof(c));
    assert_int_equal(mh_lsread_scan(fd, 0, 1, &c, NULL, NULL, &res, why, sizeof(why)), 0);
    assert_int_equal(c.matched, 2);
    assert_int_equal(c.by_class[MH_LSC_FATAL], 1);
    assert_int_equal(res.end_off, 27);

    /* from an offset */
    memset(&c, 0, sizeof(c));
    assert_int_equal(mh_lsread_scan(fd, 11, 1, &c, NULL, NULL, &res, why, sizeof(why)), 0);
    assert_int_equal(c.matched, 1);
    assert_int_equal(res.bytes, 16);
    close(fd);

    /* a bad descriptor: a code and a reason */
    assert_true(mh_lsread_scan(-1, 0, 1, &c, NULL, NULL, &res, why, sizeof(why)) < 0);
    assert_non_null(strstr(why, "seek"));
    unlink(path);
}

static void
test_read_long_line(void **state)
{
    char path[] = "/tmp/mh-lsread-XXXXXX";
    size_t big = 3 * MH_LSREAD_BLOCK + 17;
    struct mh_lsread_result res;
    struct mh_lsc_counts c;
    char why[256];
    char *line = malloc(big + 1);
    int fd = mkstemp(path);

    assert_non_null(line);
    assert_true(fd >= 0);
    close(fd);
    /* a token split across every buffer boundary a naive reader has */
    memset(line, 'a', big);
    memcpy(line + MH_LSREAD_BLOCK - 3, "panic:", 6);
    line[big] = '\n';
    write_file(path, "short warning: 1\n", 17, 0);
    write_file(path, line, big + 1, 1);
    write_file(path, "reject: end\n", 12, 1);
    fd = open(path, O_RDONLY);
    memset(&c, 0, sizeof(c));
    assert_int_equal(mh_lsread_scan(fd, 0, 0, &c, NULL, NULL, &res, why, sizeof(why)), 0);
    assert_int_equal(c.matched, 3);
    assert_int_equal(c.by_class[MH_LSC_PANIC], 1);
    assert_int_equal(c.by_class[MH_LSC_WARNING], 1);
    assert_int_equal(c.by_class[MH_LSC_REJECT], 1);
    assert_int_equal(res.end_off, (off_t) (17 + big + 1 + 12));
    assert_false(res.partial);
    close(fd);
    unlink(path);
    free(line);
}

/* test_cursor_hash - FNV-1a 64, against known values (the cursor files of
 * an older build must still match after an upgrade) */
static void
test_cursor_hash(void **state)
{
    (void) state;
    assert_true(mh_lscursor_hash("", 0) == 0xcbf29ce484222325ULL);
    assert_true(mh_lscursor_hash("a", 1) == 0xaf63dc4c8601ec8cULL);
    assert_true(mh_lscursor_hash("foobar", 6) == 0x85944171f73967e8ULL);
}

static void
test_cursor_text(void **state)
{
    struct mh_lscursor a, b;
    char text[512];
    int len;

    memset(&a, 0, sizeof(a));
    a.dev = 2049;
    a.ino = 131075;
    a.offset = 81920;
    a.tail_len = 64;
    a.tail_hash = 0x9c4a1e0f3b2d7a65ULL;
    strcpy(a.health, "yellow");
    a.health_since = 1764288000;
    strcpy(a.published, "green");
    a.published_at = 1764287000;
    len = mh_lscursor_format(&a, text, sizeof(text));
    assert_true(len > 0);
    assert_int_equal(mh_lscursor_parse(text, (size_t) len, &b), 0);
    assert_true(b.valid);
    assert_int_equal(b.dev, a.dev);
    assert_int_equal(b.ino, a.ino);
    assert_int_equal(b.offset, a.offset);
    assert_int_equal(b.tail_len, 64);
    assert_int_equal(b.tail_hash, a.tail_hash);
    assert_string_equal(b.health, "yellow");
    assert_int_equal(b.health_since, a.health_since);
    assert_string_equal(b.published, "green");
    /* too small a buffer */
    assert_int_equal(mh_lscursor_format(&a, text, 20), MH_E_TOOLONG);

    /* what is not a cursor */
#define BAD(s) assert_int_equal(mh_lscursor_parse((s), sizeof(s) - 1, &b), MH_E_PARSE)
    BAD("");
    BAD("garbage\n");
    BAD("mailha-logscan-cursor 1\ndev 1\nino 2\noffset 3\n");            /* no tail */
    BAD("mailha-logscan-cursor 1\ndev 1\nino 2\noffset 3\ntail 65 0\n"); /* tail > 64 */
    BAD("mailha-logscan-cursor 1\ndev 1\nino 2\noffset 3\ntail 3 0\nhealth purple 1\n");
    BAD("mailha-logscan-cursor 1\ndev 1\nino 2\noffset 18446744073709551615\ntail 3 0\n");
    BAD("mailha-logscan-cursor 1\ndev 1\0\nino 2\noffset 3\ntail 3 0\n");
    BAD("mailha-logscan-cursor 2\ndev 1\nino 2\noffset 3\ntail 3 0\n");
#undef BAD
    assert_false(b.valid);
    /* unknown keys of a later version are ignored */
    assert_int_equal(mh_lscursor_parse("mailha-logscan-cursor 1\ndev 1\nino 2\noffset 3\n"
                                       "tail 3 ab\nfuture 7\n", 56, &b), 0);
    assert_int_equal(b.tail_hash, 0xab);
}

/* The bounds of each value, and a bad line among good ones: a complete
 * cursor with one bad line is still not a cursor. */
static void
test_cursor_parse_bounds(void **state)
{
    struct mh_lscursor b;
    char text[512];
    int len;

#define GOOD "mailha-logscan-cursor 1\ndev 1\nino 2\noffset 3\ntail 3 ab\n"
#define PARSE(s) mh_lscursor_parse((s), sizeof(s) - 1, &b)
    assert_int_equal(PARSE(GOOD), 0);
    assert_true(b.valid);
    /* the largest offset an off_t holds, and one more */
    assert_int_equal(PARSE(GOOD "offset 9223372036854775807\n"), 0);
    assert_true(b.offset == INT64_MAX);
    assert_int_equal(PARSE(GOOD "offset 9223372036854775808\n"), MH_E_PARSE);
    assert_false(b.valid);
    assert_int_equal(PARSE(GOOD "tail 64 0\n"), 0);
    assert_int_equal(b.tail_len, 64);
    assert_int_equal(PARSE(GOOD "tail 65 0\n"), MH_E_PARSE);
    assert_int_equal(PARSE(GOOD "health purple 1\n"), MH_E_PARSE);
    assert_int_equal(PARSE(GOOD "published red 5\n"), 0);
    assert_string_equal(b.published, "red");
    assert_int_equal(b.published_at, 5);
    assert_int_equal(PARSE(GOOD "published purple 1\n"), MH_E_PARSE);
    assert_false(b.valid);
#undef PARSE

    /* a line of 127 bytes is read (an unknown key, ignored); 128 bytes
     * is more than any line of the format: not a cursor */
    len = snprintf(text, sizeof(text), GOOD "%0127d\n", 0);
    assert_int_equal(mh_lscursor_parse(text, (size_t) len, &b), 0);
    assert_true(b.valid);
    len = snprintf(text, sizeof(text), GOOD "%0128d\n", 0);
    assert_int_equal(mh_lscursor_parse(text, (size_t) len, &b), MH_E_PARSE);
    assert_false(b.valid);
#undef GOOD
}

/* The buffer must hold the text and its '\0': a buffer of exactly the
 * text's length is too small. */
static void
test_cursor_format_size(void **state)
{
    struct mh_lscursor a;
    char text[512], small[512];
    int len;

    memset(&a, 0, sizeof(a));
    a.dev = 2049;
    a.ino = 131075;
    a.offset = 81920;
    a.tail_len = 64;
    a.tail_hash = 0x9c4a1e0f3b2d7a65ULL;
    strcpy(a.health, "yellow");
    a.health_since = 1764288000;
    strcpy(a.published, "green");
    a.published_at = 1764287000;
    len = mh_lscursor_format(&a, text, sizeof(text));
    assert_true(len > 0);
    assert_int_equal(strlen(text), (size_t) len);
    assert_int_equal(mh_lscursor_format(&a, small, (size_t) len + 1), len);
    assert_string_equal(small, text);
    assert_int_equal(mh_lscursor_format(&a, small, (size_t) len), MH_E_TOOLONG);
    /* cut inside the published line, and inside the health line */
    assert_int_equal(mh_lscursor_format(&a, small, (size_t) len - 20), MH_E_TOOLONG);
    assert_int_equal(mh_lscursor_format(&a, small, (size_t) len - 40), MH_E_TOOLONG);
}

static void
test_cursor_save_load(void **state)
{
    char dir[] = "/tmp/mh-lscur-XXXXXX";
    char path[256];
    struct mh_lscursor a, b;
    char why[256];
    DIR *d;
    struct dirent *de;
    int files = 0;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/cursor", dir);
    assert_int_equal(mh_lscursor_load(path, &b, why, sizeof(why)), -ENOENT);
    memset(&a, 0, sizeof(a));
    a.dev = 1;
    a.ino = 2;
    a.offset = 3;
    a.tail_len = 3;
    a.tail_hash = 42;
    assert_int_equal(mh_lscursor_save(path, &a, why, sizeof(why)), 0);
    a.offset = 4;
    assert_int_equal(mh_lscursor_save(path, &a, why, sizeof(why)), 0);
    assert_int_equal(mh_lscursor_load(path, &b, why, sizeof(why)), 0);
    assert_int_equal(b.offset, 4);
    /* temp + rename leaves one file behind */
    d = opendir(dir);
    while ((de = readdir(d)) != NULL) {
        files += de->d_name[0] != '.';
    }
    closedir(d);
    assert_int_equal(files, 1);

    /* garbage in the cursor file: MH_E_PARSE, with a reason */
    write_file(path, "junk\n", 5, 0);
    assert_int_equal(mh_lscursor_load(path, &b, why, sizeof(why)), MH_E_PARSE);
    assert_non_null(strstr(why, "not a mailha-logscan cursor"));
    unlink(path);

    /* a directory that does not exist */
    snprintf(path, sizeof(path), "%s/no/such/cursor", dir);
    assert_int_equal(mh_lscursor_save(path, &a, why, sizeof(why)), -ENOENT);
    assert_non_null(strstr(why, "create"));
    rmdir(dir);
}

/* resume_how - PATH rewritten with TEXT (LEN bytes; appended when APPEND),
 * opened afresh: how mh_lscursor_resume with CUR takes it up, *START set */
static int
resume_how(const char *path, const char *text, size_t len, int append,
           const struct mh_lscursor *cur, off_t *start)
{
    struct stat st;
    int fd, how;

    write_file(path, text, len, append);
    fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(fstat(fd, &st), 0);
    how = mh_lscursor_resume(cur, fd, &st, start);
    close(fd);
    return how;
}

static void
test_cursor_resume(void **state)
{
    char path[] = "/tmp/mh-lsres-XXXXXX";
    char moved[64];
    struct mh_lscursor cur;
    struct stat st;
    off_t start;
    int fd = mkstemp(path);

    assert_true(fd >= 0);
    close(fd);
    memset(&cur, 0, sizeof(cur));
    write_file(path, "line one\nline two\n", 18, 0);
    fd = open(path, O_RDONLY);
    fstat(fd, &st);
    assert_int_equal(mh_lscursor_resume(&cur, fd, &st, &start), MH_LSCURSOR_FRESH);
    assert_int_equal(mh_lscursor_set(&cur, fd, &st, 18), 0);
    assert_int_equal(cur.tail_len, 18);
    assert_int_equal(mh_lscursor_resume(&cur, fd, &st, &start), MH_LSCURSOR_CONTINUE);
    assert_int_equal(start, 18);
    close(fd);

    /* grown: continue */
    assert_int_equal(resume_how(path, "line three\n", 11, 1, &cur, &start), MH_LSCURSOR_CONTINUE);
    assert_int_equal(start, 18);

    /* truncated (copytruncate) */
    assert_int_equal(resume_how(path, "new\n", 4, 0, &cur, &start), MH_LSCURSOR_TRUNCATED);
    assert_int_equal(start, 0);

    /* truncated and written past the old offset: other bytes before it */
    assert_int_equal(resume_how(path, "LINE ONE\nLINE TWO\nmore\n", 23, 0, &cur, &start),
                     MH_LSCURSOR_REWRITTEN);
    assert_int_equal(start, 0);

    /* renamed away, a new file: rotated */
    snprintf(moved, sizeof(moved), "%s.1", path);
    assert_int_equal(rename(path, moved), 0);
    assert_int_equal(resume_how(path, "line one\nline two\n", 18, 0, &cur, &start),
                     MH_LSCURSOR_ROTATED);
    assert_string_equal(mh_lscursor_how_name(MH_LSCURSOR_ROTATED), "rotated");
    assert_string_equal(mh_lscursor_how_name(99), "unknown");
    unlink(path);
    unlink(moved);
}

/* The cursor file on descriptor 0 (a helper started with stdin closed),
 * reads and writes interrupted by a signal, a write that puts nothing,
 * and a write refused (RLIMIT_FSIZE): a failed save leaves the old
 * cursor and no temporary file, and closes what it opened. */
static void
test_cursor_io(void **state)
{
    char dir[] = "/tmp/mh-lscur-XXXXXX";
    char path[256];
    struct mh_lscursor a, b;
    char why[256];
    struct rlimit old, zero;
    void (*oldxfsz)(int);
    DIR *d;
    struct dirent *de;
    int files, saved, rc;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/cursor", dir);
    memset(&a, 0, sizeof(a));
    a.dev = 1;
    a.ino = 2;
    a.offset = 3;
    a.tail_len = 3;
    a.tail_hash = 42;
    saved = dup(0);
    assert_true(saved > 0);

    /* save and load with descriptor 0 free */
    close(0);
    rc = mh_lscursor_save(path, &a, why, sizeof(why));
    assert_int_equal(fcntl(0, F_GETFD), -1);
    assert_int_equal(rc, 0);
    rc = mh_lscursor_load(path, &b, why, sizeof(why));
    assert_int_equal(fcntl(0, F_GETFD), -1);
    assert_int_equal(rc, 0);
    assert_true(b.valid);
    assert_int_equal(b.offset, 3);

    /* EINTR is retried, and a write that puts nothing is written again */
    a.offset = 5;
    fake_write_intr = 1;
    assert_int_equal(mh_lscursor_save(path, &a, why, sizeof(why)), 0);
    assert_int_equal(fake_write_intr, 0);
    fake_read_intr = 1;
    assert_int_equal(mh_lscursor_load(path, &b, why, sizeof(why)), 0);
    assert_int_equal(fake_read_intr, 0);
    assert_int_equal(b.offset, 5);
    a.offset = 6;
    fake_write_zero = 1;
    assert_int_equal(mh_lscursor_save(path, &a, why, sizeof(why)), 0);
    assert_int_equal(fake_write_zero, 0);
    /* errno left at EINTR by someone else: the end of the file is the end */
    errno = EINTR;
    assert_int_equal(mh_lscursor_load(path, &b, why, sizeof(why)), 0);
    assert_int_equal(b.offset, 6);

    /* a failed write with descriptor 0 free: closed, removed */
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    zero = old;
    zero.rlim_cur = 0;
    oldxfsz = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &zero), 0);
    a.offset = 7;
    rc = mh_lscursor_save(path, &a, why, sizeof(why));
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, oldxfsz);
    assert_int_equal(fcntl(0, F_GETFD), -1);
    assert_int_equal(dup2(saved, 0), 0);
    close(saved);
    assert_int_equal(rc, -EFBIG);
    assert_non_null(strstr(why, "write"));
    assert_int_equal(mh_lscursor_load(path, &b, why, sizeof(why)), 0);
    assert_int_equal(b.offset, 6);

    files = 0;
    d = opendir(dir);
    while ((de = readdir(d)) != NULL) {
        files += de->d_name[0] != '.';
    }
    closedir(d);
    assert_int_equal(files, 1);
    unlink(path);
    rmdir(dir);
}

/* The tail hash: read again after EINTR, an offset past the end of the
 * file (it shrank since the stat), an offset before 0, a descriptor that
 * does not read, and a cursor whose tail is longer than its offset. */
static void
test_cursor_tail(void **state)
{
    char path[] = "/tmp/mh-lstail-XXXXXX";
    struct mh_lscursor cur, keep;
    struct stat st;
    off_t start;
    int fd = mkstemp(path);

    assert_true(fd >= 0);
    close(fd);
    write_file(path, "line one\nline two\n", 18, 0);
    fd = open(path, O_RDONLY);
    fstat(fd, &st);
    memset(&cur, 0, sizeof(cur));
    fake_pread_intr = 1;
    assert_int_equal(mh_lscursor_set(&cur, fd, &st, 18), 0);
    assert_int_equal(fake_pread_intr, 0);
    assert_true(cur.tail_hash == mh_lscursor_hash("line one\nline two\n", 18));
    keep = cur;

    errno = EINTR;
    assert_int_equal(mh_lscursor_set(&cur, fd, &st, 19), MH_E_NOTFOUND);
    errno = 0;
    assert_int_equal(mh_lscursor_set(&cur, fd, &st, 100), MH_E_NOTFOUND);
    assert_int_equal(mh_lscursor_set(&cur, fd, &st, -1), MH_E_PARSE);
    assert_int_equal(mh_lscursor_set(&cur, -1, &st, 18), -EBADF);
    assert_memory_equal(&cur, &keep, sizeof(cur));

    /* a tail longer than the offset (a cursor file edited by hand), with
     * the hash of nothing read: not this file's bytes */
    cur.offset = 3;
    cur.tail_len = 10;
    cur.tail_hash = 0;
    assert_int_equal(mh_lscursor_resume(&cur, fd, &st, &start), MH_LSCURSOR_REWRITTEN);
    assert_int_equal(start, 0);
    close(fd);
    unlink(path);
}

struct pieces {
    char *buf;
    size_t len;
    int lines;
    int cls[4];
};

/* pieces_add - collect what a line callback is given, pieces joined */
static int
pieces_add(void *ctx, const char *line, size_t len, int cls)
{
    struct pieces *p = ctx;

    p->buf = realloc(p->buf, p->len + len + 1);
    assert_non_null(p->buf);
    memcpy(p->buf + p->len, line, len);
    p->len += len;
    if (!(cls & MH_LSC_MORE)) {
        p->buf[p->len++] = '\n';
        if (p->lines < 4) {
            p->cls[p->lines] = cls;
        }
        p->lines++;
    }
    return 0;
}

/* issue 15 #7: lines over MH_LSREAD_MAX are read in constant memory,
 * counted in their worst class (tokens across the pieces' boundaries
 * too) and handed over whole, in pieces */
static void
test_read_over_long(void **state)
{
    char path[] = "/tmp/mh-lsread-XXXXXX";
    size_t big = 3 * MH_LSREAD_MAX + 123;
    struct mh_lsread_result res;
    struct mh_lsc_counts c;
    struct pieces p = { NULL, 0, 0, { 0 } };
    char why[256];
    char *line = malloc(big + 1);
    char *want;
    int fd = mkstemp(path);

    assert_non_null(line);
    assert_true(fd >= 0);
    close(fd);
    /* "error:" across the first piece's end; "fatal:" across the
     * second's (each piece after the first starts with the 7 bytes
     * kept), in a line of its own */
    memset(line, 'a', big);
    memcpy(line + MH_LSREAD_MAX - 3, "error:", 6);
    line[big] = '\n';
    write_file(path, "x reject: 1\n", 12, 0);
    write_file(path, line, big + 1, 1);
    memset(line, 'a', big);
    memcpy(line + 2 * MH_LSREAD_MAX - 7 - 3, "fatal:", 6);
    write_file(path, line, big + 1, 1);
    /* a long line with no token, then one with "warning:" at its end */
    memset(line, 'b', big);
    write_file(path, line, big + 1, 1);
    memcpy(line + big - 8, "warning:", 8);
    write_file(path, line, big + 1, 1);
    write_file(path, "y panic: unterminated", 21, 1);
    fd = open(path, O_RDONLY);
    memset(&c, 0, sizeof(c));
    assert_int_equal(mh_lsread_scan(fd, 0, 0, &c, pieces_add, &p, &res, why, sizeof(why)), 0);
    assert_int_equal(c.matched, 4);
    assert_int_equal(c.by_class[MH_LSC_REJECT], 1);
    assert_int_equal(c.by_class[MH_LSC_ERROR], 1);
    assert_int_equal(c.by_class[MH_LSC_FATAL], 1);
    assert_int_equal(c.by_class[MH_LSC_WARNING], 1);
    assert_int_equal(res.long_lines, 4);
    assert_true(res.partial);
    assert_int_equal(res.end_off, (off_t) (12 + 4 * (big + 1)));
    assert_int_equal(p.lines, 4);
    assert_int_equal(p.cls[1], MH_LSC_ERROR);
    assert_int_equal(p.cls[2], MH_LSC_FATAL);
    assert_int_equal(p.cls[3], MH_LSC_WARNING);
    /* the lines handed over are the file's, byte for byte */
    want = malloc(12 + 3 * (big + 1));
    assert_non_null(want);
    assert_int_equal(pread(fd, want, 12 + 2 * (big + 1), 0), (ssize_t) (12 + 2 * (big + 1)));
    assert_int_equal(pread(fd, want + 12 + 2 * (big + 1), big + 1, 12 + 3 * (big + 1)),
                     (ssize_t) (big + 1));
    assert_int_equal(p.len, 12 + 3 * (big + 1));
    assert_memory_equal(p.buf, want, p.len);
    /* an unterminated over-long line, counted when asked */
    write_file(path, line, big, 0);
    memset(&c, 0, sizeof(c));
    assert_int_equal(mh_lsread_scan(fd, 0, 0, &c, NULL, NULL, &res, why, sizeof(why)), 0);
    assert_int_equal(c.matched, 0);
    assert_int_equal(res.end_off, 0);
    assert_true(res.partial);
    assert_int_equal(mh_lsread_scan(fd, 0, 1, &c, NULL, NULL, &res, why, sizeof(why)), 0);
    assert_int_equal(c.by_class[MH_LSC_WARNING], 1);
    assert_int_equal(res.end_off, (off_t) big);
    close(fd);
    unlink(path);
    free(want);
    free(p.buf);
    free(line);
}

/* issue 15 #6: cursor times are checked against now, without overflow */
static void
test_cursor_recent(void **state)
{
    int64_t now = 1764288000;

    assert_int_equal(mh_lscursor_recent(now, now, 900), 1);
    assert_int_equal(mh_lscursor_recent(now - 899, now, 900), 1);
    assert_int_equal(mh_lscursor_recent(now - 900, now, 900), 0);
    assert_int_equal(mh_lscursor_recent(now, now, 0), 0);
    /* a clock stepped back: the time is in the future, not recent */
    assert_int_equal(mh_lscursor_recent(now + 1, now, 900), 0);
    assert_int_equal(mh_lscursor_recent(INT64_MAX, now, 900), 0);
    /* before the epoch, or the most negative value (signed overflow) */
    assert_int_equal(mh_lscursor_recent(-1, now, 900), 0);
    assert_int_equal(mh_lscursor_recent(INT64_MIN, now, 900), 0);
    assert_int_equal(mh_lscursor_recent(0, now, (long) INT64_MAX), 1);
    /* the epoch itself is a time like any other */
    assert_int_equal(mh_lscursor_recent(0, 0, 900), 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify_tokens),
        cmocka_unit_test(test_classify_worst),
        cmocka_unit_test(test_scan_lines),
        cmocka_unit_test(test_read_partial),
        cmocka_unit_test(test_read_long_line),
        cmocka_unit_test(test_cursor_hash),
        cmocka_unit_test(test_cursor_text),
        cmocka_unit_test(test_cursor_parse_bounds),
        cmocka_unit_test(test_cursor_format_size),
        cmocka_unit_test(test_cursor_io),
        cmocka_unit_test(test_cursor_tail),
        cmocka_unit_test(test_cursor_save_load),
        cmocka_unit_test(test_cursor_resume),
        cmocka_unit_test(test_cursor_recent),
        cmocka_unit_test(test_read_over_long),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
