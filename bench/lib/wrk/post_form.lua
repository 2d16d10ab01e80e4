-- POST a form as a browser would after loading it: every hidden input the form page had (in
-- its order: Rocket reads `_method` only as the first field), the page's cookies, then a
-- `name` that is unique per request, so no create or update is refused as a duplicate.
-- Usage: wrk ... -s post_form.lua URL -- CONFIG.lua   (written by bench.py form)
--
-- CONFIG returns { path = "/people" or "/people/{id}", max_id = N, skip_id = N,
--   threads = T, name_prefix = "...", cookie = "...",
--   fields = { {name, value, kind, length}, ... } }   (values already URL-encoded)
-- kind "fixed": sent as read. "key": a one-time key (creation_key, form_key): a fresh one
-- per request, hex of the length read. "version": the record's version for the stale-edit
-- check, tracked per id here: each update sent adds 1, and a 409 page's form gives the
-- current one back.
--
-- {id}: each thread walks its own ids (thread k of T: k, k+T, k+2T, ...) in turn, and never
-- sends a second update for a person before the first one's answer (its Location, or the
-- form in its page, names the id) has come back: two edits of one person in flight would
-- be a real stale edit, and a 409, whatever the server's speed.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

local threads = 0
bench_threads = {}
function setup(thread)
  threads = threads + 1
  thread:set("thread_no", threads)
  bench_threads[threads] = thread
end

local cfg, headers, next_id
local versions, in_flight = {}, {}
local counter = 0

-- Statuses are counted (the threads' tables are merged in report.lua), so a refused form
-- says how it was refused. Only here: the POST workloads are slow enough not to notice.
statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local location = headers["Location"] or headers["location"]
  local id = location and tonumber(location:match("/people/(%d+)"))
  if not id and body then
    id = tonumber(body:match('action="/people/(%d+)"'))
  end
  if id then
    in_flight[id] = nil
    if status == 409 and body then
      versions[id] = tonumber(body:match('name="version" value="(%d+)"')) or versions[id]
    end
  end
end

function init(args)
  cfg = dofile(args[1])
  headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  if cfg.cookie ~= "" then
    headers["Cookie"] = cfg.cookie
  end
  math.randomseed(os.time() * 1000 + thread_no)
  next_id = thread_no
end

local function one_time_key(length)
  -- Unique within the run by construction (thread, counter); random after that.
  local key = string.format("%04x%08x", thread_no, counter)
  while #key < length do
    key = key .. string.format("%06x", math.random(0, 0xffffff))
  end
  return key:sub(-length)
end

local function take_id()
  local id
  -- Bounded: should every id of this thread be in flight (or its answer lost), send anyway.
  for _ = 1, math.floor(cfg.max_id / cfg.threads) + 1 do
    id = next_id
    next_id = next_id + cfg.threads
    if next_id > cfg.max_id then
      next_id = thread_no
    end
    if id ~= cfg.skip_id and not in_flight[id] then
      break
    end
  end
  in_flight[id] = true
  return id
end

function request()
  counter = counter + 1
  local id
  if cfg.path:find("{id}", 1, true) then
    id = take_id()
  end
  local parts = {}
  for _, field in ipairs(cfg.fields) do
    local name, value, kind = field[1], field[2], field[3]
    if kind == "key" then
      value = one_time_key(field[4])
    elseif kind == "version" then
      local v = versions[id] or tonumber(value)
      versions[id] = v + 1
      value = tostring(v)
    end
    parts[#parts + 1] = name .. "=" .. value
  end
  -- Letters, digits and '+' (a space) only: nothing left to encode.
  parts[#parts + 1] = "name=" .. cfg.name_prefix .. "+t" .. thread_no .. "+" .. counter
  local path = cfg.path
  if id then
    path = path:gsub("{id}", tostring(id))
  end
  return wrk.format("POST", path, headers, table.concat(parts, "&"))
end
