# mutate.awk - the mutation operators of tools/mutate.sh
#
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Reads one source file.  Variables (-v):
#   lang   sh or c
#   mode   list: print every mutant as FILE<TAB>LINE<TAB>OP<TAB>N<TAB>TEXT
#                (TEXT: the line as it is, leading blanks removed)
#          apply: print the file with one mutant applied, the one named by
#                want_op, want_n and the environment variable MUTATE_TEXT
#                (-v would expand its backslashes; the line is found by its
#                text, so that a mutant outlives edits elsewhere in the
#                file; among equal lines the one nearest to want_line)
#   file   the name to print in list mode
#
# Every operator makes one small change on one line:
#   sh  rc0-7 rc7-0 rc7-1 rc1-7 rc6-2  an OCF exit code swapped where it is
#                         returned (return, exit, mh_fail)
#       neg               the condition of if/elif/while/until negated
#       cmp               a test operator flipped (-eq/-ne, -lt/-ge,
#                         -gt/-le, =/!=) inside [ ]
#       kill              a SIGKILL dropped (kill -9 -> :, KILL -> TERM)
#       umount            an umount dropped (the command becomes :)
#       time              a time bound removed (mh_time_left -> true)
#       return            an early return dropped (|| return -> || :)
#   c   cmp               a comparison flipped (< <=, > >=, == !=)
#       bounds            the condition of an if that checks a size or a
#                         bound forced false
#       err               an error return replaced by success (return 0);
#                         -ENOMEM returns are left alone (no allocation
#                         failure injection in the tests)
# Comments, here-documents (sh) and preprocessor lines (c) are skipped.

function trim(s) {
    sub(/^[ \t]+/, "", s)
    return s
}

# emit OP NEWLINE - one mutant of the current line, numbered N within the
# line's mutants of operator OP
function emit(op, newline,    n) {
    n = ++opn[op]
    if (mode == "list") {
        printf "%s\t%d\t%s\t%d\t%s\n", file, NR, op, n, trim($0)
    } else if (op == want_op && n == want_n && trim($0) == want_text) {
        # the first line with this text (or the one at want_line if the
        # text occurs more than once: see the END block)
        cand[++ncand] = NR
        candtext[NR] = newline
    }
}

# each OP FROM TO [CTX] - one mutant per occurrence of the literal FROM
# (CTX: a regex the line must match for the operator to apply)
function each(op, from, to, ctx,    rest, pos, off) {
    if (ctx != "" && $0 !~ ctx) {
        return
    }
    off = 0
    rest = $0
    while ((pos = index(rest, from)) > 0) {
        emit(op, substr($0, 1, off + pos - 1) to substr($0, off + pos + length(from)))
        off += pos + length(from) - 1
        rest = substr($0, off + 1)
    }
}

# each_cmd OP WORD TO - WORD where a command starts (line start, after
# ! ; & | ( or a blank) and followed by a blank
function each_cmd(op, word, to,    rest, pos, off, pre) {
    off = 0
    rest = $0
    while ((pos = index(rest, word " ")) > 0) {
        pre = off + pos - 1 > 0 ? substr($0, off + pos - 1, 1) : ""
        if (pre == "" || pre ~ /[ \t!;&|(]/) {
            emit(op, substr($0, 1, off + pos - 1) to substr($0, off + pos + length(word)))
        }
        off += pos + length(word) - 1
        rest = substr($0, off + 1)
    }
}

function sh_line(    kw, body) {
    each("rc0-7", "$OCF_SUCCESS", "$OCF_NOT_RUNNING", "(return|exit|mh_fail) .*\\$OCF_SUCCESS")
    each("rc7-0", "$OCF_NOT_RUNNING", "$OCF_SUCCESS", "(return|exit|mh_fail) .*\\$OCF_NOT_RUNNING")
    each("rc7-1", "$OCF_NOT_RUNNING", "$OCF_ERR_GENERIC", "(return|exit|mh_fail) .*\\$OCF_NOT_RUNNING")
    each("rc1-7", "$OCF_ERR_GENERIC", "$OCF_NOT_RUNNING", "(return|exit|mh_fail) .*\\$OCF_ERR_GENERIC")
    each("rc6-2", "$OCF_ERR_CONFIGURED", "$OCF_ERR_ARGS", "(return|exit|mh_fail) .*\\$OCF_ERR_CONFIGURED")
    if (match($0, /^[ \t]*(if|elif|while|until) /)) {
        kw = substr($0, 1, RLENGTH)
        body = substr($0, RLENGTH + 1)
        if (substr(body, 1, 2) == "! ") {
            emit("neg", kw substr(body, 3))
        } else {
            emit("neg", kw "! " body)
        }
    }
    each("cmp", " -eq ", " -ne ", "\\[ ")
    each("cmp", " -ne ", " -eq ", "\\[ ")
    each("cmp", " -lt ", " -ge ", "\\[ ")
    each("cmp", " -ge ", " -lt ", "\\[ ")
    each("cmp", " -gt ", " -le ", "\\[ ")
    each("cmp", " -le ", " -gt ", "\\[ ")
    each("cmp", " = ", " != ", "\\[ ")
    each("cmp", " != ", " = ", "\\[ ")
    each_cmd("kill", "kill -9", ": -9")
    each_cmd("kill", "kill -KILL", ": -KILL")
    each("kill", "=KILL", "=TERM")
    each("kill", "signal KILL", "signal TERM")
    each_cmd("umount", "umount", ":")
    if ($0 !~ /mh_time_left\(\)/) {
        each("time", "mh_time_left", "true")
    }
    each("return", "|| return", "|| :")
    each("return", "&& return", "&& :")
}

function c_line(    p, i, depth, c, cond, endp) {
    each("cmp", " < ", " <= ")
    each("cmp", " <= ", " < ")
    each("cmp", " > ", " >= ")
    each("cmp", " >= ", " > ")
    each("cmp", " == ", " != ")
    each("cmp", " != ", " == ")
    p = index($0, "if (")
    if (p > 0) {
        depth = 0
        endp = 0
        for (i = p + 3; i <= length($0); i++) {
            c = substr($0, i, 1)
            if (c == "(") {
                depth++
            } else if (c == ")") {
                depth--
                if (depth == 0) {
                    endp = i
                    break
                }
            }
        }
        if (endp > 0) {
            cond = substr($0, p + 4, endp - p - 4)
            if (cond ~ /[<>]/ && cond ~ /sizeof|len|size|max|cap|MAX|LEN|SIZE|end|lim|count|avail|left|(^|[^A-Za-z0-9_])n([^A-Za-z0-9_]|$)/) {
                emit("bounds", substr($0, 1, p + 3) "0 && (" cond "))" substr($0, endp + 1))
            }
        }
    }
    if (match($0, /return (-E[A-Z]+|-errno|-1|MH_E_[A-Z_]+|MH_EXIT_USAGE|MH_EXIT_FAILED);/) &&
        $0 !~ /-ENOMEM/) {
        emit("err", substr($0, 1, RSTART - 1) "return 0;" substr($0, RSTART + RLENGTH))
    }
}

BEGIN {
    want_text = ENVIRON["MUTATE_TEXT"]
    skip_until = ""
    in_comment = 0
    ncand = 0
}

{
    line[NR] = $0
    split("", opn)
    if (lang == "sh") {
        if (skip_until != "") {
            if (trim($0) == skip_until) {
                skip_until = ""
            }
            next
        }
        if ($0 ~ /^[ \t]*#/) {
            next
        }
        sh_line()
        if (match($0, /<<-?[ ]*['"]?[A-Za-z_]+/)) {
            skip_until = substr($0, RSTART, RLENGTH)
            sub(/^<<-?[ ]*['"]?/, "", skip_until)
        }
    } else {
        t = trim($0)
        if (in_comment) {
            if (index(t, "*/") > 0) {
                in_comment = 0
            }
            next
        }
        if (substr(t, 1, 2) == "/*") {
            if (index(substr(t, 3), "*/") == 0) {
                in_comment = 1
            }
            next
        }
        if (substr(t, 1, 1) == "#" || substr(t, 1, 2) == "//" || substr(t, 1, 1) == "*") {
            next
        }
        c_line()
    }
}

END {
    if (mode != "apply") {
        exit 0
    }
    if (ncand == 0) {
        exit 3
    }
    # the candidate nearest to want_line (a line of this text that moved
    # with edits above it), the first one without it
    pick = cand[1]
    if (want_line != "") {
        best = -1
        for (i = 1; i <= ncand; i++) {
            dist = cand[i] - want_line
            if (dist < 0) {
                dist = -dist
            }
            if (best < 0 || dist < best) {
                best = dist
                pick = cand[i]
            }
        }
    }
    for (i = 1; i <= NR; i++) {
        print (i == pick ? candtext[i] : line[i])
    }
    printf "%d\n", pick >"/dev/stderr"
}
