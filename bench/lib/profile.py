"""Where the CPU goes while a page is under load: reads `perf script` output (system-wide
samples with call stacks), writes the stacks folded for a flame graph (inferno or
flamegraph.pl take them as they are), and prints a breakdown in which every sample is charged
to exactly one part of the work, so the parts add up to the whole machine.

Usage: perf script -i perf.data | python3 bench/lib/profile.py --folded OUT [--title T]
"""

import argparse
import collections
import re
import sys

# A sample goes to the first part, in this order, that one of its frames matches. The order
# runs from the most specific to the most general: a `sqlite3_step` under a diesel call under
# a tokio blocking thread is SQLite's time, not diesel's nor tokio's. Frames are matched on
# the demangled symbol; a kernel leaf is judged by the kernel rules first (time in the kernel
# on our behalf: sending a response, waking a thread).
KERNEL_RULES = [
    ("kernel: thread wake-ups and switches (futex, scheduling)",
     r"futex|schedule|switch_to|finish_task_switch|try_to_wake_up|do_nanosleep"),
    ("kernel: network (TCP, sockets, epoll)",
     r"tcp_|sock_|inet_|ip_|__dev_queue|loopback|net_rx|epoll|_sys_sendto|_sys_recvfrom"
     r"|_sys_writev|_sys_write|_sys_read|skb|__napi"),
]
USER_RULES = [
    ("SQLite: running statements (sqlite3_*)", r"^sqlite3|^sqlite3VdbeExec|^btree|^pager"),
    ("PostgreSQL client (tokio-postgres: protocol, rows)", r"tokio_postgres|postgres_protocol"),
    ("diesel / diesel-async: building, binding, reading rows",
     r"^diesel::|^diesel_async::|<diesel::|<diesel_async::"),
    ("rendering: askama templates and the views", r"askama|people::views::|as askama"),
    ("fairings and telemetry: request log, ids, Shield, cache policy",
     r"[Ff]airing|on_response|on_request|RequestLog|RequestContext|RequestId|Shield"
     r"|PrivatePages|WholeBodies|tracing_subscriber|Span::new|span::Span"),
    ("blocking-thread hops: spawn_blocking, parking, wake-ups",
     r"spawn_blocking|blocking::pool|blocking::task|park|Condvar|unpark|wake_by"),
    ("HTTP and routing: hyper, Rocket", r"^hyper::|<hyper::|^rocket::|<rocket::|rocket_http"),
    ("allocator (malloc, free)", r"malloc|^free|_int_free|realloc|cfree"),
    ("tokio runtime (scheduling tasks, timers, I/O driver)", r"tokio::|mio::"),
]


def samples(stream):
    """(comm, frames leaf first) for each sample in `perf script` output."""
    comm, frames = None, []
    for line in stream:
        line = line.rstrip("\n")
        if not line.strip():
            if comm is not None:
                yield comm, frames
            comm, frames = None, []
            continue
        if not line.startswith((" ", "\t")):
            comm = line.split()[0] if line.split() else "?"
            frames = []
            continue
        parts = line.strip().split(" ", 1)
        if len(parts) < 2:
            continue
        sym = parts[1]
        dso = ""
        m = re.search(r" \(([^()]*)\)$", sym)
        if m:
            dso = m.group(1)
            sym = sym[: m.start()]
        sym = re.sub(r"\+0x[0-9a-f]+$", "", sym)
        frames.append((sym, dso))
    if comm is not None:
        yield comm, frames


def part_of(comm, frames):
    if comm.startswith("wrk"):
        return "wrk (the load generator, same machine)"
    if comm.startswith("postgres"):
        return "PostgreSQL server processes"
    if comm.startswith(("perf", "python")):
        return "perf itself, other tools"
    if frames and "kernel" in frames[0][1]:
        for name, pattern in KERNEL_RULES:
            if re.search(pattern, frames[0][0]):
                return name
    for name, pattern in USER_RULES:
        rx = re.compile(pattern)
        if any(rx.search(sym) for sym, _ in frames):
            return name
    if frames and "kernel" in frames[0][1]:
        return "kernel: other"
    return "other (our process)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--folded")
    ap.add_argument("--title", default="")
    args = ap.parse_args()
    parts = collections.Counter()
    folded = collections.Counter()
    total = 0
    for comm, frames in samples(sys.stdin):
        total += 1
        parts[part_of(comm, frames)] += 1
        stack = ";".join([comm] + [s.replace(";", ":") for s, _ in reversed(frames)])
        folded[stack] += 1
    if args.folded:
        with open(args.folded, "w") as f:
            for stack, n in folded.most_common():
                f.write(f"{stack} {n}\n")
    print(f"| {args.title or 'part of the work'} | share of all CPU samples |")
    print("|---|---:|")
    for name, n in parts.most_common():
        print(f"| {name} | {100 * n / max(total, 1):.1f}% |")
    print(f"\n{total:,} samples.")


if __name__ == "__main__":
    main()
