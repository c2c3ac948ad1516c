#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""loadgen.py - SMTP load generator and mailbox checker of the mailha lab.

Usage:
  loadgen.py probe --host IP                 exit 0 if IP:25 greets with 220
  loadgen.py send --host IP --min N --until FILE --log FILE [--threads T]
      send at least N messages, and keep sending until FILE exists; every
      message whose DATA got 250 is appended to the log as
      "MESSAGE-ID<TAB>recipient,recipient<TAB>UNIX-TIME"; refused
      connections, 4xx replies and dropped sessions are retried like a
      real client does.
  loadgen.py gap --log FILE --from T0 [--to T1]
      the longest time without a 250 from T0 on (T0 counts as one), up to
      T1 (default: the last 250 in the log): "GAP_SECONDS ENDS_AT_SECONDS"
      (both from T0), the fault's outage as the clients saw it.
  loadgen.py verify --log FILE --mbox-dir DIR
      count each logged Message-ID in every recipient's mbox (DIR/USER);
      print a summary and exit 1 if any accepted message is missing.

Recipients cycle through three kinds: one user, three users, and the
"team" alias (a :include: list expanding to alice, bob, carol).
"""

import argparse
import json
import os
import smtplib
import socket
import sys
import threading
import time
import uuid

DOMAIN = "mhlab.test"
ALIASES = {"team": ["alice", "bob", "carol"]}
KINDS = [["alice"], ["bob", "carol", "dave"], ["team"]]


def expand(rcpts):
    """expand - local users a list of recipients ends up in"""
    out = []
    for r in rcpts:
        out.extend(ALIASES.get(r, [r]))
    return out


def probe(host, timeout=3.0):
    """probe - True if host:25 answers its greeting with 220"""
    try:
        with socket.create_connection((host, 25), timeout=timeout) as s:
            s.settimeout(timeout)
            banner = s.recv(512)
            ok = banner.startswith(b"220")
            try:
                s.sendall(b"QUIT\r\n")
            except OSError:
                pass
            return ok
    except OSError:
        return False


class Sender:
    """Sender - shared state of the sending threads"""

    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.next = 0
        self.accepted = 0
        self.retries = 0
        self.rejected = 0
        self.run = uuid.uuid4().hex[:8]
        self.log = open(args.log, "a", encoding="ascii")

    def take(self):
        """take - next message number, or None when done"""
        with self.lock:
            if self.next >= self.args.min and os.path.exists(self.args.until):
                return None
            n = self.next
            self.next += 1
            return n

    def send_one(self, n):
        """send_one - deliver message n, retrying transient failures"""
        rcpts = KINDS[n % len(KINDS)]
        msgid = "<mhlab-%s-%06d@client.%s>" % (self.run, n, DOMAIN)
        body = ("From: loadgen@client.%s\r\nTo: %s\r\nSubject: load %d\r\n"
                "Message-ID: %s\r\n\r\nmessage %d of run %s\r\n" %
                (DOMAIN, ", ".join("%s@%s" % (r, DOMAIN) for r in rcpts),
                 n, msgid, n, self.run))
        todo = list(rcpts)
        deadline = time.monotonic() + self.args.give_up
        while todo and time.monotonic() < deadline:
            try:
                with smtplib.SMTP(self.args.host, 25, timeout=10) as s:
                    s.ehlo("client.%s" % DOMAIN)
                    refused = s.sendmail("loadgen@client.%s" % DOMAIN,
                                         ["%s@%s" % (r, DOMAIN) for r in todo],
                                         body)
                    done = [r for r in todo
                            if "%s@%s" % (r, DOMAIN) not in refused]
                    with self.lock:
                        self.log.write("%s\t%s\t%.3f\n" % (msgid, ",".join(expand(done)),
                                                             time.time()))
                        self.log.flush()
                        self.accepted += 1
                    todo = [r for r in todo if r not in done]
                    if todo:
                        bad = [refused["%s@%s" % (r, DOMAIN)][0] for r in todo]
                        if all(code >= 500 for code in bad):
                            raise smtplib.SMTPRecipientsRefused(refused)
                    continue
            except smtplib.SMTPRecipientsRefused as e:
                codes = [v[0] for v in e.recipients.values()]
                if all(c >= 500 for c in codes):
                    with self.lock:
                        self.rejected += 1
                    return
            except smtplib.SMTPResponseException as e:
                if e.smtp_code >= 500:
                    with self.lock:
                        self.rejected += 1
                    return
            except (OSError, smtplib.SMTPException):
                pass
            with self.lock:
                self.retries += 1
            time.sleep(0.3)
        if todo:
            with self.lock:
                self.rejected += 1

    def worker(self):
        """worker - one client thread"""
        while True:
            n = self.take()
            if n is None:
                return
            self.send_one(n)
            if self.args.pause:
                time.sleep(self.args.pause)


def cmd_send(args):
    """cmd_send - the load run"""
    s = Sender(args)
    threads = [threading.Thread(target=s.worker) for _ in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"run": s.run, "messages": s.next, "accepted": s.accepted,
                      "retries": s.retries, "given_up": s.rejected}))
    return 0 if s.rejected == 0 else 1


def cmd_verify(args):
    """cmd_verify - every accepted message in every recipient's mbox"""
    want = {}
    with open(args.log, encoding="ascii") as f:
        for line in f:
            msgid, _, rest = line.rstrip("\n").partition("\t")
            rc = rest.split("\t")[0]
            for r in rc.split(","):
                if r:
                    want.setdefault(r, {}).setdefault(msgid, 0)
                    want[r][msgid] += 1
    missing = dups = delivered = expected = 0
    for user, ids in sorted(want.items()):
        seen = {}
        path = os.path.join(args.mbox_dir, user)
        if os.path.exists(path):
            in_headers = False
            with open(path, encoding="latin-1") as f:
                for line in f:
                    if line.startswith("From "):
                        in_headers = True
                    elif in_headers and line in ("\n", "\r\n"):
                        in_headers = False
                    elif in_headers and line.lower().startswith("message-id:"):
                        mid = line.split(":", 1)[1].strip()
                        seen[mid] = seen.get(mid, 0) + 1
        for mid, n in ids.items():
            expected += 1
            got = seen.get(mid, 0)
            if got == 0:
                missing += 1
                if missing <= 10:
                    print("missing: %s for %s" % (mid, user))
            else:
                delivered += 1
                # A message retried after an unanswered DATA may be logged
                # (and delivered) twice; only extra copies are duplicates.
                dups += max(0, got - n)
    print(json.dumps({"expected": expected, "delivered": delivered,
                      "missing": missing, "duplicates": dups}))
    return 0 if missing == 0 else 1


def cmd_gap(args):
    """cmd_gap - the longest stretch without a 250 from --from on"""
    times = []
    with open(args.log, encoding="ascii") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 3:
                t = float(fields[2])
                if t >= args.start and (args.to is None or t <= args.to):
                    times.append(t)
    times.sort()
    prev, gap, ends = args.start, 0.0, 0.0
    for t in times:
        if t - prev > gap:
            gap, ends = t - prev, t - args.start
        prev = t
    if args.to is not None and args.to - prev > gap:
        gap, ends = args.to - prev, args.to - args.start
    print("%.1f %.1f" % (gap, ends))
    return 0


def main():
    """main - dispatch"""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    pr = sub.add_parser("probe")
    pr.add_argument("--host", required=True)
    se = sub.add_parser("send")
    se.add_argument("--host", required=True)
    se.add_argument("--min", type=int, default=2000)
    se.add_argument("--until", required=True)
    se.add_argument("--log", required=True)
    se.add_argument("--threads", type=int, default=4)
    se.add_argument("--pause", type=float, default=0.0)
    se.add_argument("--give-up", type=float, default=600.0)
    ga = sub.add_parser("gap")
    ga.add_argument("--log", required=True)
    ga.add_argument("--from", dest="start", type=float, required=True)
    ga.add_argument("--to", type=float)
    ve = sub.add_parser("verify")
    ve.add_argument("--log", required=True)
    ve.add_argument("--mbox-dir", required=True)
    args = p.parse_args()
    if args.cmd == "probe":
        return 0 if probe(args.host) else 1
    if args.cmd == "send":
        return cmd_send(args)
    if args.cmd == "gap":
        return cmd_gap(args)
    return cmd_verify(args)


if __name__ == "__main__":
    sys.exit(main())
