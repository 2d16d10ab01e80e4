#!/usr/bin/env python3
"""The parts of bench/run that are easier in Python than in bash: seeding, reading forms,
finding the deep page, probing, sampling memory, timing a launch, and the report.

Standard library only: it runs on the system Python, without the peer's venv.
Every subcommand is called by bench/run; `python3 bench.py -h` lists them.
"""

import argparse
import html
import html.parser
import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import unicodedata
import urllib.parse

# ---------------------------------------------------------------------------------------------
# Seed data: realistic, varied and unique names, the same on every backend and every run.

FIRST = """Ada Alan Amara Anders Ana Anika Arjun Astrid Aurora Beatriz Benedikt Bjørn Bruno Camila
Carlos Chidi Chloé Clara Daniel Dmitri Elena Elif Emeka Emil Emma Esther Fatima Felix Freya
Gabriel Grace Hana Hannah Hiro Ibrahim Ingrid Isaac Isabel Ivan Jamal Jana José Julia Kai Kamala
Karin Katarzyna Kenji Kofi Lars Layla Leila Leon Linnea Lucas Lucía Łukasz Maja Malik Marco Maria
Mateo Mei Mia Mohammed Nadia Naomi Nia Nikolai Noah Nora Olga Omar Oscar Paolo Priya Quentin Rafael
Rania Ravi Rosa Ruth Sakura Samuel Sara Selin Siobhán Sofia Søren Tariq Thea Tomás Uma Valentina
Victor Wei Wilhelmina Xavier Yara Yusuf Zainab Zoë Aaliyah Bashir Cormac Dagny Eero Farid Giulia
Hamza Imani Jovan Kalani Lorenzo Marisol""".split()

# Surnames from syllables: 450 plausible ones ("Ashford", "Blackwood", "Thornley", ...).
SURNAME_HEADS = """Ash Black Bright Brook Cald Cole Crane Dal Dun East Fair Fern Gold Green Hal
Hart Holl Kings Lang Mar Mill New North Oak Red Rich Stan Thorn West Wood""".split()
SURNAME_TAILS = "ford wood ley ton well by field more dale worth man hurst croft wick shaw".split()
SURNAMES = [h + t for h in SURNAME_HEADS for t in SURNAME_TAILS]
INITIALS = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
COMBINATIONS = len(FIRST) * len(INITIALS) * len(SURNAMES)
# A multiplier coprime with COMBINATIONS scatters names over ids, so id order and name order
# are unrelated, as in a table filled over years.
SCATTER = 1_000_003


def seed_name(i):
    j = (i * SCATTER) % COMBINATIONS
    first = FIRST[j % len(FIRST)]
    j //= len(FIRST)
    initial = INITIALS[j % len(INITIALS)]
    surname = SURNAMES[j // len(INITIALS)]
    name = f"{first} {initial}. {surname}"
    block = i // COMBINATIONS
    return name if block == 0 else f"{name} {block + 1}"


def check_seed_constants():
    import math

    assert math.gcd(SCATTER, COMBINATIONS) == 1, "SCATTER must be coprime with COMBINATIONS"
    assert len(set(FIRST)) == len(FIRST) and len(set(SURNAMES)) == len(SURNAMES)
    # The search term must be a first name only, or the search would match surnames too.
    assert not any("grace" in s.lower() for s in SURNAMES)


def key_of(text):
    """The app's name key (src/person_name.rs, key_of): whitespace runs collapsed, lower case,
    NFC. Uniqueness and search use it, so seeded rows must carry the one the app would write."""
    collapsed = " ".join(text.split())
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", collapsed).lower())


# The columns the seed knows how to fill, from the row number and the name. Any other column
# must have a default (version, creation_key do); a NOT NULL one without stops the seed with
# the database's error, which is the cue to add it here.
SEED_COLUMNS = {
    "id": lambda i, name: i + 1,
    "name": lambda i, name: name,
    "name_key": lambda i, name: key_of(name),
}


def seed_rows(rows, columns):
    for i in range(rows):
        name = seed_name(i)
        yield tuple(SEED_COLUMNS[c](i, name) for c in columns)


def psql(url, sql, **kwargs):
    return subprocess.run(["psql", "-X", "-qAt", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                          check=True, text=True, capture_output=True, **kwargs).stdout


def cmd_seed(args):
    """Bulk-load ROWS people into the (migrated, empty) person table at URL."""
    check_seed_constants()
    if args.url.startswith(("postgres://", "postgresql://")):
        present = psql(args.url, "SELECT column_name FROM information_schema.columns "
                                 "WHERE table_name = 'person'").split()
        columns = [c for c in SEED_COLUMNS if c in present]
        copy = subprocess.Popen(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", args.url, "-c",
             f"\\copy person ({', '.join(columns)}) from stdin"],
            stdin=subprocess.PIPE, text=True)
        # COPY's text format: no seeded value holds a tab, newline or backslash.
        for row in seed_rows(args.rows, columns):
            copy.stdin.write("\t".join(map(str, row)) + "\n")
        copy.stdin.close()
        if copy.wait() != 0:
            sys.exit("COPY into person failed")
        psql(args.url, "SELECT setval(pg_get_serial_sequence('person', 'id'), "
                       "(SELECT max(id) FROM person))")
        psql(args.url, "VACUUM ANALYZE person")
    else:
        con = sqlite3.connect(sqlite_path(args.url))
        present = [r[1] for r in con.execute("PRAGMA table_info(person)")]
        columns = [c for c in SEED_COLUMNS if c in present]
        # WAL is what our app sets on every connection and it is stored in the file, so the
        # peer, which sets nothing, gets it too: both write in the same journal mode.
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA cache_size=-400000")
        con.execute("PRAGMA synchronous=OFF")
        with con:
            con.executemany(
                f"INSERT INTO person ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                seed_rows(args.rows, columns),
            )
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
    print(", ".join(columns))


def cmd_seed_trash(args):
    """Put TRASH people in our trash (person_trash) beside the LIVE seeded ones, with ids
    after theirs and deleted within the last day: what the list page must not slow down for."""
    first = args.live + 1
    rows = ((first + i, f"Trashed {seed_name(i)}", key_of(f"Trashed {seed_name(i)}"), 1)
            for i in range(args.trash))
    if args.url.startswith(("postgres://", "postgresql://")):
        copy = subprocess.Popen(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", args.url, "-c",
             "\\copy person_trash (id, name, name_key, version) from stdin"],
            stdin=subprocess.PIPE, text=True)
        for row in rows:
            copy.stdin.write("\t".join(map(str, row)) + "\n")
        copy.stdin.close()
        if copy.wait() != 0:
            sys.exit("COPY into person_trash failed")
        psql(args.url, f"SELECT setval(pg_get_serial_sequence('person', 'id'), {first + args.trash})")
        psql(args.url, "VACUUM ANALYZE person_trash")
    else:
        con = sqlite3.connect(sqlite_path(args.url))
        con.execute("PRAGMA synchronous=OFF")
        with con:
            con.executemany("INSERT INTO person_trash (id, name, name_key, version) "
                            "VALUES (?, ?, ?, ?)", rows)
            con.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'person'",
                        (first + args.trash,))
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
    print(f"{args.trash} in the trash")


def sqlite_path(url):
    rest = url[len("sqlite:"):] if url.startswith("sqlite:") else url
    return rest[2:] if rest.startswith("//") else rest


# ---------------------------------------------------------------------------------------------
# HTTP helpers (loopback only: the bench never targets anything else).


def loopback(url):
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"refusing to benchmark {url}: only the loopback address is a target")
    return parts


def http_request(url, method="GET", body=None, headers=None, timeout=60):
    parts = loopback(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    start = time.perf_counter()
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    elapsed = time.perf_counter() - start
    conn.close()
    return resp, data.decode("utf-8", "replace"), elapsed


PERSON_LINK = re.compile(r'href="/people/(\d+)"[^>]*>(.*?)</a>', re.S)


def person_links(page):
    """(id, name) of each person linked by name from a list page, in page order: the first
    link to /people/<id> whose text is not empty (the name; Edit and Delete link elsewhere)."""
    seen, rows = set(), []
    for m in PERSON_LINK.finditer(page):
        pid = int(m.group(1))
        name = html.unescape(re.sub(r"<[^>]+>", "", m.group(2))).strip()
        if pid not in seen and name:
            seen.add(pid)
            rows.append((pid, name))
    return rows


class HiddenInputs(html.parser.HTMLParser):
    """The hidden inputs of the first form that posts, in document order."""

    def __init__(self):
        super().__init__()
        self.fields = []
        self.in_form = False
        self.done = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and (a.get("method") or "").lower() == "post":
            self.in_form = True
        elif tag == "input" and self.in_form and (a.get("type") or "").lower() == "hidden":
            if a.get("name"):
                self.fields.append((a["name"], a.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
            self.done = True


def lua_string(s):
    out = []
    for b in s.encode("utf-8"):
        c = chr(b)
        out.append(c if c.isalnum() or c in " %+-._~=;/:,*!()@" else f"\\{b:03d}")
    return '"' + "".join(out) + '"'


def read_form(base, form_path):
    resp, page, _ = http_request(base + form_path)
    if resp.status != 200:
        sys.exit(f"GET {form_path} answered {resp.status}, not 200: cannot read the form")
    parser = HiddenInputs()
    parser.feed(page)
    cookies = []
    for header in resp.headers.get_all("Set-Cookie") or []:
        pair = header.split(";", 1)[0].strip()
        if "=" in pair:
            cookies.append(pair)
    return parser.fields, "; ".join(cookies)


ONE_TIME_KEY = re.compile(r"(^|_)key$")


def field_kind(name, value):
    """How post_form.lua fills a hidden field: as read, a fresh one-time key per request
    (`form_key`, `creation_key`, ...), or the record's version for the stale-edit check."""
    if ONE_TIME_KEY.search(name):
        return "key"
    if name == "version" and value.lstrip("-").isdigit():
        return "version"
    return "fixed"


def cmd_form(args):
    """Read a form page and write the Lua config post_form.lua sends, after checking with one
    real submission, built the same way, that the server accepts it (a redirect)."""
    fields, cookie = read_form(args.base, args.form_path)
    if any(k == "name" for k, _ in fields):
        sys.exit(f"{args.form_path}: a hidden input is called `name`, the field we type into")
    q = urllib.parse.quote_plus
    parts = []
    for k, v in fields:
        if field_kind(k, v) == "key":
            v = os.urandom(len(v) // 2 + 1).hex()[: len(v)]
        parts.append(f"{q(k)}={q(v)}")
    parts.append("name=" + args.name_prefix + "+probe")
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if cookie:
        headers["Cookie"] = cookie
    post_path = args.post_path.replace("{id}", str(args.probe_id))
    resp, page, _ = http_request(args.base + post_path, "POST", "&".join(parts), headers)
    if not 300 <= resp.status < 400:
        snippet = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))[:300]
        sys.exit(
            f"POST {post_path} (fields {', '.join([k for k, _ in fields] + ['name'])}) "
            f"answered {resp.status}, not a redirect: {snippet.strip()}"
        )
    with open(args.out, "w") as f:
        f.write("return {\n")
        f.write(f"  path = {lua_string(args.post_path)},\n")
        f.write(f"  max_id = {args.max_id},\n")
        # The probe just updated this one: its version is no longer the one read.
        f.write(f"  skip_id = {args.probe_id if '{id}' in args.post_path else 0},\n")
        f.write(f"  threads = {args.threads},\n")
        f.write(f"  name_prefix = {lua_string(args.name_prefix)},\n")
        f.write(f"  cookie = {lua_string(cookie)},\n")
        f.write("  fields = {\n")
        for k, v in fields:
            kind = field_kind(k, v)
            f.write(f"    {{{lua_string(q(k))}, {lua_string(q(v))}, "
                    f"{lua_string(kind)}, {len(v)}}},\n")
        f.write("  },\n}\n")
    print(" ".join(f"{k}({field_kind(k, v)})" for k, v in fields) or "none")


def cmd_probe(args):
    """Requests before the load, which also warm the server's caches (every gunicorn worker
    compiles its templates on first use): the first one's status, time and size, how many
    people the page lists, and any later status that differed. Prints JSON; the caller
    decides what is fatal."""
    out = {}
    began = time.perf_counter()
    for i in range(args.count):
        if i and time.perf_counter() - began > args.slow:
            break  # warm enough; a slow page is not worth more probing
        try:
            resp, page, elapsed = http_request(args.url, timeout=args.timeout)
        except (OSError, http.client.HTTPException) as e:
            out.setdefault("status", 0)
            out["error"] = str(e)
            out.setdefault("seconds", args.timeout)
            break
        if i == 0:
            out = {
                "status": resp.status,
                "seconds": round(elapsed, 4),
                "bytes": len(page.encode()),
                "people": len(person_links(page)),
            }
            if elapsed > args.slow:
                break
        elif resp.status != out["status"]:
            out["error"] = f"request {i + 1} answered {resp.status}"
            break
    print(json.dumps(out))


def db_row_at(db_url, offset):
    """(id, name_key) of the row at `offset` in the list's order (name_key, then id), asked
    of the database itself so the collation is the one the app sorts by; the cursor holds
    the key."""
    sql = f"SELECT id, name_key FROM person ORDER BY name_key, id LIMIT 1 OFFSET {int(offset)}"
    if db_url.startswith(("postgres://", "postgresql://")):
        out = subprocess.run(
            ["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-F", "\t", db_url, "-c", sql],
            check=True, capture_output=True, text=True,
        ).stdout.rstrip("\n")
        pid, name = out.split("\t", 1)
        return int(pid), name
    con = sqlite3.connect(f"file:{sqlite_path(db_url)}?mode=ro", uri=True)
    row = con.execute(sql).fetchone()
    con.close()
    return int(row[0]), row[1]


def find_next(page):
    """The href of the list's next-page link (an `after=` cursor), if any."""
    hrefs = [html.unescape(h) for h in re.findall(r'href="([^"]*after=[^"]*)"', page)]
    for m in re.finditer(r"<a\b[^>]*>", page):
        tag = m.group(0)
        if re.search(r'rel="[^"]*\bnext\b', tag):
            h = re.search(r'href="([^"]*)"', tag)
            if h and "after=" in h.group(1):
                return html.unescape(h.group(1))
    return hrefs[-1] if hrefs else None


def substitute_cursor(value, last, deep):
    """The cursor value that would follow `deep` instead of `last`, when the cursor shows the
    row's name and/or id (plainly or base64-encoded); None when it is opaque."""
    import base64

    def swap(text):
        if last[1] not in text and not re.search(rf"(?<!\d){last[0]}(?!\d)", text):
            return None
        text = text.replace(last[1], deep[1])
        return re.sub(rf"(?<!\d){last[0]}(?!\d)", str(deep[0]), text)

    plain = swap(value)
    if plain is not None:
        return plain
    for decode, encode in (
        (base64.urlsafe_b64decode, base64.urlsafe_b64encode),
        (base64.b64decode, base64.b64encode),
    ):
        try:
            padded = value + "=" * (-len(value) % 4)
            decoded = decode(padded).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            continue
        swapped = swap(decoded)
        if swapped is not None:
            encoded = encode(swapped.encode()).decode()
            return encoded if value.endswith("=") else encoded.rstrip("=")
    return None


def cmd_deep_url(args):
    """Our deep page: the list page that follows the row at `offset`, reached through the
    `after=` cursor the first page links to. Prints JSON {path, depth, how} or {error}."""
    resp, page, _ = http_request(args.base + "/people")
    rows = person_links(page)
    nxt = find_next(page)
    if resp.status != 200 or not rows or not nxt:
        print(json.dumps({"error": "no after= link on /people (no keyset pagination yet)"}))
        return
    # Everything up to the cursor in the URL stays as the app wrote it (sort, q, ...).
    split = urllib.parse.urlsplit(nxt)
    query = urllib.parse.parse_qsl(split.query, keep_blank_values=True)
    cursor = dict(query).get("after", "")
    # Our cursor holds the row's name key (seeded names: key_of of the name shown).
    last = (rows[-1][0], key_of(rows[-1][1]))
    deep = db_row_at(args.db_url, args.offset - 1)
    want_first = db_row_at(args.db_url, args.offset)
    value = substitute_cursor(cursor, last, deep)
    if value is not None:
        new_query = urllib.parse.urlencode(
            [(k, value if k == "after" else v) for k, v in query]
        )
        path = urllib.parse.urlunsplit(("", "", split.path or "/people", new_query, ""))
        resp2, page2, _ = http_request(args.base + path)
        got = person_links(page2)
        if resp2.status == 200 and got and got[0][0] == want_first[0]:
            print(json.dumps({"path": path, "depth": args.offset, "how": "cursor"}))
            return
    # An opaque cursor: walk the next links as far as a bounded number of pages goes.
    path, depth = nxt, len(rows)
    for _ in range(args.max_hops):
        resp2, page2, _ = http_request(args.base + path)
        got = person_links(page2)
        following = find_next(page2)
        if resp2.status != 200 or not got or not following:
            break
        depth += len(got)
        path = following
    print(json.dumps({"path": path, "depth": depth, "how": "followed next links"}))


# ---------------------------------------------------------------------------------------------
# Processes: launch time and memory.


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree(pid):
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return pids


def status_kb(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cmd_rss(args):
    """Sample the resident memory of PID and its children (gunicorn: master + workers) until
    SIGTERM, then write the peak of their sum in KiB. A single process's own high-water mark
    (VmHWM) also counts, so a spike between two samples is not missed."""
    peak = 0
    stop = False

    def on_term(*_):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_term)
    while not stop:
        pids = tree(args.pid)
        total = sum(status_kb(p, "VmRSS") for p in pids)
        if len(pids) == 1:
            total = max(total, status_kb(args.pid, "VmHWM"))
        peak = max(peak, total)
        time.sleep(args.interval)
    with open(args.out, "w") as f:
        f.write(f"{peak}\n")


def cpu_ticks(pid):
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total


def pg_active(pg_url, like):
    sql = ("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
           f"AND pid <> pg_backend_pid() AND datname LIKE '{like}'")
    try:
        out = subprocess.run(["psql", "-X", "-At", pg_url, "-c", sql],
                             capture_output=True, text=True, timeout=10).stdout.strip()
        return int(out or 0)
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return 0


def cmd_idle(args):
    """Wait until the servers (and their PostgreSQL queries) are idle. After wrk stops, a
    server may still be working through requests it had queued (gunicorn's sync workers take
    every connection left in the listen backlog); measuring the next workload meanwhile
    would charge that work to it, or to the other server. Prints the seconds waited."""
    start = time.monotonic()
    window, hz = args.window, os.sysconf("SC_CLK_TCK")
    # Under 10% of one core for the whole window counts as idle.
    allowed = max(1, int(0.1 * window * hz))
    while time.monotonic() - start < args.timeout:
        before = sum(cpu_ticks(p) for p in args.pids)
        time.sleep(window)
        after = sum(cpu_ticks(p) for p in args.pids)
        if after - before <= allowed and not (args.pg and pg_active(args.pg, args.pg_like)):
            break
    print(f"{time.monotonic() - start:.1f}")


def cmd_probe_latency(args):
    """For bench/search-load: a show page and /health in turn for SECONDS, one at a time,
    each timed; prints p50/p99 per path and every answer that was not 200."""
    import http.client
    import random

    host = urllib.parse.urlparse(args.base)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
    times = {"show": [], "health": []}
    errors = []
    end = time.monotonic() + args.seconds
    while time.monotonic() < end:
        for kind in ("show", "health"):
            path = f"/people/{random.randint(1, args.max_id)}" if kind == "show" else "/health"
            start = time.monotonic()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError as e:
                status = str(e)
                conn = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
            times[kind].append((time.monotonic() - start) * 1000)
            if status != 200:
                errors.append(f"{path}: {status}")
            time.sleep(0.01)
    for kind, ms in times.items():
        ms.sort()
        p = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]
        print(f"{kind}: {len(ms)} requests, p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, max {ms[-1]:.1f} ms")
    print(f"probe errors: {len(errors)}" + (f" ({errors[:5]})" if errors else ""))


def cmd_free_port(_args):
    print(free_port())


# ---------------------------------------------------------------------------------------------
# The report.

READS = ["list", "deep", "pages", "search", "search_rare", "search_common", "search_absent", "show", "edit"]
WORKLOADS = READS + ["static", "health", "create", "update"]
WORKLOAD_TEXT = {
    "list": "list page `/people`",
    "deep": "deep page (90% down the list)",
    "pages": "list pages at random places, no two alike (ours only: `?sort=newest&after=<id>`)",
    "search": "search `/people?q=...`",
    "search_rare": "search, rare text `?q=Ada+B.+Ash` (11 in 1,000,000)",
    "search_common": "search, common text `?q=ford` (6.7%)",
    "search_absent": "search, no match `?q=xyzzy`",
    "show": "show page `/people/<id>`",
    "edit": "edit form `/people/<id>/edit`",
    "static": "stylesheet (ours: the hashed address pages link, from memory)",
    "health": "`/health` (ours only: one database round trip)",
    "create": "create (POST the new form)",
    "update": "update (POST the edit form)",
}


def load_results(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt_rps(x):
    return "–" if x is None else (f"{x:,.0f}" if x >= 100 else f"{x:,.1f}")


def fmt_ms(us):
    if us is None:
        return "–"
    ms = us / 1000
    return f"{ms:.1f}" if ms < 100 else f"{ms:,.0f}"


def fmt_ratio(x):
    return "–" if x is None else (f"{x:.1f}x" if x < 100 else f"{x:,.0f}x")


def fmt_size(n):
    return f"{n:,}"


def yes_no(ok):
    return "n/a" if ok is None else ("**yes**" if ok else "**no**")


def errors_of(r):
    return sum(r.get(k, 0) for k in ("connect_errors", "read_errors", "write_errors",
                                     "status_errors", "timeouts", "failed_runs"))


def cmd_report(args):
    results = load_results(args.results)
    meta = json.loads(open(args.meta).read())
    runs = [r for r in results if r["kind"] == "load"]
    configs = []
    for r in results:
        if "backend" not in r:
            continue
        key = (r["backend"], r["rows"])
        if key not in configs:
            configs.append(key)

    def cell(server, backend, rows, workload):
        rs = [r for r in runs if (r["server"], r["backend"], r["rows"], r["workload"])
              == (server, backend, rows, workload)]
        return rs

    def per_round(rs):
        return {r["round"]: r for r in rs}

    def stat(rs, key):
        return median([r.get(key) for r in rs if "requests" in r])

    def ratio_of_ours(backend, rows, workload, other):
        mine = per_round(cell("ours", backend, rows, workload))
        base = per_round(cell("ours", backend, rows, other))
        rs = [mine[k]["rps"] / base[k]["rps"] for k in mine
              if k in base and mine[k].get("rps") and base[k].get("rps")]
        return median(rs)

    lines = []
    w = lines.append
    w(f"# People benchmark: {meta['mode']} run")
    w("")
    if meta.get("partial"):
        w("**A shortened run** (fewer seconds, rounds, sizes or backends than `bench/run` "
          "uses by default, or no peer): indicative only, not figures to publish.")
        w("")
    w(f"- Date: {meta['date']}")
    w(f"- Machine: {meta['cpus']} CPUs ({meta['cpu_model']}), {meta['memory']} memory, {meta['os']}")
    w(f"- Ours: `{meta['ours']}` ({meta['profile']} build, commit {meta['commit']})")
    if meta.get("peer"):
        w(f"- Peer: {meta['peer']}")
    w(f"- Load: `wrk -c{meta['connections']} -t{meta['threads']} -d{meta['duration']}s "
      f"--latency --timeout {meta['timeout']}s`, {meta['rounds']} round(s); each round starts "
      f"both servers on fresh copies of the seeded databases and alternates ours and the peer "
      f"workload by workload. Figures are medians over rounds; a ratio is the median of the "
      f"rounds' ratios.")
    w(f"- Command: `{meta['command']}`")
    w("")

    problems = []
    for backend, rows in configs:
        w(f"## {backend}, {fmt_size(rows)} people")
        w("")
        have_peer = any(r["server"] == "peer" for r in runs
                        if (r["backend"], r["rows"]) == (backend, rows))
        if have_peer:
            w("| workload | ours req/s | ours p50 ms | ours p99 ms | peer req/s | peer p50 ms "
              "| peer p99 ms | req/s ours/peer | p99 peer/ours | errors ours/peer |")
            w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        else:
            w("| workload | req/s | p50 ms | p99 ms | errors |")
            w("|---|---:|---:|---:|---:|")
        for workload in WORKLOADS:
            ours = cell("ours", backend, rows, workload)
            peer = cell("peer", backend, rows, workload)
            if not ours and not peer:
                continue
            o_err = sum(errors_of(r) for r in ours)
            p_err = sum(errors_of(r) for r in peer)
            o_note = next((r["note"] for r in ours if r.get("note")), "")
            p_note = next((r["note"] for r in peer if r.get("note")), "")
            label = WORKLOAD_TEXT[workload]
            if o_note:
                label += f" — ours: {o_note}"
            if p_note:
                label += f" — peer: {p_note}"
            if have_peer:
                ratios, p99_ratios = [], []
                po, pp = per_round(ours), per_round(peer)
                for rnd in po:
                    if rnd in pp and po[rnd].get("rps") and pp[rnd].get("rps"):
                        ratios.append(po[rnd]["rps"] / pp[rnd]["rps"])
                        if po[rnd].get("p99_us"):
                            p99_ratios.append(pp[rnd]["p99_us"] / po[rnd]["p99_us"])
                w(f"| {label} | {fmt_rps(stat(ours, 'rps'))} | {fmt_ms(stat(ours, 'p50_us'))} "
                  f"| {fmt_ms(stat(ours, 'p99_us'))} | {fmt_rps(stat(peer, 'rps'))} "
                  f"| {fmt_ms(stat(peer, 'p50_us'))} | {fmt_ms(stat(peer, 'p99_us'))} "
                  f"| {fmt_ratio(median(ratios))} | {fmt_ratio(median(p99_ratios))} "
                  f"| {o_err:,} / {p_err:,} |")
            else:
                w(f"| {label} | {fmt_rps(stat(ours, 'rps'))} | {fmt_ms(stat(ours, 'p50_us'))} "
                  f"| {fmt_ms(stat(ours, 'p99_us'))} | {o_err:,} |")
            for r in ours:
                if errors_of(r):
                    problems.append(f"ours, {backend} {fmt_size(rows)}, {workload}, round "
                                    f"{r['round']}: {describe_errors(r)}")
            for r in peer:
                if errors_of(r):
                    problems.append(f"peer, {backend} {fmt_size(rows)}, {workload}, round "
                                    f"{r['round']}: {describe_errors(r)}")
        # Tracked from issue 17 on: what the list costs beside the cheapest route that
        # touches the database, both measured by ours in the same round.
        r = ratio_of_ours(backend, rows, "list", "health")
        if r is not None:
            w("")
            w(f"List ÷ `/health` (req/s, median of the rounds' ratios): {r:.2f}x.")
        mem = [r for r in results if r["kind"] == "memory"
               and (r["backend"], r["rows"]) == (backend, rows)]
        o_mem = max((r["peak_kb"] for r in mem if r["server"] == "ours"), default=None)
        p_mem = max((r["peak_kb"] for r in mem if r["server"] == "peer"), default=None)
        launches = [r["ms"] for r in results if r["kind"] == "launch"
                    and (r["backend"], r["rows"]) == (backend, rows)]
        w("")
        extra = f"; ours launched (exec to port accepting) in {median(launches):.0f} ms" \
            if launches else ""
        w(f"Peak RSS under load: ours {mib(o_mem)}"
          + (f", peer {mib(p_mem)} (gunicorn master + workers)" if p_mem else "") + extra + ".")
        w("")

    if meta["mode"] == "smoke":
        # A debug build, one size, no peer: the figures only show that every workload runs.
        w("Targets are not judged in a smoke run.")
        w("")
        configs_for_targets = []
    else:
        configs_for_targets = configs
        w("## Targets")
        w("")
    if configs_for_targets:
        w("| target | where | figure | met |")
        w("|---|---|---:|---|")
    met_all = True

    def target(text, where, figure, ok):
        nonlocal met_all
        if ok is not True:
            met_all = False
        w(f"| {text} | {where} | {figure} | {yes_no(ok)} |")

    def ratio_median(backend, rows, workload, key_num="rps", other=("peer", None)):
        ours = per_round(cell("ours", backend, rows, workload))
        theirs = per_round(cell(other[0], backend, rows, other[1] or workload))
        rs = [ours[k][key_num] / theirs[k][key_num] for k in ours
              if k in theirs and ours[k].get(key_num) and theirs[k].get(key_num)]
        return median(rs)

    def clean(backend, rows, workload):
        rs = cell("ours", backend, rows, workload)
        return bool(rs) and all("requests" in r and not errors_of(r) for r in rs)

    for backend, rows in configs_for_targets:
        where = f"{backend}, {fmt_size(rows)}"
        for workload, factor in (("list", 30), ("create", 15)):
            r = ratio_median(backend, rows, workload)
            has_peer = bool(cell("peer", backend, rows, workload))
            ok = None if not has_peer else (r is not None and r >= factor and
                                             clean(backend, rows, workload))
            target(f"{workload} req/s ≥ {factor}x the peer's", where, fmt_ratio(r), ok)
        static = cell("ours", backend, rows, "static")
        r = ratio_median(backend, rows, "list", other=("ours", "static"))
        target("list req/s ≥ 0.5x our stylesheet's", where,
               "–" if r is None else f"{r:.2f}x",
               None if not static else (r is not None and r >= 0.5))
        health = cell("ours", backend, rows, "health")
        r = ratio_median(backend, rows, "static", other=("ours", "health"))
        target("stylesheet req/s ≥ our /health's", where,
               "–" if r is None else f"{r:.2f}x",
               None if not (static and health) else (r is not None and r >= 1.0))
        r = ratio_of_ours(backend, rows, "list", "health")
        target("list req/s ≥ 0.4x our /health's", where,
               "–" if r is None else f"{r:.2f}x",
               None if not health else (r is not None and r >= 0.4
                                        and clean(backend, rows, "list")))
        p99 = stat(cell("ours", backend, rows, "list"), "p99_us")
        target(f"list p99 < 10 ms at {meta['connections']} connections", where,
               "–" if p99 is None else f"{fmt_ms(p99)} ms",
               None if p99 is None else p99 < 10_000)
        worst, worst_w = None, None
        ok = True
        for workload in READS:
            rs = cell("ours", backend, rows, workload)
            p99 = stat(rs, "p99_us")
            if p99 is None or not clean(backend, rows, workload):
                ok = False
                worst_w = worst_w or f"{workload}: not measured"
                continue
            if worst is None or p99 > worst:
                worst, worst_w = p99, workload
            if p99 >= 20_000:
                ok = False
        figure = f"{fmt_ms(worst)} ms ({worst_w})" if worst is not None else (worst_w or "–")
        if worst is not None and worst_w and not ok and worst < 20_000:
            figure += "; some page not measured"
        target("p99 < 20 ms on every read page", where, figure, ok)
        mem = [r["peak_kb"] for r in results if r["kind"] == "memory"
               and r["server"] == "ours" and (r["backend"], r["rows"]) == (backend, rows)]
        peak = max(mem, default=None)
        target("RSS < 50 MB under load", where, mib(peak),
               None if peak is None else peak * 1024 < 50_000_000)
    for backend in dict.fromkeys(b for b, _ in configs_for_targets):
        sizes = sorted(r for b, r in configs_for_targets if b == backend)
        if len(sizes) < 2:
            continue
        lo, hi = sizes[0], sizes[-1]
        for workload in ["list", "deep", "search", "show", "create", "update"]:
            a = stat(cell("ours", backend, lo, workload), "rps")
            b = stat(cell("ours", backend, hi, workload), "rps")
            ok = (a is not None and b is not None and b * 2 >= a
                  and clean(backend, hi, workload) and clean(backend, lo, workload))
            fig = "not measured" if not (a and b) else f"{b / a:.2f}"
            target(f"{workload} at {fmt_size(hi)} within 2x of {fmt_size(lo)} "
                   f"(req/s at {fmt_size(hi)} ÷ at {fmt_size(lo)} ≥ 0.5)", backend, fig, ok)
        launches = [r["ms"] for r in results if r["kind"] == "launch"
                    and (r["backend"], r["rows"]) == (backend, hi)]
        m = median(launches)
        target(f"launch on an existing {fmt_size(hi)}-people database < 500 ms", backend,
               "–" if m is None else f"{m:.0f} ms", None if m is None else m < 500)
    if configs_for_targets:
        w("")
        w(f"All targets met: {'yes' if met_all else 'no'}.")
        w("")
    notes = [r for r in results if r["kind"] == "note"]
    if notes or problems:
        w("## Notes")
        w("")
        for n in notes:
            w(f"- {n['text']}")
        for p in problems:
            w(f"- Errors: {p}")
        w("")
    text = "\n".join(lines)
    with open(args.out, "w") as f:
        f.write(text)
    print(text)


def describe_errors(r):
    if r.get("failed_runs"):
        return r.get("note", "wrk failed")
    parts = []
    for key, text in (("status_errors", "non-2xx/3xx responses"), ("timeouts", "timeouts"),
                      ("connect_errors", "connect errors"), ("read_errors", "read errors"),
                      ("write_errors", "write errors")):
        if r.get(key):
            parts.append(f"{r[key]:,} {text}")
    bad = {s: n for s, n in (r.get("statuses") or {}).items() if not 200 <= int(s) < 400}
    if bad:
        parts.append("statuses " + ", ".join(f"{s}: {n:,}" for s, n in sorted(bad.items())))
    return ", ".join(parts) + f" of {r.get('requests', 0):,} requests"


def mib(kb):
    """In MB (10^6 bytes), the unit of the target; /proc counts KiB."""
    return "–" if kb is None else f"{kb * 1024 / 1e6:.1f} MB"


def cmd_record(args):
    """Turn one wrk log into a result line (and exit 3 if wrk reported any error)."""
    with open(args.log) as f:
        text = f.read()
    m = re.search(r"^BENCH_JSON (\{.*\})$", text, re.M)
    rec = json.loads(args.fields)
    if not m:
        last = text.strip().splitlines()[-1:] or ["(empty log)"]
        rec["note"] = f"wrk failed: {last[0]}"
        rec["failed_runs"] = 1
    else:
        data = json.loads(m.group(1))
        rec.update(data)
        rec["rps"] = data["requests"] / (data["duration_us"] / 1e6) if data["duration_us"] else 0
        if not data["requests"]:
            rec["note"] = f"no request completed in {data['duration_us'] / 1e6:.0f} s"
            for key in ("p50_us", "p90_us", "p99_us", "max_us", "mean_us"):
                rec.pop(key, None)
    if args.peak_file and os.path.exists(args.peak_file):
        rec["peak_kb"] = int(open(args.peak_file).read().strip() or 0)
    with open(args.results, "a") as f:
        f.write(json.dumps(rec) + "\n")
    errs = errors_of(rec)
    summary = (f"{rec.get('rps', 0):9.1f} req/s  p50 {fmt_ms(rec.get('p50_us'))} ms  "
               f"p99 {fmt_ms(rec.get('p99_us'))} ms")
    if errs:
        summary += f"  ERRORS: {describe_errors(rec)}"
    print(summary)
    sys.exit(3 if errs else 0)


def cmd_add(args):
    """Append one result line from key=value pairs (numbers stay numbers)."""
    rec = {}
    for pair in args.pairs:
        key, _, value = pair.partition("=")
        for conv in (int, float):
            try:
                value = conv(value)
                break
            except ValueError:
                pass
        rec[key] = value
    with open(args.results, "a") as f:
        f.write(json.dumps(rec) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("probe-latency")
    s.add_argument("--base", required=True)
    s.add_argument("--max-id", type=int, required=True)
    s.add_argument("--seconds", type=float, required=True)
    s.add_argument("--pid", type=int)
    s.set_defaults(fn=cmd_probe_latency)
    s = sub.add_parser("seed")
    s.add_argument("url")
    s.add_argument("rows", type=int)
    s.set_defaults(fn=cmd_seed)

    s = sub.add_parser("seed-trash")
    s.add_argument("url")
    s.add_argument("live", type=int)
    s.add_argument("trash", type=int)
    s.set_defaults(fn=cmd_seed_trash)

    s = sub.add_parser("form")
    s.add_argument("--base", required=True)
    s.add_argument("--form-path", required=True)
    s.add_argument("--post-path", required=True)
    s.add_argument("--probe-id", type=int, default=1)
    s.add_argument("--max-id", type=int, default=1)
    s.add_argument("--name-prefix", required=True)
    s.add_argument("--threads", type=int, default=2)
    s.add_argument("--out", required=True)
    s.set_defaults(fn=cmd_form)

    s = sub.add_parser("probe")
    s.add_argument("url")
    s.add_argument("--timeout", type=float, default=30)
    s.add_argument("--count", type=int, default=1)
    s.add_argument("--slow", type=float, default=1.0, help="stop after a first request this slow")
    s.set_defaults(fn=cmd_probe)

    s = sub.add_parser("deep-url")
    s.add_argument("--base", required=True)
    s.add_argument("--db-url", required=True)
    s.add_argument("--offset", type=int, required=True)
    s.add_argument("--max-hops", type=int, default=40)
    s.set_defaults(fn=cmd_deep_url)

    s = sub.add_parser("idle")
    s.add_argument("pids", type=int, nargs="+")
    s.add_argument("--window", type=float, default=0.2)
    s.add_argument("--timeout", type=float, default=90)
    s.add_argument("--pg", help="also wait for no active query on these databases")
    s.add_argument("--pg-like", default="people_bench_%")
    s.set_defaults(fn=cmd_idle)

    s = sub.add_parser("free-port")
    s.set_defaults(fn=cmd_free_port)

    s = sub.add_parser("rss")
    s.add_argument("pid", type=int)
    s.add_argument("out")
    s.add_argument("--interval", type=float, default=0.05)
    s.set_defaults(fn=cmd_rss)

    s = sub.add_parser("record")
    s.add_argument("--log", required=True)
    s.add_argument("--results", required=True)
    s.add_argument("--fields", required=True, help="JSON merged into the result line")
    s.add_argument("--peak-file")
    s.set_defaults(fn=cmd_record)

    s = sub.add_parser("add")
    s.add_argument("--results", required=True)
    s.add_argument("pairs", nargs="+", metavar="KEY=VALUE")
    s.set_defaults(fn=cmd_add)

    s = sub.add_parser("report")
    s.add_argument("--results", required=True)
    s.add_argument("--meta", required=True)
    s.add_argument("--out", required=True)
    s.set_defaults(fn=cmd_report)

    args = p.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
