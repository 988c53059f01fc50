#!/usr/bin/env bash
# bench/gen-salaries.sh - writes salary observations for POST /import, in
# the shape GET /salaries serves them, deterministically from a seed.
#
# Usage: bench/gen-salaries.sh [-n ROWS] [-s SEED] [-f csv|ndjson] [-r ROLES] [--flat] > FILE
#
#   -n ROWS    observations to write                                [1000000]
#   -s SEED    1..2147483646; the same seed and options always give
#              the same bytes, on any machine                          [1]
#   -f FORMAT  csv:    as GET /salaries?format=csv writes it (header row,
#                      CRLF, the source as its compact JSON text)
#              ndjson: one GET /salaries item per line               [csv]
#   -r ROLES   also spread rows over ROLES generated role slugs
#              (generated-role-0001, ...), which must exist before such
#              a file imports                                          [0]
#   --flat     CSV only: source.id, source.slug, source.title and
#              source.section columns instead of one source column
#
# The rows go to the 21 roles of the seed data (and the generated ones),
# unevenly: a few roles get most rows, as real reports would. About 1% are
# about a group outside the roles (role empty, subject set). Most rows are
# individual reports (statistic "individual"); the rest are published
# averages, medians, percentiles and ranges, some stated as bounds. Some
# scopes and notes hold commas, quotes or a line break, so that the file
# exercises CSV quoting. The ids are 1..ROWS (an import ignores them).
#
# Example: 1,000,000 rows, about 210 MB of CSV, in a few seconds:
#   bench/gen-salaries.sh -n 1000000 -s 7 > /tmp/salaries.csv
#   bench/gen-salaries.sh -n 1000000 -f ndjson > /tmp/salaries.ndjson
set -euo pipefail

rows=1000000
seed=1
format=csv
extra_roles=0
flat=0

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case $1 in
    -n) rows=${2:?-n needs a number}; shift 2 ;;
    -s) seed=${2:?-s needs a number}; shift 2 ;;
    -f) format=${2:?-f needs csv or ndjson}; shift 2 ;;
    -r) extra_roles=${2:?-r needs a number}; shift 2 ;;
    --flat) flat=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "gen-salaries.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

is_count() { [[ $1 =~ ^[0-9]+$ ]] && [ ${#1} -le 10 ]; }
is_count "$rows" || { echo "gen-salaries.sh: -n must be a whole number" >&2; exit 2; }
if ! is_count "$extra_roles" || [ "$extra_roles" -gt 9999 ]; then
  echo "gen-salaries.sh: -r must be 0..9999" >&2
  exit 2
fi
if ! is_count "$seed" || [ "$seed" -lt 1 ] || [ "$seed" -gt 2147483646 ]; then
  echo "gen-salaries.sh: -s must be 1..2147483646" >&2
  exit 2
fi
case $format in
  csv|ndjson) ;;
  *) echo "gen-salaries.sh: -f must be csv or ndjson" >&2; exit 2 ;;
esac

# awk's own rand() differs between awk implementations; this generator is
# the Park-Miller "minimal standard" one, whose products stay below 2^53 and
# so are exact in any awk's double arithmetic.
exec awk -v rows="$rows" -v seed="$seed" -v format="$format" \
         -v extra_roles="$extra_roles" -v flat="$flat" '
function rnd() {
  state = (state * 16807) % 2147483647
  return state / 2147483647
}
function pick(n) { return int(rnd() * n) }
function csvq(s) {
  if (s ~ /[",\r\n]/) {
    gsub(/"/, "\"\"", s)
    return "\"" s "\""
  }
  return s
}
function jsonq(s) {
  if (s == "")
    return "null"
  gsub(/\\/, "\\\\", s)
  gsub(/"/, "\\\"", s)
  gsub(/\n/, "\\n", s)
  return "\"" s "\""
}
BEGIN {
  state = seed
  n = split("machine-learning-engineer cloud-architect cybersecurity-leader " \
            "software-engineer-elite-tech data-science-leader blockchain-developer " \
            "devops-engineer platform-engineer technical-product-manager " \
            "quantitative-developer-researcher sales-engineer technology-founder " \
            "quantum-software-developer ar-vr-engineer edge-computing-architect " \
            "autonomous-systems-engineer ai-safety-researcher machine-learning-architect " \
            "ai-research-scientist data-science-manager machine-learning-manager", role, " ")
  split("146085 185000 210000 190000 172000 150000 135000 145000 160000 " \
        "220000 140000 120000 155000 138000 165000 170000 195000 140245 " \
        "136245 135091 133537", pay, " ")
  for (i = 1; i <= extra_roles; i++) {
    role[n + i] = sprintf("generated-role-%04d", i)
    pay[n + i] = 60000 + pick(180000)
  }
  n += extra_roles
  # Zipf-like weights: the first roles get most of the rows
  total = 0
  for (i = 1; i <= n; i++) {
    total += 1 / (i ^ 1.1)
    cum[i] = total
  }
  for (i = 1; i <= n; i++)
    cum[i] /= total

  nsub = split("Experienced doctors and lawyers|Software engineers outside tech|" \
               "Recent computer science graduates", subject, "|")
  nscope = split("Senior|Entry level|Staff, big tech|Remote, US|Principal|" \
                 "Mid-level, 3-5 years|New York City|Contract", scope, "|")
  nnote = split("Self-reported in an anonymous survey.|" \
                "Includes a \"sign-on\" bonus, paid once.|" \
                "Equity valued at the last round, not at market.|" \
                "Rounded to the nearest thousand by the source.|" \
                "Two figures given; the lower one kept.\nThe other is in the notes of the survey.",
                note, "|")
  # sources of the seed data, each with the sections figures are taken from
  src_id[1] = 2; src_slug[1] = "highest-paying-ml-jobs-2024"
  src_title[1] = "Highest Paying Machine Learning Jobs in 2024"
  src_id[2] = 1; src_slug[2] = "lucrative-tech-careers-overview"
  src_title[2] = "Exploring the Most Lucrative Careers in Technology"
  nsec[1] = split("Highest Paying Machine Learning Jobs|" \
                  "Machine Learning Engineer Average Base Salary: $146,085|" \
                  "Machine Learning Architect Average Base Salary: $140,245|" \
                  "AI Research Scientist Average Base Salary: $136,245|" \
                  "Data Science Manager Average Base Salary: $135,091|" \
                  "Machine Learning Manager Average Base Salary: $133,537", sec1, "|")
  nsec[2] = split("Machine Learning Engineering and the Artificial Intelligence Premium|" \
                  "Cloud Architecture and the Infrastructure Specialization Premium|" \
                  "Cybersecurity Leadership and the Risk Management Premium|" \
                  "Quantitative Finance and the Intersection of Technology and Capital Markets|" \
                  "Emerging Specializations Defining the Next Decade of Opportunity", sec2, "|")
  # each source cell once, in each form
  for (s = 1; s <= 2; s++) {
    for (k = 1; k <= nsec[s]; k++) {
      sec = s == 1 ? sec1[k] : sec2[k]
      j = "{\"id\":" src_id[s] ",\"slug\":\"" src_slug[s] "\",\"title\":\"" src_title[s] \
          "\",\"section\":\"" sec "\"}"
      cell_json[s, k] = j
      cell_csv[s, k] = flat ? src_id[s] "," src_slug[s] "," csvq(src_title[s]) "," csvq(sec) \
                            : csvq(j)
    }
  }

  if (format == "csv")
    printf "id,amount,currency,kind,statistic,bound,scope,year,note,%s,role,subject\r\n",
           flat ? "source.id,source.slug,source.title,source.section" : "source"

  for (id = 1; id <= rows; id++) {
    # who: a role (uneven), or now and then a group outside the roles
    r = ""; subj = ""
    if (rnd() < 0.01) {
      subj = subject[pick(nsub) + 1]
      base = 90000 + pick(40000)
    } else {
      u = rnd()
      lo = 1; hi = n
      while (lo < hi) {
        mid = int((lo + hi) / 2)
        if (cum[mid] < u) lo = mid + 1; else hi = mid
      }
      r = role[lo]
      base = pay[lo]
    }
    kind = rnd() < 0.25 ? "total" : "base"
    if (kind == "total")
      base *= 1.35
    u = rnd()
    if (u < 0.60) stat = "individual"
    else if (u < 0.72) stat = "average"
    else if (u < 0.82) stat = "median"
    else if (u < 0.87) stat = "p25"
    else if (u < 0.92) stat = "p75"
    else if (u < 0.96) stat = "minimum"
    else stat = "maximum"
    if (stat == "individual") {
      z = rnd() + rnd() + rnd() + rnd() - 2      # about normal, sd 0.58
      amount = base * exp(0.4 * z)
    } else if (stat == "p25") amount = base * 0.85
    else if (stat == "p75") amount = base * 1.18
    else if (stat == "minimum") amount = base * 0.6
    else if (stat == "maximum") amount = base * 1.8
    else amount = base * (0.95 + 0.1 * rnd())
    amount = int(amount)
    if (amount < 15000) amount = 15000
    if (amount > 99999999) amount = 99999999
    # a published figure may be a bound ("$250,000+"); one report is exact
    u = rnd()
    bound = stat == "individual" || u < 0.9 ? "exact" : (u < 0.96 ? "at_least" : "below")
    year = rnd() < 0.08 ? "" : 2019 + pick(7)
    sc = rnd() < 0.12 ? scope[pick(nscope) + 1] : ""
    u = rnd()
    nt = u < 0.002 ? note[nnote] : (u < 0.07 ? note[pick(nnote - 1) + 1] : "")
    s = rnd() < 0.8 ? 1 : 2
    k = pick(nsec[s]) + 1

    if (format == "csv")
      printf "%d,%d,USD,%s,%s,%s,%s,%s,%s,%s,%s,%s\r\n", id, amount, kind, stat, bound,
             sc == "" ? "" : csvq(sc), year, nt == "" ? "" : csvq(nt), cell_csv[s, k], r,
             subj == "" ? "" : csvq(subj)
    else
      printf "{\"id\":%d,\"amount\":%d,\"currency\":\"USD\",\"kind\":\"%s\",\"statistic\":\"%s\"," \
             "\"bound\":\"%s\",\"scope\":%s,\"year\":%s,\"note\":%s,\"source\":%s,\"role\":%s," \
             "\"subject\":%s}\n", id, amount, kind, stat, bound, jsonq(sc),
             year == "" ? "null" : year, jsonq(nt), cell_json[s, k], jsonq(r), jsonq(subj)
  }
}'
