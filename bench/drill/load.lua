-- The fault drill's load: a signed-in member reading pages, polling a live session,
-- writing new learning entries and adding live contributions, and an anonymous visitor.
-- Run with one connection per thread (-c = -t), so each response answers this thread's
-- last request and a write is known to have succeeded (a redirect after the POST).
--
--   DRILL_LOAD_OUT=out.txt wrk -t2 -c2 -d60s -s load.lua http://127.0.0.1:PORT -- \
--       COOKIE CSRF PLACE ORG SESSION ITEM LABEL
--
-- Writes to DRILL_LOAD_OUT: "B kind token" for every write the load generator believes it made, and
-- "S second class count" per second and class of answer (2xx, 3xx, signin, 4xx, 503clear, 5xx).

local threads = {}
-- done() runs in the main Lua state, which init() (per thread) never sees.
local out_path = os.getenv("DRILL_LOAD_OUT")

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local counter = 0
local last_kind, last_token
believed = {}  -- globals: done() reads them from each thread
seconds = {}
local mix = {"log", "poll", "place", "entry", "poll", "home", "contribution", "dashboard", "poll", "anonymous"}

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  cookie, csrf, place, org, session, item, label = unpack(args)
  signed_in = {["Cookie"] = cookie, ["X-CSRFToken"] = csrf}
  posting = {["Cookie"] = cookie, ["X-CSRFToken"] = csrf,
             ["Content-Type"] = "application/x-www-form-urlencoded"}
  polling = {["Cookie"] = cookie, ["HX-Request"] = "true"}
end

function delay()
  return 40  -- milliseconds between one answer and the next request: steady, not flat out
end

function request()
  counter = counter + 1
  local kind = mix[(counter % #mix) + 1]
  last_kind = kind
  last_token = nil
  if kind == "log" then
    return wrk.format("GET", "/places/" .. place .. "/learning/", signed_in)
  elseif kind == "poll" then
    return wrk.format("GET", "/sessions/" .. session .. "/live/", polling)
  elseif kind == "place" then
    return wrk.format("GET", "/places/" .. place .. "/", signed_in)
  elseif kind == "dashboard" then
    return wrk.format("GET", "/me/", signed_in)
  elseif kind == "home" then
    return wrk.format("GET", "/", signed_in)
  elseif kind == "anonymous" then
    return wrk.format("GET", "/places/", {})
  elseif kind == "entry" then
    last_token = string.format("%s-%d-%d", label, id, counter)
    local body = "organisation=" .. org .. "&kind=reflection&visibility=place&tags_text="
      .. "&title=" .. urlencode("Drill entry " .. last_token)
      .. "&body=" .. urlencode("Written under load while a fault was injected.")
      .. "&csrfmiddlewaretoken=" .. csrf
    return wrk.format("POST", "/places/" .. place .. "/learning/new/", posting, body)
  else -- contribution
    last_token = string.format("%s-%d-%d", label, id, counter)
    local body = "agenda_item=" .. item .. "&text=" .. urlencode("Drill contribution " .. last_token)
      .. "&csrfmiddlewaretoken=" .. csrf
    return wrk.format("POST", "/sessions/" .. session .. "/contributions/", posting, body)
  end
end

function response(status, headers, body)
  local class
  local location = headers["Location"] or headers["location"] or ""
  if status >= 500 then
    if status == 503 and body:find("Sorry, the site is not working just now", 1, true) then
      class = "503clear"
    else
      class = "5xx"
    end
  elseif status >= 400 then
    class = "4xx"
  elseif status >= 300 and status ~= 304 then
    if location:find("/accounts/login", 1, true) then class = "signin" else class = "3xx" end
  else
    class = "2xx"
  end
  local key = os.time() .. " " .. class
  seconds[key] = (seconds[key] or 0) + 1
  if last_token and status == 302 and class == "3xx" then
    believed[#believed + 1] = last_kind .. " " .. last_token
  end
end

function done(summary, latency, requests)
  local file = io.open(out_path, "w")
  for _, thread in ipairs(threads) do
    for _, line in ipairs(thread:get("believed")) do
      file:write("B ", line, "\n")
    end
    for key, count in pairs(thread:get("seconds")) do
      file:write("S ", key, " ", count, "\n")
    end
  end
  local e = summary.errors
  file:write(string.format("E %d %d %d %d\n", e.connect, e.read, e.write, e.timeout))
  file:close()
end
