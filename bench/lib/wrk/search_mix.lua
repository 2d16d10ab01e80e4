-- GET a search, each request the next of a fixed mix of terms: rare, common, absent, a first
-- name, short (prefix) ones. For the search load run (bench/search-load).
-- Usage: wrk ... -s search_mix.lua URL
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

local terms = { "Ada+B.+Ash", "ford", "xyzzy", "Grace", "an", "Søren+K", "ley", "z", "Mia+Q.", "wood" }
local i = 0

function request()
  i = i % #terms + 1
  return wrk.format("GET", "/people?q=" .. terms[i])
end
