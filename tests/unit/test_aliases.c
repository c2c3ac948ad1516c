// SPDX-License-Identifier: GPL-2.0-or-later
/* test_aliases - unit tests of helpers/aliases: the aliases(5) parser,
 * table lists from alias_maps/alias_database, the stat-only freshness
 * test, SHA-256, and the checker on files in a scratch directory. */
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mh_rc.h"
#include "wrap.h"
#include "mh_alias_check.h"
#include "mh_alias_digest.h"
#include "mh_alias_parse.h"
#include "../../helpers/aliases/aliases_rebuild.h"
#include "mh_alias_tables.h"

/* read(), write() and fsync(), wrapped (the Makefile links this test
 * with -Wl,--wrap=read,--wrap=write,--wrap=fsync): the real ones, but the
 * next fake_read_intr reads and fake_write_intr writes fail with EINTR,
 * with fake_read_eio / fake_write_eio the next one fails with EIO, with
 * fake_write_short the next writes put at most that many bytes, the
 * next fake_write_zero writes put nothing and return 0, with
 * fake_read_eof_stale the next read at end of file leaves errno EINTR
 * and every read after it fails with EIO (the copy must stop at the end
 * of file, whatever errno says), and with fake_fsync_eio the next fsync
 * fails with EIO. */
ssize_t __real_read(int fd, void *buf, size_t len);
ssize_t __wrap_read(int fd, void *buf, size_t len);
ssize_t __real_write(int fd, const void *buf, size_t len);
ssize_t __wrap_write(int fd, const void *buf, size_t len);
int __real_fsync(int fd);
int __wrap_fsync(int fd);
static int fake_read_intr;
static int fake_read_eio;
static int fake_read_eof_stale;
static int fake_write_intr;
static int fake_write_eio;
static size_t fake_write_short;
static int fake_write_zero;
static int fake_fsync_eio;

ssize_t
__wrap_read(int fd, void *buf, size_t len)
{
    ssize_t n;

    if (wrap_fail(&fake_read_intr, EINTR))
        return -1;
    if (fake_read_eio > 0 || fake_read_eof_stale > 1) {
        if (fake_read_eio > 0) {
            fake_read_eio--;
        }
        errno = EIO;
        return -1;
    }
    n = __real_read(fd, buf, len);
    if (n == 0 && fake_read_eof_stale == 1) {
        fake_read_eof_stale = 2;
        errno = EINTR;
    }
    return n;
}

ssize_t
__wrap_write(int fd, const void *buf, size_t len)
{
    if (wrap_fail(&fake_write_intr, EINTR))
        return -1;
    if (wrap_fail(&fake_write_eio, EIO))
        return -1;
    if (wrap_fail(&fake_write_zero, 0))
        return 0;
    if (fake_write_short > 0 && len > fake_write_short) {
        len = fake_write_short;
    }
    return __real_write(fd, buf, len);
}

int
__wrap_fsync(int fd)
{
    if (wrap_fail(&fake_fsync_eio, EIO))
        return -1;
    return __real_fsync(fd);
}

struct rec {
    char out[8192];     /* "name|kind:text|kind:text\n" per entry */
    char diags[8192];   /* "line:severity:message\n" */
};

static void
rec_entry(void *ctx, const struct alias_entry *e)
{
    struct rec *r = ctx;
    size_t n = strlen(r->out);

    n += (size_t) snprintf(r->out + n, sizeof(r->out) - n, "%zu %s", e->line, e->name);
    for (size_t i = 0; i < e->ntargets; i++) {
        n += (size_t) snprintf(r->out + n, sizeof(r->out) - n, "|%s:%s",
                               alias_kind_str(e->targets[i].kind), e->targets[i].text);
    }
    snprintf(r->out + n, sizeof(r->out) - n, "\n");
}

static void
rec_target(void *ctx, size_t line, const struct alias_target *t)
{
    struct rec *r = ctx;
    size_t n = strlen(r->out);

    snprintf(r->out + n, sizeof(r->out) - n, "%zu %s:%s\n", line, alias_kind_str(t->kind),
             t->text);
}

static void
rec_diag(void *ctx, enum alias_severity sev, size_t line, const char *msg)
{
    struct rec *r = ctx;
    size_t n = strlen(r->diags);

    snprintf(r->diags + n, sizeof(r->diags) - n, "%zu:%s:%s\n", line,
             alias_severity_str(sev), msg);
}

static void
parse(struct rec *r, const char *text, size_t len, int include)
{
    struct alias_parse_cb cb = { rec_entry, rec_target, rec_diag, r };

    memset(r, 0, sizeof(*r));
    if (include) {
        assert_int_equal(alias_parse_include_buf(text, len, &cb), 0);
    } else {
        assert_int_equal(alias_parse_buf(text, len, &cb), 0);
    }
}

static void
test_parse_good(void **state)
{
    static const char text[] =
        "# comment\n"
        "\n"
        "Postmaster: Root\n"
        "team: alice,\n"
        "   bob ,\n"
        "\t# a comment inside a continuation\n"
        "   Carol@Example.ORG\n"
        "\"odd name\": \"|/usr/bin/prog -x\", /var/log/mail.copy\r\n"
        "list: :include:/etc/postfix/lists/list\n"
        "angle: <dave@example.org>\n"
        "quoted: \"|/bin/echo a, b\", c\n";
    struct rec r;

    parse(&r, text, sizeof(text) - 1, 0);
    assert_string_equal(r.diags, "");
    assert_string_equal(r.out,
                        "3 postmaster|local:root\n"
                        "4 team|local:alice|local:bob|address:Carol@Example.ORG\n"
                        "8 odd name|command:|/usr/bin/prog -x|file:/var/log/mail.copy\n"
                        "9 list|include:/etc/postfix/lists/list\n"
                        "10 angle|address:dave@example.org\n"
                        "11 quoted|command:|/bin/echo a, b|local:c\n");
}

/* test_parse_set_fast - the switch between the parsers says what it was */
static void
test_parse_set_fast(void **state)
{
    int old = alias_parse_set_fast(1);

    assert_int_equal(alias_parse_set_fast(0), 1);
    assert_int_equal(alias_parse_set_fast(1), 0);
    assert_int_equal(alias_parse_set_fast(7), 1);
    assert_int_equal(alias_parse_set_fast(old), 1);
}

static void
test_parse_errors(void **state)
{
    static const char text[] =
        "  leading continuation\n"
        "no colon here\n"
        "a, b: c\n"
        "user@host: x\n"
        "pct%x: y\n"
        "empty:\n"
        "   \n"
        "quote: \"abc\n"
        ": nothing\n"
        "inc: :include:\n"
        "rel: :include:relative/file\n"
        "ok: fine\n"
        "two words: x\n"
        "angles: <>\n";
    struct rec r;

    parse(&r, text, sizeof(text) - 1, 0);
    assert_non_null(strstr(r.diags, "1:error:continuation line without an alias entry"));
    assert_non_null(strstr(r.diags, "2:error:need name:value pair (no ':'"));
    assert_non_null(strstr(r.diags, "3:error:need name:value pair (a comma"));
    assert_non_null(strstr(r.diags, "4:error:alias name \"user@host\" must be local"));
    assert_non_null(strstr(r.diags, "5:error:alias name \"pct%x\" must be local"));
    assert_non_null(strstr(r.diags, "6:error:alias \"empty\" has no destination"));
    assert_non_null(strstr(r.diags, "8:error:unterminated quoted string"));
    assert_non_null(strstr(r.diags, "9:error:empty alias name"));
    assert_non_null(strstr(r.diags, "10:error::include: without a file name"));
    assert_non_null(strstr(r.diags, "11:warning::include:relative/file is not an absolute"));
    assert_non_null(strstr(r.diags, "13:error:alias name \"two words\" has unquoted blanks"));
    assert_non_null(strstr(r.diags, "14:error:empty destination <>"));
    /* the relative include is still an entry (local bounces, postalias keeps it) */
    assert_string_equal(r.out, "11 rel|include:relative/file\n12 ok|local:fine\n");
}

static void
test_parse_hostile(void **state)
{
    size_t big = ALIAS_MAX_LOGICAL_LINE + 100;
    char *buf = malloc(big + 64);
    struct rec r;
    static const char nul[] = "a: b\0c\nok: d\n";

    assert_non_null(buf);
    memcpy(buf, "long: ", 6);
    memset(buf + 6, 'x', big);
    memcpy(buf + 6 + big, "\nafter: y\n", 10);
    parse(&r, buf, 6 + big + 10, 0);
    assert_string_equal(r.diags, "1:error:entry longer than 1048576 bytes\n");
    assert_string_equal(r.out, "2 after|local:y\n");
    free(buf);

    parse(&r, nul, sizeof(nul) - 1, 0);
    assert_string_equal(r.diags, "1:error:NUL byte in the entry\n");
    assert_string_equal(r.out, "2 ok|local:d\n");

    /* no trailing newline, only blanks, empty input */
    parse(&r, "x: y", 4, 0);
    assert_string_equal(r.out, "1 x|local:y\n");
    parse(&r, "   \n\t\n", 6, 0);
    assert_string_equal(r.out, "");
    assert_string_equal(r.diags, "");
    parse(&r, "", 0, 0);
    assert_string_equal(r.out, "");
}

static void
test_parse_include(void **state)
{
    static const char text[] = "# members\nAlice\nbob, carol@x.org\n\n  \"|cmd a\"\n"
        ":include:/etc/more\nbad\0line\n";
    struct rec r;

    parse(&r, text, sizeof(text) - 1, 1);
    assert_string_equal(r.out, "2 local:alice\n3 local:bob\n3 address:carol@x.org\n"
                        "5 command:|cmd a\n6 include:/etc/more\n");
    assert_string_equal(r.diags, "7:error:NUL byte in the line\n");
}

static void
test_tables(void **state)
{
    struct alias_config cfg;

    memset(&cfg, 0, sizeof(cfg));
    assert_int_equal(alias_config_set(&cfg,
                                      "hash:/etc/aliases, nis:mail.aliases proxy:btree:/x/y,"
                                      " /plain inline:{a=b, c=d} lmdb:/l cdb:/c texthash:/t",
                                      "hash:/etc/aliases, hash:/only/db", "hash"), MH_OK);
    assert_int_equal(cfg.ntables, 9);
    assert_string_equal(cfg.tables[0].spec, "hash:/etc/aliases");
    assert_string_equal(cfg.tables[0].db, "/etc/aliases.db");
    assert_true(cfg.tables[0].in_maps && cfg.tables[0].in_database);
    assert_null(cfg.tables[1].source);          /* nis */
    assert_string_equal(cfg.tables[2].type, "btree");
    assert_string_equal(cfg.tables[2].db, "/x/y.db");
    assert_string_equal(cfg.tables[3].type, "hash");    /* default type */
    assert_string_equal(cfg.tables[3].source, "/plain");
    assert_string_equal(cfg.tables[4].spec, "inline:{a=b, c=d}");
    assert_null(cfg.tables[4].source);
    assert_string_equal(cfg.tables[5].db, "/l.lmdb");
    assert_string_equal(cfg.tables[6].db, "/c.cdb");
    assert_null(cfg.tables[7].db);              /* texthash: no database */
    assert_string_equal(cfg.tables[7].source, "/t");
    assert_false(cfg.tables[8].in_maps);
    assert_true(cfg.tables[8].in_database);
    alias_config_free(&cfg);
}

static void
test_fresh(void **state)
{
    char dir[] = "/tmp/mh-al-unit-XXXXXX";
    char src[128], db[128], why[256];
    struct alias_table t;
    struct timespec ts[2];

    assert_non_null(mkdtemp(dir));
    snprintf(src, sizeof(src), "%s/aliases", dir);
    snprintf(db, sizeof(db), "%s/aliases.db", dir);
    memset(&t, 0, sizeof(t));
    t.spec = "hash:x";
    t.type = "hash";
    t.source = src;
    t.db = db;
    assert_int_equal(alias_table_fresh(&t, why, sizeof(why)), ALIAS_NO_SOURCE);
    close(open(src, O_CREAT | O_WRONLY, 0644));
    assert_int_equal(alias_table_fresh(&t, why, sizeof(why)), ALIAS_NO_DB);
    close(open(db, O_CREAT | O_WRONLY, 0644));
    /* same second, source 1 ns later: stale (Postfix would miss it) */
    ts[0].tv_sec = ts[1].tv_sec = 1700000000;
    ts[0].tv_nsec = ts[1].tv_nsec = 500;
    assert_int_equal(utimensat(AT_FDCWD, db, ts, 0), 0);
    ts[0].tv_nsec = ts[1].tv_nsec = 501;
    assert_int_equal(utimensat(AT_FDCWD, src, ts, 0), 0);
    assert_int_equal(alias_table_fresh(&t, why, sizeof(why)), ALIAS_STALE);
    assert_non_null(strstr(why, "is older than source file"));
    ts[0].tv_nsec = ts[1].tv_nsec = 500;
    assert_int_equal(utimensat(AT_FDCWD, src, ts, 0), 0);
    assert_int_equal(alias_table_fresh(&t, why, sizeof(why)), ALIAS_FRESH);
    unlink(src);
    unlink(db);
    rmdir(dir);
}

static void
test_sha256(void **state)
{
    struct alias_sha256 s;
    char hex[65];
    char million[1000];

    alias_sha256_init(&s);
    alias_sha256_hex(&s, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    alias_sha256_init(&s);
    alias_sha256_update(&s, "abc", 3);
    alias_sha256_hex(&s, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    alias_sha256_init(&s);
    alias_sha256_update(&s, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56);
    alias_sha256_hex(&s, hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    memset(million, 'a', sizeof(million));
    alias_sha256_init(&s);
    for (int i = 0; i < 1000; i++) {
        alias_sha256_update(&s, million, sizeof(million));
    }
    alias_sha256_hex(&s, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    /* 55 bytes: the padding and the length just fit in one block; 64
     * bytes: one whole block, read from an exact-size heap copy so that
     * ASan sees a read past it */
    {
        char *b = malloc(64);

        assert_non_null(b);
        memset(b, 'a', 55);
        alias_sha256_init(&s);
        alias_sha256_update(&s, b, 55);
        alias_sha256_hex(&s, hex);
        assert_string_equal(hex, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
        free(b);
        b = malloc(64);
        assert_non_null(b);
        memset(b, 'b', 64);
        alias_sha256_init(&s);
        alias_sha256_update(&s, b, 64);
        alias_sha256_hex(&s, hex);
        assert_string_equal(hex, "a0fab1377f49a759b57f63318262ebe89fabfc990e8e93ceac2984561482b9d4");
        free(b);
    }
}

static void
write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* test_config_read - alias_config_read through the real postconf: the
 * settings it keeps, and Postfix's defaults when they are not set */
static void
test_config_read(void **state)
{
    char dir[] = "/tmp/mh-alcfg-XXXXXX";
    char path[256];
    struct alias_config cfg;

    (void) state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/master.cf", dir);
    write_file(path, "");
    snprintf(path, sizeof(path), "%s/main.cf", dir);
    write_file(path, "compatibility_level = 3.6\n"
               "alias_maps = hash:/etc/mh-a\nalias_database = hash:/etc/mh-a\n"
               "default_privs = mhpriv\nrecipient_delimiter = +-\n"
               "allow_mail_to_commands = alias, forward, include\n"
               "allow_mail_to_files = alias,forward\n");
    assert_int_equal(alias_config_read(&cfg, dir), MH_OK);
    assert_string_equal(cfg.errbuf, "");
    assert_int_equal(cfg.ntables, 1);
    assert_string_equal(cfg.default_privs, "mhpriv");
    assert_string_equal(cfg.recipient_delimiter, "+-");
    assert_int_equal(cfg.include_commands, 1);
    assert_int_equal(cfg.include_files, 0);
    alias_config_free(&cfg);
    /* the word before a comma counts; a longer word does not */
    write_file(path, "compatibility_level = 3.6\n"
               "allow_mail_to_commands = include,alias\n"
               "allow_mail_to_files = includes, forward\n");
    assert_int_equal(alias_config_read(&cfg, dir), MH_OK);
    assert_int_equal(cfg.include_commands, 1);
    assert_int_equal(cfg.include_files, 0);
    alias_config_free(&cfg);
    /* nothing set: nobody, no delimiter; Postfix's default allow lists
     * are "alias, forward" for commands and files */
    write_file(path, "compatibility_level = 3.6\ndefault_privs =\n");
    assert_int_equal(alias_config_read(&cfg, dir), MH_OK);
    assert_string_equal(cfg.default_privs, "nobody");
    assert_string_equal(cfg.recipient_delimiter, "");
    assert_int_equal(cfg.include_commands, 0);
    assert_int_equal(cfg.include_files, 0);
    alias_config_free(&cfg);
    /* no main.cf: an error with a reason */
    assert_int_equal(unlink(path), 0);
    assert_true(alias_config_read(&cfg, dir) != MH_OK);
    assert_true(cfg.errbuf[0] != '\0');
    snprintf(path, sizeof(path), "%s/master.cf", dir);
    unlink(path);
    rmdir(dir);
}

static int
has_finding(const struct alias_report *rep, enum alias_severity sev, const char *part)
{
    for (size_t i = 0; i < rep->n; i++) {
        if (rep->v[i].sev == sev && strstr(rep->v[i].msg, part) != NULL) {
            return 1;
        }
    }
    return 0;
}

static void
test_check_files(void **state)
{
    char dir[] = "/tmp/mh-al-unit-XXXXXX";
    char a[128], b[128], l[128], text[1024], maps[300];
    struct alias_config cfg;
    struct alias_report rep;

    assert_non_null(mkdtemp(dir));
    snprintf(a, sizeof(a), "%s/aliases", dir);
    snprintf(b, sizeof(b), "%s/aliases2", dir);
    snprintf(l, sizeof(l), "%s/list", dir);
    snprintf(text, sizeof(text),
             "root: admin@example.org\n"
             "list: :include:%s\n"
             "x: y\n"
             "y: x, list\n"
             "self: self, root\n"
             "dup: root\n", l);
    write_file(a, text);
    write_file(b, "dup: other@example.org\nbroken\n");
    write_file(l, "x\nroot\n");
    snprintf(maps, sizeof(maps), "hash:%s hash:%s", a, b);
    memset(&cfg, 0, sizeof(cfg));
    assert_int_equal(alias_config_set(&cfg, maps, maps, "hash"), MH_OK);
    cfg.default_privs = strdup("nobody");
    cfg.recipient_delimiter = strdup("+");
    memset(&rep, 0, sizeof(rep));
    assert_int_equal(alias_check_run(&cfg, ALIAS_CHECK_NO_ACCESS | ALIAS_CHECK_NO_ACCOUNT
                                     | ALIAS_CHECK_NO_FRESH, &rep), MH_OK);
    assert_true(has_finding(&rep, ALIAS_WARNING, "duplicate alias \"dup\""));
    assert_true(has_finding(&rep, ALIAS_ERROR, "need name:value pair"));
    assert_true(has_finding(&rep, ALIAS_WARNING, "list \"list\" has no owner-list alias"));
    assert_true(has_finding(&rep, ALIAS_WARNING, "include loop: :include:"));
    assert_false(has_finding(&rep, ALIAS_WARNING, "include loop: self"));
    assert_int_equal(rep.nerrors, 1);
    assert_int_equal(rep.entries, 7);
    assert_int_equal(rep.nincludes, 1);
    assert_string_equal(rep.includes[0], l);
    assert_non_null(alias_report_first_error(&rep));
    assert_int_equal(alias_report_first_error(&rep)->line, 2);
    alias_report_free(&rep);

    /* What rebuild runs: the same errors, none of the warning-only passes;
     * an error in an include file does not count (issue 15 #2: local(8)
     * reads list files at delivery, the database does not depend on them) */
    write_file(l, "x\nroot\n\"unterminated\n");
    memset(&rep, 0, sizeof(rep));
    assert_int_equal(alias_check_run(&cfg, ALIAS_CHECK_ERRORS_ONLY | ALIAS_CHECK_NO_FRESH, &rep),
                     MH_OK);
    assert_int_equal(rep.nerrors, 1);
    assert_true(has_finding(&rep, ALIAS_ERROR, "need name:value pair"));
    assert_false(has_finding(&rep, ALIAS_ERROR, "unterminated quoted string"));
    assert_true(has_finding(&rep, ALIAS_WARNING, "duplicate alias \"dup\""));
    assert_false(has_finding(&rep, ALIAS_WARNING, "has no owner-list alias"));
    assert_false(has_finding(&rep, ALIAS_WARNING, "include loop"));
    assert_int_equal(rep.entries, 7);
    alias_report_free(&rep);
    alias_config_free(&cfg);
    unlink(a);
    unlink(b);
    unlink(l);
    rmdir(dir);
}

/* parse_both - parse IN with the fast paths and without; both must agree */
static void
parse_both(const char *in, size_t len, int include)
{
    struct alias_parse_cb cb;
    static struct rec fast, slow;
    int old;

    memset(&fast, 0, sizeof(fast));
    memset(&slow, 0, sizeof(slow));
    cb = (struct alias_parse_cb) { rec_entry, rec_target, rec_diag, &fast };
    old = alias_parse_set_fast(1);
    assert_int_equal(include ? alias_parse_include_buf(in, len, &cb)
                     : alias_parse_buf(in, len, &cb), 0);
    cb.ctx = &slow;
    alias_parse_set_fast(0);
    assert_int_equal(include ? alias_parse_include_buf(in, len, &cb)
                     : alias_parse_buf(in, len, &cb), 0);
    alias_parse_set_fast(old);
    if (strcmp(fast.out, slow.out) != 0 || strcmp(fast.diags, slow.diags) != 0) {
        print_error("input [%.*s]\nfast:\n%s%s\nslow:\n%s%s\n", (int) len, in,
                    fast.out, fast.diags, slow.out, slow.diags);
        fail();
    }
}

/* parse_random - 20000 pseudo-random lines (up to 95 bytes) over CHARS
 * (N of them), each through parse_both; *SEED carries on from call to call */
static void
parse_random(const char *chars, size_t n, unsigned *seed)
{
    char buf[96];

    for (int round = 0; round < 20000; round++) {
        size_t len;

        *seed = *seed * 1103515245u + 12345u;
        len = (*seed >> 16) % sizeof(buf);
        for (size_t k = 0; k < len; k++) {
            *seed = *seed * 1103515245u + 12345u;
            buf[k] = chars[(*seed >> 16) % n];
        }
        parse_both(buf, len, round & 1);
    }
}

/* test_parse_fast_same - the fast paths give the byte-wise parser's results */
static void
test_parse_fast_same(void **state)
{
    static const char alpha[] = "ab Z:,\"\\@%#|/\t\n\n\n:include:x";
    static const char *fixed[] = {
        "a: b, c\n", "a b: c\n", "a, b: c\n", "\"a,b\": c\n", "a@b: c\n", "a%b: c\n",
        "nocolon\n", "a: \"b, c\", d\n", "a: b,, ,c\n", "a: <x@y>, <>\n", "a:\n",
        "A: B, C@D.ORG\n  , e\n", "a: |\"cmd arg\", /f, :include:/l, :INCLUDE: rel\n",
        "a: b c, d@e f\n", "\"\": x\n", "a: \"unterminated\n", "a: x\\, y\n",
        /* '@' and '%' decide address vs local without a second search */
        "a: x%y, <a%b>, @x, x@, <@>, b@%c, <x>, <x%y@z>, %\n", "a: \"x@y\", \"x%y\"\n",
    };
    static const char alpha2[] = "ab<>@%, \":.\n";
    unsigned seed = 12345;

    (void) state;
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        parse_both(fixed[i], strlen(fixed[i]), 0);
        parse_both(fixed[i], strlen(fixed[i]), 1);
    }
    /* Pseudo-random lines over the characters that matter to the parser. */
    parse_random(alpha, sizeof(alpha) - 1, &seed);
    /* Addresses, brackets and '%' in every arrangement. */
    parse_random(alpha2, sizeof(alpha2) - 1, &seed);
}

/* test_check_large - many entries across two tables: hash growth, duplicates */
static void
test_check_large(void **state)
{
    char dir[] = "/tmp/mh-al-unit-XXXXXX";
    char a[128], b[128], maps[300];
    struct alias_config cfg;
    struct alias_report rep;
    FILE *fp;

    (void) state;
    assert_non_null(mkdtemp(dir));
    snprintf(a, sizeof(a), "%s/aliases", dir);
    snprintf(b, sizeof(b), "%s/aliases2", dir);
    /* 3000 lines in the first table, 20000 in the second: the second forces
     * the node and hash arrays sized for the first to grow. */
    fp = fopen(a, "w");
    assert_non_null(fp);
    for (int i = 0; i < 3000; i++) {
        fprintf(fp, "u%d: u%d@example.org, root, u%d\n", i, i, (i + 1) % 3000);
    }
    fclose(fp);
    fp = fopen(b, "w");
    assert_non_null(fp);
    for (int i = 0; i < 20000; i++) {
        fprintf(fp, "u%d: x%d@example.org\n", i, i);   /* 3000 duplicates */
    }
    fprintf(fp, "v1: nosuchname\n");
    fclose(fp);
    snprintf(maps, sizeof(maps), "hash:%s hash:%s", a, b);
    memset(&cfg, 0, sizeof(cfg));
    assert_int_equal(alias_config_set(&cfg, maps, maps, "hash"), MH_OK);
    cfg.default_privs = strdup("nobody");
    memset(&rep, 0, sizeof(rep));
    assert_int_equal(alias_check_run(&cfg, ALIAS_CHECK_NO_ACCESS | ALIAS_CHECK_NO_FRESH, &rep),
                     MH_OK);
    assert_int_equal(rep.entries, 23001);
    assert_int_equal(rep.nerrors, 0);
    /* 3000 duplicates + the unknown target; root exists, u* are aliases */
    assert_int_equal(rep.nwarnings, 3001);
    assert_true(has_finding(&rep, ALIAS_WARNING, "duplicate alias \"u2999\""));
    assert_true(has_finding(&rep, ALIAS_WARNING, "destination \"nosuchname\" is neither"));
    assert_int_equal(rep.lines, 23001);
    alias_report_free(&rep);
    alias_config_free(&cfg);
    unlink(a);
    unlink(b);
    rmdir(dir);
}

/*
 * test_check_order - findings in line order although the hash insert of
 * an entry is done one entry late; a duplicate's targets are dropped
 */
static void
test_check_order(void **state)
{
    char dir[] = "/tmp/mh-al-unit-XXXXXX";
    char a[128], maps[200];
    struct alias_config cfg;
    struct alias_report rep;
    FILE *fp;

    (void) state;
    assert_non_null(mkdtemp(dir));
    snprintf(a, sizeof(a), "%s/aliases", dir);
    fp = fopen(a, "w");
    assert_non_null(fp);
    fprintf(fp, "x: root\n"                 /* 1 */
            "x: ghost1\n"                   /* 2 duplicate, then at once */
            "no colon\n"                    /* 3 an error */
            "y: root\n"                     /* 4 */
            "y: ghost2\n");                 /* 5 duplicate, last line */
    fclose(fp);
    snprintf(maps, sizeof(maps), "hash:%s", a);
    memset(&cfg, 0, sizeof(cfg));
    assert_int_equal(alias_config_set(&cfg, maps, maps, "hash"), MH_OK);
    cfg.default_privs = strdup("nobody");
    memset(&rep, 0, sizeof(rep));
    assert_int_equal(alias_check_run(&cfg, ALIAS_CHECK_NO_ACCESS | ALIAS_CHECK_NO_FRESH, &rep),
                     MH_OK);
    /* the duplicates' targets ghost1/ghost2 are not checked: the first wins */
    assert_int_equal(rep.n, 3);
    assert_int_equal(rep.v[0].line, 2);
    assert_non_null(strstr(rep.v[0].msg, "duplicate alias \"x\" (first defined at"));
    assert_int_equal(rep.v[1].line, 3);
    assert_int_equal(rep.v[1].sev, ALIAS_ERROR);
    assert_int_equal(rep.v[2].line, 5);
    assert_non_null(strstr(rep.v[2].msg, "duplicate alias \"y\""));
    assert_int_equal(rep.entries, 4);
    alias_report_free(&rep);
    alias_config_free(&cfg);
    unlink(a);
    rmdir(dir);
}

/* What the whole-buffer parser reports, for test_check_stream. */
struct stream_ref {
    size_t entries;
    size_t errors;
    size_t lines[64];       /* lines of the first diagnostics */
    size_t nlines;
};

static void
stream_entry(void *ctx, const struct alias_entry *e)
{
    (void) e;
    ((struct stream_ref *) ctx)->entries++;
}

static void
stream_diag(void *ctx, enum alias_severity sev, size_t line, const char *msg)
{
    struct stream_ref *r = ctx;

    (void) msg;
    r->errors += sev == ALIAS_ERROR;
    if (r->nlines < 64) {
        r->lines[r->nlines++] = line;
    }
}

/*
 * test_check_stream - the checker reads a table in 256 KiB pieces; it
 * must find what the parser finds in the whole buffer: continuation
 * lines across piece boundaries, a line longer than a piece, CRLF, NUL
 * bytes, errors, a last line without newline
 */
static void
test_check_stream(void **state)
{
    char dir[] = "/tmp/mh-al-unit-XXXXXX";
    char a[128], maps[200];
    struct alias_config cfg;
    struct alias_report rep;
    struct stream_ref ref;
    struct alias_parse_cb cb = { stream_entry, NULL, stream_diag, &ref };
    size_t cap = 4 * 1024 * 1024, len = 0, nl = 0;
    char *data = malloc(cap);
    unsigned seed = 777;
    FILE *fp;

    (void) state;
    assert_non_null(data);
    for (int i = 0; len < cap - 700 * 1024; i++) {
        seed = seed * 1103515245u + 12345u;
        switch ((seed >> 16) % 40) {
        case 0:     /* an entry continued over several lines */
            len += (size_t) sprintf(data + len, "c%d: a%d@example.org,\n  b%d@example.org,\n"
                                    "\tc%d@example.org\n", i, i, i, i);
            break;
        case 1:     /* an error */
            len += (size_t) sprintf(data + len, "broken line %d\n", i);
            break;
        case 2:
            len += (size_t) sprintf(data + len, "crlf%d: x%d@example.org\r\n", i, i);
            break;
        case 3:
            len += (size_t) sprintf(data + len, "# comment %d\n\n", i);
            break;
        case 4:
            if (nl++ == 0) {
                /* one entry longer than a piece (but under the 1 MiB limit) */
                len += (size_t) sprintf(data + len, "long%d: ", i);
                for (int k = 0; k < 30000; k++) {
                    len += (size_t) sprintf(data + len, "l%05d@example.org,", k);
                }
                data[len++] = 'z';
                data[len++] = '\n';
            } else if (nl == 2) {
                memcpy(data + len, "nul: a\0b\n", 9);
                len += 9;
            }
            break;
        default:
            len += (size_t) sprintf(data + len, "u%d: u%d@example.org\n", i, i);
            break;
        }
    }
    len += (size_t) sprintf(data + len, "last: end@example.org");     /* no newline */
    assert_true(len > 3 * 256 * 1024);
    memset(&ref, 0, sizeof(ref));
    assert_int_equal(alias_parse_buf(data, len, &cb), 0);
    assert_true(ref.errors > 10);

    assert_non_null(mkdtemp(dir));
    snprintf(a, sizeof(a), "%s/aliases", dir);
    fp = fopen(a, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    fclose(fp);
    snprintf(maps, sizeof(maps), "hash:%s", a);
    memset(&cfg, 0, sizeof(cfg));
    assert_int_equal(alias_config_set(&cfg, maps, maps, "hash"), MH_OK);
    cfg.default_privs = strdup("nobody");
    memset(&rep, 0, sizeof(rep));
    assert_int_equal(alias_check_run(&cfg, ALIAS_CHECK_NO_ACCESS | ALIAS_CHECK_NO_FRESH
                                     | ALIAS_CHECK_NO_ACCOUNT, &rep), MH_OK);
    assert_int_equal(rep.entries, ref.entries);
    assert_int_equal(rep.nerrors, ref.errors);
    assert_int_equal(rep.n, ref.nlines < 64 ? ref.nlines : rep.n);
    for (size_t i = 0; i < ref.nlines && i < rep.n; i++) {
        assert_int_equal(rep.v[i].line, ref.lines[i]);
    }
    /* physical lines: newlines plus the unterminated last one */
    {
        size_t want = 1;

        for (size_t i = 0; i < len; i++) {
            want += data[i] == '\n';
        }
        assert_int_equal(rep.lines, want);
    }
    alias_report_free(&rep);
    alias_config_free(&cfg);
    free(data);
    unlink(a);
    rmdir(dir);
}

/* read_all - a whole small file, for byte comparison */
static size_t
read_all(const char *path, char *buf, size_t cap)
{
    FILE *fp = fopen(path, "rb");
    size_t n;

    assert_non_null(fp);
    n = fread(buf, 1, cap, fp);
    fclose(fp);
    return n;
}

/* test_rebuild_jobs - start/finish with the real postalias: discard keeps the old DB */
static void
test_rebuild_jobs(void **state)
{
    char dir[] = "/tmp/mh-al-unit-XXXXXX";
    char conf[128], src[160], db[170], maps[200], cmd[600], why[600];
    static char before[65536], after[65536];
    size_t nb, na;
    struct alias_config cfg;
    struct alias_rebuild_job job;
    struct stat st;

    (void) state;
    if (access(alias_postalias_path(), X_OK) != 0) {
        skip();
    }
    assert_non_null(mkdtemp(dir));
    chmod(dir, 0755);
    snprintf(conf, sizeof(conf), "%s/etc", dir);
    snprintf(src, sizeof(src), "%s/aliases", conf);
    snprintf(db, sizeof(db), "%s.db", src);
    assert_int_equal(mkdir(conf, 0755), 0);
    snprintf(cmd, sizeof(cmd), "%s/main.cf", conf);
    write_file(cmd, "compatibility_level = 3.6\n");
    snprintf(cmd, sizeof(cmd), "%s/master.cf", conf);
    write_file(cmd, "");
    write_file(src, "a: root\n");
    snprintf(maps, sizeof(maps), "hash:%s", src);
    memset(&cfg, 0, sizeof(cfg));
    assert_int_equal(alias_config_set(&cfg, maps, maps, "hash"), MH_OK);

    /* commit: the database appears, no copy is left */
    assert_int_equal(alias_rebuild_start(conf, &cfg.tables[0], &job, why, sizeof(why)), MH_OK);
    assert_non_null(job.tmp);
    assert_int_equal(stat(job.tmp, &st), 0);   /* the copy to validate */
    snprintf(cmd, sizeof(cmd), "%s", job.tmp);
    assert_int_equal(alias_rebuild_finish(&job, 1, why, sizeof(why)), MH_OK);
    assert_int_equal(stat(db, &st), 0);
    assert_int_not_equal(stat(cmd, &st), 0);
    nb = read_all(db, before, sizeof(before));
    assert_true(nb > 0);

    /* discard: the old database stays byte for byte, nothing left behind */
    write_file(src, "a: root\nb: root\n");
    assert_int_equal(alias_rebuild_start(conf, &cfg.tables[0], &job, why, sizeof(why)), MH_OK);
    assert_int_equal(alias_rebuild_finish(&job, 0, why, sizeof(why)), MH_OK);
    na = read_all(db, after, sizeof(after));
    assert_int_equal(na, nb);
    assert_memory_equal(before, after, nb);
    assert_null(job.tmp);
    assert_int_equal(job.pid, -1);
    /* finishing twice is harmless */
    assert_int_equal(alias_rebuild_finish(&job, 0, why, sizeof(why)), MH_OK);
    snprintf(cmd, sizeof(cmd), "test \"$(ls -A %s | sort | tr '\\n' ' ')\" = "
             "'aliases aliases.db main.cf master.cf '", conf);
    assert_int_equal(system(cmd), 0);

    /* a failing postalias is reported and keeps the old database */
    write_file(src, "a: root\n");
    chmod(conf, 0755);
    setenv("MAILHA_POSTALIAS", "/bin/false", 1);
    assert_int_equal(alias_rebuild_start(conf, &cfg.tables[0], &job, why, sizeof(why)), MH_OK);
    assert_int_equal(alias_rebuild_finish(&job, 1, why, sizeof(why)), MH_E_CHILD);
    unsetenv("MAILHA_POSTALIAS");
    assert_non_null(strstr(why, "failed (exit 1)"));
    na = read_all(db, after, sizeof(after));
    assert_int_equal(na, nb);
    assert_memory_equal(before, after, nb);
    assert_int_equal(system(cmd), 0);

    /* a postalias that never returns is killed at its time limit, and the
     * old database stays (without the limit, finish waits 600 s for the
     * stand-in and then installs what it did not build) */
    {
        char hang[300];

        snprintf(hang, sizeof(hang), "%s/hang-postalias", dir);
        write_file(hang, "#!/bin/sh\nexec sleep 600\n");
        assert_int_equal(chmod(hang, 0755), 0);
        setenv("MAILHA_POSTALIAS", hang, 1);
        setenv("MAILHA_POSTALIAS_TIMEOUT_MS", "300", 1);
        assert_int_equal(alias_rebuild_start(conf, &cfg.tables[0], &job, why, sizeof(why)), MH_OK);
        assert_int_equal(alias_rebuild_finish(&job, 1, why, sizeof(why)), MH_E_TIMEOUT);
        assert_non_null(strstr(why, "no answer in 300 ms"));
        unsetenv("MAILHA_POSTALIAS");
        unsetenv("MAILHA_POSTALIAS_TIMEOUT_MS");
        na = read_all(db, after, sizeof(after));
        assert_int_equal(na, nb);
        assert_memory_equal(before, after, nb);
        assert_int_equal(system(cmd), 0);
        assert_int_equal(unlink(hang), 0);
    }

    alias_config_free(&cfg);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* A stand-in for postalias (MAILHA_POSTALIAS): writes its arguments one a
 * line to $MH_FAKE_ARGS, copies TYPE:FILE to FILE.db (so the database
 * holds the bytes postalias read), stamps its mtime with $MH_FAKE_DB_TIME
 * (touch -m -d @SEC.NSEC) when set, and exits $MH_FAKE_EXIT (default 0)
 * after printing $MH_FAKE_MSG on stderr.  A FILE that is not absolute
 * (a mutant that drops the spec) is refused, not written beside us. */
static const char fake_postalias[] =
    "#!/bin/sh\n"
    "for a; do printf '%s\\n' \"$a\"; done >\"$MH_FAKE_ARGS\"\n"
    "eval \"f=\\${$#}\"\n"
    "f=${f#*:}\n"
    "case $f in /*) ;; *) exit 9 ;; esac\n"
    "cat \"$f\" >\"$f.db\" || exit 9\n"
    "if [ -n \"${MH_FAKE_DB_TIME-}\" ]; then touch -m -d \"@$MH_FAKE_DB_TIME\" \"$f.db\" || exit 9; fi\n"
    "if [ -n \"${MH_FAKE_MSG-}\" ]; then printf '%b' \"$MH_FAKE_MSG\" >&2; fi\n"
    "exit ${MH_FAKE_EXIT:-0}\n";

/* A scratch directory with the stand-in postalias and a hash table of
 * one source file in it. */
struct rb_env {
    char dir[32];
    char src[64], db[64], args[64], fake[64];
    struct alias_table t;
};

static void
rb_setup(struct rb_env *e, const char *text)
{
    memset(e, 0, sizeof(*e));
    snprintf(e->dir, sizeof(e->dir), "/tmp/mh-al-rb-XXXXXX");
    assert_non_null(mkdtemp(e->dir));
    snprintf(e->src, sizeof(e->src), "%s/aliases", e->dir);
    snprintf(e->db, sizeof(e->db), "%s/aliases.db", e->dir);
    snprintf(e->args, sizeof(e->args), "%s/args", e->dir);
    snprintf(e->fake, sizeof(e->fake), "%s/postalias", e->dir);
    write_file(e->fake, fake_postalias);
    assert_int_equal(chmod(e->fake, 0755), 0);
    write_file(e->src, text);
    e->t.spec = (char *) "hash:aliases";
    e->t.type = (char *) "hash";
    e->t.source = e->src;
    e->t.db = e->db;
    setenv("MAILHA_POSTALIAS", e->fake, 1);
    setenv("MH_FAKE_ARGS", e->args, 1);
}

static void
rb_teardown(struct rb_env *e)
{
    char cmd[80];

    unsetenv("MAILHA_POSTALIAS");
    unsetenv("MAILHA_POSTALIAS_TIMEOUT_MS");
    unsetenv("MH_FAKE_ARGS");
    unsetenv("MH_FAKE_DB_TIME");
    unsetenv("MH_FAKE_EXIT");
    unsetenv("MH_FAKE_MSG");
    snprintf(cmd, sizeof(cmd), "rm -rf %s", e->dir);
    assert_int_equal(system(cmd), 0);
}

/* rb_left - the names in the scratch directory, sorted, space-separated */
static void
rb_left(const struct rb_env *e, const char *want)
{
    char cmd[300];

    snprintf(cmd, sizeof(cmd), "l=$(ls -A %s | sort | tr '\\n' ' '); [ \"$l\" = '%s' ]"
             " || { echo \"left: $l\" >&2; false; }", e->dir, want);
    assert_int_equal(system(cmd), 0);
}

/* rb_timeout - the time limit alias_rebuild_start gives postalias for VALUE */
static int
rb_timeout(struct rb_env *e, const char *value)
{
    struct alias_rebuild_job job;
    char why[300];
    int ms;

    if (value != NULL) {
        setenv("MAILHA_POSTALIAS_TIMEOUT_MS", value, 1);
    } else {
        unsetenv("MAILHA_POSTALIAS_TIMEOUT_MS");
    }
    setenv("MAILHA_POSTALIAS", "/bin/true", 1);
    assert_int_equal(alias_rebuild_start(NULL, &e->t, &job, why, sizeof(why)), MH_OK);
    ms = job.run.opts.timeout_ms;
    assert_int_equal(alias_rebuild_finish(&job, 0, why, sizeof(why)), MH_OK);
    setenv("MAILHA_POSTALIAS", e->fake, 1);
    return ms;
}

/* test_rebuild_options - how postalias is run: its arguments, its time
 * limit from MAILHA_POSTALIAS_TIMEOUT_MS, the copy it reads */
static void
test_rebuild_options(void **state)
{
    struct rb_env e;
    struct alias_rebuild_job job;
    char why[300], want[300], got[300];
    static char big[200001], back[200002];
    struct stat st;
    size_t n;

    (void) state;
    rb_setup(&e, "a: root\n");

    /* the time limit: 1 ms to a day; anything else is the 600 s default */
    assert_int_equal(rb_timeout(&e, NULL), 600000);
    assert_int_equal(rb_timeout(&e, ""), 600000);
    assert_int_equal(rb_timeout(&e, "1"), 1);
    assert_int_equal(rb_timeout(&e, "0"), 600000);
    assert_int_equal(rb_timeout(&e, "-5"), 600000);
    assert_int_equal(rb_timeout(&e, "86400000"), 86400000);
    assert_int_equal(rb_timeout(&e, "86399999"), 86399999);
    assert_int_equal(rb_timeout(&e, "86400001"), 600000);
    assert_int_equal(rb_timeout(&e, "300ms"), 600000);
    assert_int_equal(rb_timeout(&e, "99999999999999999999"), 600000);
    unsetenv("MAILHA_POSTALIAS_TIMEOUT_MS");

    /* without a config directory: "postalias hash:COPY"; with one, -c DIR */
    assert_int_equal(alias_rebuild_start(NULL, &e.t, &job, why, sizeof(why)), MH_OK);
    assert_true(job.pid > 0);
    assert_int_equal(job.pid, job.run.pid);
    assert_string_equal(job.run.opts.prog, e.fake);
    assert_int_equal(job.run.opts.err, MH_RUN_CAPTURE);
    snprintf(want, sizeof(want), "%s/.mailha-aliases.%ld", e.dir, (long) getpid());
    assert_string_equal(job.tmp, want);
    snprintf(want, sizeof(want), "hash:%s/.mailha-aliases.%ld", e.dir, (long) getpid());
    assert_string_equal(job.spec, want);
    assert_int_equal(alias_rebuild_finish(&job, 1, why, sizeof(why)), MH_OK);
    snprintf(want, sizeof(want), "hash:%s/.mailha-aliases.%ld\n", e.dir, (long) getpid());
    n = read_all(e.args, got, sizeof(got) - 1);
    got[n] = '\0';
    assert_string_equal(got, want);
    assert_int_equal(alias_rebuild_start(e.dir, &e.t, &job, why, sizeof(why)), MH_OK);
    assert_int_equal(alias_rebuild_finish(&job, 1, why, sizeof(why)), MH_OK);
    snprintf(want, sizeof(want), "-c\n%s\nhash:%s/.mailha-aliases.%ld\n", e.dir, e.dir,
             (long) getpid());
    n = read_all(e.args, got, sizeof(got) - 1);
    got[n] = '\0';
    assert_string_equal(got, want);

    /* the copy is the source byte for byte, over several reads of 64 KiB */
    for (size_t i = 0; i < sizeof(big) - 1; i++) {
        big[i] = (i % 61 == 60) ? '\n' : (char) ('a' + i % 26);
    }
    big[sizeof(big) - 1] = '\0';
    write_file(e.src, big);
    assert_int_equal(alias_rebuild_table(NULL, &e.t, why, sizeof(why)), MH_OK);
    n = read_all(e.db, back, sizeof(back));
    assert_int_equal(n, sizeof(big) - 1);
    assert_memory_equal(back, big, n);
    /* an empty source is copied too */
    write_file(e.src, "");
    assert_int_equal(alias_rebuild_table(NULL, &e.t, why, sizeof(why)), MH_OK);
    assert_int_equal(stat(e.db, &st), 0);
    assert_int_equal(st.st_size, 0);

    /* the copy has the source's mode, whatever the umask, and (as root)
     * its owner */
    {
        mode_t old = umask(077);

        setenv("MAILHA_POSTALIAS", "/bin/true", 1);

        assert_int_equal(chmod(e.src, 0644), 0);
        if (geteuid() == 0) {
            assert_int_equal(chown(e.src, 1234, 5678), 0);
        }
        assert_int_equal(alias_rebuild_start(NULL, &e.t, &job, why, sizeof(why)), MH_OK);
        assert_int_equal(stat(job.tmp, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0644);
        if (geteuid() == 0) {
            assert_int_equal(st.st_uid, 1234);
            assert_int_equal(st.st_gid, 5678);
        }
        assert_int_equal(alias_rebuild_finish(&job, 0, why, sizeof(why)), MH_OK);
        umask(old);
        setenv("MAILHA_POSTALIAS", e.fake, 1);
    }
    rb_left(&e, "aliases aliases.db args postalias ");
    rb_teardown(&e);
}

/* rb_mtime - build with the database stamped DB_TIME by the stand-in,
 * the source stamped SRC_SEC.SRC_NSEC; the database's mtime after commit */
static struct timespec
rb_mtime(struct rb_env *e, const char *db_time, time_t src_sec, long src_nsec)
{
    struct timespec ts[2] = { { src_sec, src_nsec }, { src_sec, src_nsec } };
    char why[300];
    struct stat st;

    assert_int_equal(utimensat(AT_FDCWD, e->src, ts, 0), 0);
    setenv("MH_FAKE_DB_TIME", db_time, 1);
    assert_int_equal(alias_rebuild_table(NULL, &e->t, why, sizeof(why)), MH_OK);
    assert_int_equal(stat(e->db, &st), 0);
    return st.st_mtim;
}

/* test_rebuild_mtime - the database is never older than the source it
 * was built from, and never newer than a source that changed meanwhile */
static void
test_rebuild_mtime(void **state)
{
    struct rb_env e;
    struct alias_rebuild_job job;
    struct timespec m, ts[2];
    struct stat st;
    char why[300];

    (void) state;
    rb_setup(&e, "a: root\n");

    /* built before the source's time (a source ahead of our clock): the
     * database gets the source's time, to the nanosecond */
    m = rb_mtime(&e, "2000000000.000000000", 2000000001, 500);
    assert_int_equal(m.tv_sec, 2000000001);
    assert_int_equal(m.tv_nsec, 500);
    m = rb_mtime(&e, "2000000001.000000400", 2000000001, 500);
    assert_int_equal(m.tv_sec, 2000000001);
    assert_int_equal(m.tv_nsec, 500);
    /* built at the same time: the database is left alone (its access
     * time too, which the stand-in left at its creation) */
    m = rb_mtime(&e, "2000000001.000000500", 2000000001, 500);
    assert_int_equal(m.tv_sec, 2000000001);
    assert_int_equal(m.tv_nsec, 500);
    {
        struct stat ast;

        assert_int_equal(stat(e.db, &ast), 0);
        assert_true(ast.st_atim.tv_sec != 2000000001 || ast.st_atim.tv_nsec != 500);
    }
    /* built after it: the database keeps its own time */
    m = rb_mtime(&e, "2000000001.000000600", 2000000001, 500);
    assert_int_equal(m.tv_sec, 2000000001);
    assert_int_equal(m.tv_nsec, 600);
    m = rb_mtime(&e, "2000000002.000000100", 2000000001, 500);
    assert_int_equal(m.tv_sec, 2000000002);
    assert_int_equal(m.tv_nsec, 100);
    unsetenv("MH_FAKE_DB_TIME");

    /* the source changed while the database was built (its time, to the
     * second or the nanosecond, or the file itself): the database looks
     * as old as the version it was built from */
    for (int how = 0; how < 4; how++) {
        ts[0].tv_sec = ts[1].tv_sec = 1500000000;
        ts[0].tv_nsec = ts[1].tv_nsec = 700;
        write_file(e.src, "a: root\n");
        assert_int_equal(utimensat(AT_FDCWD, e.src, ts, 0), 0);
        assert_int_equal(alias_rebuild_start(NULL, &e.t, &job, why, sizeof(why)), MH_OK);
        if (how == 0) {
            ts[0].tv_sec = ts[1].tv_sec = 1500000001;
        } else if (how == 1) {
            ts[0].tv_nsec = ts[1].tv_nsec = 701;
        }
        if (how == 2) {
            /* a new file with the same time renamed over the source */
            char repl[80];

            snprintf(repl, sizeof(repl), "%s/new", e.dir);
            write_file(repl, "a: root\nb: root\n");
            assert_int_equal(utimensat(AT_FDCWD, repl, ts, 0), 0);
            assert_int_equal(rename(repl, e.src), 0);
        } else if (how == 3) {
            assert_int_equal(unlink(e.src), 0);
        } else {
            assert_int_equal(utimensat(AT_FDCWD, e.src, ts, 0), 0);
        }
        assert_int_equal(alias_rebuild_finish(&job, 1, why, sizeof(why)), MH_OK);
        assert_int_equal(stat(e.db, &st), 0);
        assert_int_equal(st.st_mtim.tv_sec, 1500000000);
        assert_int_equal(st.st_mtim.tv_nsec, 700);
    }
    write_file(e.src, "a: root\n");
    rb_left(&e, "aliases aliases.db args postalias ");
    rb_teardown(&e);
}

/* test_rebuild_fail - what start and finish refuse: each reports why,
 * leaves the old database as it was and nothing beside it */
static void
test_rebuild_fail(void **state)
{
    struct rb_env e;
    struct alias_rebuild_job job;
    struct alias_table bad;
    char why[300], tmp[80], path[200];
    struct stat st;

    (void) state;
    rb_setup(&e, "a: root\n");
    write_file(e.db, "old");

    /* no source file, no database */
    bad = e.t;
    bad.db = NULL;
    why[0] = '\0';
    assert_int_equal(alias_rebuild_start(NULL, &bad, &job, why, sizeof(why)), MH_E_CONFIG);
    assert_string_equal(why, "table hash:aliases has no database to build");
    assert_int_equal(job.pid, -1);
    assert_int_equal(job.sfd, -1);
    bad = e.t;
    bad.source = NULL;
    assert_int_equal(alias_rebuild_start(NULL, &bad, &job, why, sizeof(why)), MH_E_CONFIG);
    assert_int_equal(alias_rebuild_table(NULL, &bad, why, sizeof(why)), MH_E_CONFIG);
    /* finishing a job that never started is harmless */
    assert_int_equal(alias_rebuild_finish(&job, 1, why, sizeof(why)), MH_OK);

    /* a missing source, a directory, a FIFO */
    bad = e.t;
    snprintf(path, sizeof(path), "%s/missing", e.dir);
    bad.source = path;
    assert_int_equal(alias_rebuild_start(NULL, &bad, &job, why, sizeof(why)), -ENOENT);
    assert_non_null(strstr(why, "open "));
    assert_non_null(strstr(why, "/missing: No such file"));
    assert_int_equal(alias_rebuild_table(NULL, &bad, why, sizeof(why)), -ENOENT);
    bad.source = e.dir;
    assert_int_equal(alias_rebuild_start(NULL, &bad, &job, why, sizeof(why)), MH_E_UNSAFE);
    assert_non_null(strstr(why, ": not a regular file"));
    assert_int_equal(job.sfd, -1);
    snprintf(path, sizeof(path), "%s/fifo", e.dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    bad.source = path;
    assert_int_equal(alias_rebuild_start(NULL, &bad, &job, why, sizeof(why)), MH_E_UNSAFE);
    assert_int_equal(unlink(path), 0);

    /* the copy cannot be made: its name is a directory that is not empty */
    snprintf(tmp, sizeof(tmp), "%s/.mailha-aliases.%ld", e.dir, (long) getpid());
    assert_int_equal(mkdir(tmp, 0700), 0);
    snprintf(path, sizeof(path), "%s/x", tmp);
    write_file(path, "");
    assert_int_equal(alias_rebuild_start(NULL, &e.t, &job, why, sizeof(why)), -EEXIST);
    assert_non_null(strstr(why, "create "));
    assert_null(job.tmp);
    assert_int_equal(job.sfd, -1);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(tmp), 0);

    /* a leftover copy and database of a killed run with our pid are replaced */
    write_file(tmp, "stale");
    snprintf(path, sizeof(path), "%s.db", tmp);
    write_file(path, "stale");
    setenv("MAILHA_POSTALIAS", "/bin/true", 1);
    assert_int_equal(alias_rebuild_start(NULL, &e.t, &job, why, sizeof(why)), MH_OK);
    assert_int_equal(alias_rebuild_finish(&job, 0, why, sizeof(why)), MH_OK);
    setenv("MAILHA_POSTALIAS", e.fake, 1);
    rb_left(&e, "aliases aliases.db postalias ");

    /* postalias fails: its first line in WHY, the old database kept */
    setenv("MH_FAKE_EXIT", "3", 1);
    setenv("MH_FAKE_MSG", "postalias: fatal: bad\\nsecond line\\n", 1);
    assert_int_equal(alias_rebuild_table(NULL, &e.t, why, sizeof(why)), MH_E_CHILD);
    snprintf(path, sizeof(path), "postalias hash:%s failed (exit 3): postalias: fatal: bad", tmp);
    assert_string_equal(why, path);
    unsetenv("MH_FAKE_MSG");
    assert_int_equal(alias_rebuild_table(NULL, &e.t, why, sizeof(why)), MH_E_CHILD);
    snprintf(path, sizeof(path), "postalias hash:%s failed (exit 3)", tmp);
    assert_string_equal(why, path);
    unsetenv("MH_FAKE_EXIT");
    assert_int_equal(stat(e.db, &st), 0);
    assert_int_equal(st.st_size, 3);
    rb_left(&e, "aliases aliases.db args postalias ");

    /* postalias does not make the database: nothing to sync, nothing renamed */
    setenv("MAILHA_POSTALIAS", "/bin/true", 1);
    assert_int_equal(alias_rebuild_table(NULL, &e.t, why, sizeof(why)), -ENOENT);
    snprintf(path, sizeof(path), "sync %s.db: ", tmp);
    assert_non_null(strstr(why, path));
    setenv("MAILHA_POSTALIAS", e.fake, 1);
    assert_int_equal(stat(e.db, &st), 0);
    assert_int_equal(st.st_size, 3);

    /* the database cannot be renamed into place (a directory is there):
     * the new one is removed, the lock file too */
    assert_int_equal(unlink(e.db), 0);
    assert_int_equal(mkdir(e.db, 0700), 0);
    snprintf(path, sizeof(path), "%s/x", e.db);
    write_file(path, "");
    assert_int_equal(alias_rebuild_start(NULL, &e.t, &job, why, sizeof(why)), MH_OK);
    snprintf(path, sizeof(path), "%s.db-lock", tmp);
    write_file(path, "");
    assert_int_equal(alias_rebuild_finish(&job, 1, why, sizeof(why)), -EISDIR);
    assert_non_null(strstr(why, "rename "));
    rb_left(&e, "aliases aliases.db args postalias ");
    snprintf(path, sizeof(path), "%s/x", e.db);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(e.db), 0);

    /* cdb: the scratch file is FILE.cdb.tmp */
    e.t.type = (char *) "cdb";
    snprintf(path, sizeof(path), "%s/aliases.cdb", e.dir);
    e.t.db = path;
    setenv("MAILHA_POSTALIAS", "/bin/true", 1);
    assert_int_equal(alias_rebuild_start(NULL, &e.t, &job, why, sizeof(why)), MH_OK);
    snprintf(tmp, sizeof(tmp), "%s.cdb.tmp", job.tmp);
    assert_string_equal(job.tmplock, tmp);
    write_file(tmp, "");
    assert_int_equal(alias_rebuild_finish(&job, 0, why, sizeof(why)), MH_OK);
    rb_left(&e, "aliases args postalias ");
    rb_teardown(&e);
}

/* test_rebuild_io - the copy retries what was interrupted, finishes what
 * was written in part, and reports what failed; a database that cannot
 * be synced is not installed */
static void
test_rebuild_io(void **state)
{
    struct rb_env e;
    struct alias_rebuild_job job;
    char why[300], back[64];
    struct stat st;
    size_t n;

    (void) state;
    rb_setup(&e, "a: root\nb: root\n");

    /* the end of file ends the copy, even with errno EINTR left over */
    fake_read_eof_stale = 1;
    assert_int_equal(alias_rebuild_start(NULL, &e.t, &job, why, sizeof(why)), MH_OK);
    assert_int_equal(fake_read_eof_stale, 2);
    fake_read_eof_stale = 0;
    assert_int_equal(alias_rebuild_finish(&job, 1, why, sizeof(why)), MH_OK);
    assert_int_equal(stat(e.db, &st), 0);
    assert_int_equal(st.st_size, 16);
    assert_int_equal(unlink(e.db), 0);

    /* interrupted reads and writes are retried; short writes (even of
     * nothing) finished */
    fake_read_intr = 2;
    fake_write_intr = 2;
    fake_write_zero = 1;
    fake_write_short = 3;
    assert_int_equal(alias_rebuild_table(NULL, &e.t, why, sizeof(why)), MH_OK);
    assert_int_equal(fake_read_intr, 0);
    assert_int_equal(fake_write_intr, 0);
    assert_int_equal(fake_write_zero, 0);
    fake_write_short = 0;
    n = read_all(e.db, back, sizeof(back));
    assert_int_equal(n, 16);
    assert_memory_equal(back, "a: root\nb: root\n", 16);
    assert_int_equal(unlink(e.db), 0);

    /* a read or a write that fails: no copy, no database, the reason */
    fake_read_eio = 1;
    assert_int_equal(alias_rebuild_table(NULL, &e.t, why, sizeof(why)), -EIO);
    assert_non_null(strstr(why, "copy "));
    assert_non_null(strstr(why, ": Input/output error"));
    fake_read_eio = 0;
    rb_left(&e, "aliases args postalias ");
    fake_write_eio = 1;
    assert_int_equal(alias_rebuild_table(NULL, &e.t, why, sizeof(why)), -EIO);
    assert_non_null(strstr(why, "copy "));
    fake_write_eio = 0;
    rb_left(&e, "aliases args postalias ");

    /* fsync fails: the database built is removed, not renamed into place */
    assert_int_equal(alias_rebuild_start(NULL, &e.t, &job, why, sizeof(why)), MH_OK);
    fake_fsync_eio = 1;
    assert_int_equal(alias_rebuild_finish(&job, 1, why, sizeof(why)), -EIO);
    assert_int_equal(fake_fsync_eio, 0);
    assert_non_null(strstr(why, "sync "));
    rb_left(&e, "aliases args postalias ");
    rb_teardown(&e);
}

/* test_rebuild_edges - descriptor 0 free when the source is opened, and
 * finish on a job that was only zeroed (never started) */
static void
test_rebuild_edges(void **state)
{
    struct rb_env e;
    struct alias_rebuild_job job;
    char why[300];
    struct stat st;
    int saved, rc;
    long owner = -1;

    (void) state;
    rb_setup(&e, "a: root\n");

    /* stdin closed: the source opens as descriptor 0, which is fine */
    saved = dup(STDIN_FILENO);
    assert_true(saved > STDIN_FILENO);
    close(STDIN_FILENO);
    assert_int_equal(alias_rebuild_start(NULL, &e.t, &job, why, sizeof(why)), MH_OK);
    assert_int_equal(job.sfd, STDIN_FILENO);
    assert_int_equal(alias_rebuild_finish(&job, 1, why, sizeof(why)), MH_OK);
    errno = 0;
    assert_int_equal(fcntl(STDIN_FILENO, F_GETFD), -1);     /* closed, the lock released */
    assert_int_equal(errno, EBADF);
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    close(saved);
    assert_int_equal(stat(e.db, &st), 0);
    assert_int_equal(st.st_size, 8);
    /* stdin closed after start: the new database opens as 0 to be synced */
    saved = dup(STDIN_FILENO);
    assert_true(saved > STDIN_FILENO);
    assert_int_equal(alias_rebuild_start(NULL, &e.t, &job, why, sizeof(why)), MH_OK);
    close(STDIN_FILENO);
    assert_int_equal(alias_rebuild_finish(&job, 1, why, sizeof(why)), MH_OK);
    errno = 0;
    assert_int_equal(fcntl(STDIN_FILENO, F_GETFD), -1);     /* synced and closed */
    assert_int_equal(errno, EBADF);
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    close(saved);

    /* not root: a copy that cannot be given the source's owner (root's
     * here) is still built, with our own */
    if (geteuid() == 0) {
        assert_int_equal(chown(e.dir, 1234, 1234), 0);
        assert_int_equal(chown(e.src, 0, 0), 0);
        assert_int_equal(chmod(e.src, 0644), 0);
        assert_int_equal(seteuid(1234), 0);
        rc = alias_rebuild_start(NULL, &e.t, &job, why, sizeof(why));
        if (rc == MH_OK) {
            owner = stat(job.tmp, &st) == 0 ? (long) st.st_uid : -1;
            rc = alias_rebuild_finish(&job, 0, why, sizeof(why));
        }
        assert_int_equal(seteuid(0), 0);
        assert_int_equal(rc, MH_OK);
        assert_int_equal(owner, 1234);
    }

    /* a zeroed job (no child: pid 0) finishes as one whose start failed */
    memset(&job, 0, sizeof(job));
    job.t = &e.t;
    job.sfd = -1;
    assert_int_equal(alias_rebuild_finish(&job, 1, why, sizeof(why)), MH_OK);
    assert_int_equal(stat(e.db, &st), 0);
    rb_left(&e, "aliases aliases.db args postalias ");
    rb_teardown(&e);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_good),
        cmocka_unit_test(test_parse_set_fast),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_hostile),
        cmocka_unit_test(test_parse_include),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_config_read),
        cmocka_unit_test(test_fresh),
        cmocka_unit_test(test_sha256),
        cmocka_unit_test(test_check_files),
        cmocka_unit_test(test_parse_fast_same),
        cmocka_unit_test(test_check_large),
        cmocka_unit_test(test_check_order),
        cmocka_unit_test(test_check_stream),
        cmocka_unit_test(test_rebuild_jobs),
        cmocka_unit_test(test_rebuild_options),
        cmocka_unit_test(test_rebuild_mtime),
        cmocka_unit_test(test_rebuild_fail),
        cmocka_unit_test(test_rebuild_io),
        cmocka_unit_test(test_rebuild_edges),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
