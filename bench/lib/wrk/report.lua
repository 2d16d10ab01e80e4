-- Shared by every workload script: wrk calls done() once, after all threads, and this prints
-- one machine-readable line for bench/lib/bench.py. wrk's own text summary stays in the log.
-- Latencies are in microseconds. errors.status counts non-2xx/3xx responses. A script that
-- counts statuses (a global table `statuses` in each thread, its threads listed in
-- `bench_threads`) gets them added as "statuses", so an error says which status it was.
function done(summary, latency, requests)
  local e = summary.errors
  local merged, counts = {}, {}
  for _, thread in ipairs(bench_threads or {}) do
    for status, n in pairs(thread:get("statuses") or {}) do
      merged[status] = (merged[status] or 0) + n
    end
  end
  for status, n in pairs(merged) do
    counts[#counts + 1] = string.format('"%d":%d', status, n)
  end
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"connect_errors":%d,"read_errors":%d,"write_errors":%d,"status_errors":%d,"timeouts":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,"statuses":{%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, table.concat(counts, ",")))
end
