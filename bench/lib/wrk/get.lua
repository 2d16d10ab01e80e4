-- GET one path, or, when the path holds {id}, a random id in 1..max_id per request, so the
-- show and edit workloads do not hit one hot row.
-- Usage: wrk ... -s get.lua URL -- PATH [MAX_ID]
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_no", threads)
end

local path, max_id, fixed

function init(args)
  path = args[1] or "/"
  max_id = tonumber(args[2] or "1")
  math.randomseed(os.time() * 1000 + (thread_no or 0))
  if not path:find("{id}", 1, true) then
    fixed = wrk.format("GET", path)
  end
end

function request()
  if fixed then
    return fixed
  end
  local p = path:gsub("{id}", tostring(math.random(1, max_id)))
  return wrk.format("GET", p)
end
