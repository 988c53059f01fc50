-- bench/soak.lua - the read mix of bench/soak.sh for wrk: every request is
-- the next URL of a long list (rankings with filters, comparisons, roles,
-- skills, CSV, gzip), and every answer is counted by status class so that
-- the script can require zero 5xx and zero other errors.
--
-- 304s are not in this mix: wrk waits for a body after a 304 that carries
-- Content-Length, so soak.sh sends its conditional requests with h2load.

local roles = {
  "ai-research-scientist", "ai-safety-researcher", "ar-vr-engineer",
  "autonomous-systems-engineer", "blockchain-developer", "cloud-architect",
  "cybersecurity-leader", "data-science-leader", "data-science-manager",
  "devops-engineer", "edge-computing-architect", "machine-learning-architect",
  "machine-learning-engineer", "machine-learning-manager", "platform-engineer",
  "quantitative-developer-researcher", "quantum-software-developer", "sales-engineer",
  "software-engineer-elite-tech", "technical-product-manager", "technology-founder",
}
local skills = { "python", "sql", "kubernetes", "pytorch", "aws-cloud", "statistics", "linux" }

local targets = {}
local function add(path, headers)
  targets[#targets + 1] = { path = path, headers = headers or {} }
end

for i, slug in ipairs(roles) do
  add("/roles/" .. slug)
  -- a role filter on /salaries scans every row as the table grows (the
  -- amount index wins the plan): a few of them, not one per role
  if i % 7 == 0 then add("/salaries?role=" .. slug .. "&limit=20") end
  add("/compare?roles=" .. slug .. "," .. roles[(i % #roles) + 1])
  add("/roles/" .. slug, { ["Accept-Encoding"] = "gzip" })
end
for _, skill in ipairs(skills) do
  add("/roles?sort=pay&skill=" .. skill)
  add("/roles?sort=pay&skill=" .. skill .. "&min_pay=100000")
  add("/skills/" .. skill)
end
add("/roles?sort=pay")
add("/roles?sort=pay&limit=5")
add("/roles?sort=title&limit=10&offset=10")
add("/roles?sort=pay&format=csv")
add("/roles", { Accept = "text/csv" })
add("/salaries?limit=50&format=csv")
add("/salaries?limit=100", { ["Accept-Encoding"] = "gzip" })
add("/skills")
add("/skills?format=csv")
add("/industries")
add("/factors")
add("/data-notes")
add("/sources")
add("/transitions?from=devops-engineer&to=platform-engineer")
add("/")

local n = 0
local counts = { ok = 0, redirect = 0, client = 0, server = 0 }
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  -- each thread starts at another place in the list
  n = id * 7
end

function request()
  n = n + 1
  local t = targets[(n % #targets) + 1]
  return wrk.format("GET", t.path, t.headers)
end

function response(status, headers, body)
  if status >= 500 then
    counts.server = counts.server + 1
  elseif status >= 400 then
    counts.client = counts.client + 1
  elseif status >= 300 then
    counts.redirect = counts.redirect + 1
  else
    counts.ok = counts.ok + 1
  end
  ok_count, client_count, server_count = counts.ok + counts.redirect, counts.client, counts.server
end

function done(summary, latency, requests)
  local ok, client, server = 0, 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + (thread:get("ok_count") or 0)
    client = client + (thread:get("client_count") or 0)
    server = server + (thread:get("server_count") or 0)
  end
  local e = summary.errors
  io.write(string.format("soak-reads: requests=%d ok=%d 4xx=%d 5xx=%d connect=%d read=%d write=%d "
                         .. "timeout=%d targets=%d p50_us=%d p99_us=%d max_us=%d\n",
                         summary.requests, ok, client, server, e.connect, e.read, e.write,
                         e.timeout, #targets, latency:percentile(50), latency:percentile(99),
                         latency.max))
end
