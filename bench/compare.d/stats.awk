# Medians, ratios and targets of bench/compare's results.
#   awk -f stats.awk -v mode=text|md|svg targets.txt results.tsv
# targets.txt: case|metric|target (see cases.sh); results.tsv: case, impl,
# metric, round, value (value NA: not available, the reason in field 6).
# mode text: a table for the terminal; md: the Markdown table of
# docs/benchmarks.md; svg: one line per row for svg.awk (label, goro's cost
# relative to Go and to Fiber, the target cost; cost = time ratio, or the
# inverse of a rate ratio, so below 1 is always goro ahead).
BEGIN { FS = "\t" }
FNR == NR {
  split($0, t, "|")
  target[t[1] "|" t[2]] = t[3]
  next
}
{
  c = $1; impl = $2; m = $3
  if (!(c in seen_case)) { seen_case[c] = 1; cases[++ncases] = c }
  if ($5 == "NA") { na[c "|" impl] = $6; next }
  if (!((c "|" m) in seen_metric)) {
    seen_metric[c "|" m] = 1
    metrics[c, ++nmetrics[c]] = m
  }
  k = c "|" impl "|" m
  vals[k, ++count[k]] = $5
  by_round[k, $4] = $5
  if (!((c "|" m "|" $4) in seen_round)) {
    seen_round[c "|" m "|" $4] = 1
    rounds[c "|" m, ++nrounds[c "|" m]] = $4
  }
}
function median(k,    n, i, j, a, x) {
  n = count[k]
  if (n == 0) return ""
  for (i = 1; i <= n; i++) a[i] = vals[k, i] + 0
  for (i = 2; i <= n; i++) {
    x = a[i]
    for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]
    a[j + 1] = x
  }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
# Median over the rounds that have both of goro's value / Go's value in
# that round: a round's two runs are adjacent in time, so a slow spell of
# the machine that hits both cancels out of their ratio.
function paired_median(c, m,    i, r, kg, ko, n, a, j, x) {
  kg = c "|goro|" m; ko = c "|go|" m; n = 0
  for (i = 1; i <= nrounds[c "|" m]; i++) {
    r = rounds[c "|" m, i]
    if (!((kg, r) in by_round) || !((ko, r) in by_round) || by_round[ko, r] + 0 == 0) continue
    a[++n] = by_round[kg, r] / by_round[ko, r]
  }
  if (n == 0) return ""
  for (i = 2; i <= n; i++) {
    x = a[i]
    for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]
    a[j + 1] = x
  }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function fmt(v) {
  if (v == "") return "n/a"
  if (v >= 1e6) return sprintf("%.2fM", v / 1e6)
  if (v >= 1000) return sprintf("%.0f", v)
  return sprintf("%.1f", v)
}
function higher_better(m) { return m ~ /_per_s$/ }
function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "" : a / b }
function row(c, m,    g, o, f, rg, rf, t, tt, met, beat, hb, tc, parts) {
  g = median(c "|goro|" m); o = median(c "|go|" m); f = median(c "|fiber|" m)
  rg = ratio(g, o); rf = ratio(g, f); hb = higher_better(m)
  t = target[c "|" m]
  if (t == "") t = target[c "|*"]
  tt = "-"; met = "-"; tc = ""
  if (t != "") {
    split(t, parts, " ")
    if (parts[1] == "go") {
      tt = hb ? sprintf(">= %gx Go", parts[2]) : sprintf("<= %gx Go", 1 / parts[2])
      tc = 1 / parts[2]
      if (rg != "") met = (hb ? rg >= parts[2] : rg <= 1 / parts[2]) ? "yes" : "NO"
    } else {
      tt = parts[2] " " parts[3]
      if (g != "") met = (parts[2] == "<=" ? g <= parts[3] + 0 : g >= parts[3] + 0) ? "yes" : "NO"
    }
  }
  beat = "-"
  if (rf != "") beat = (hb ? rf > 1 : rf < 1) ? "yes" : "NO"
  R_g = g; R_o = o; R_f = f; R_rg = rg; R_rf = rf; R_tt = tt; R_met = met; R_beat = beat
  R_pg = paired_median(c, m)
  R_cg = rg == "" ? "" : (hb ? 1 / rg : rg)
  R_cf = rf == "" ? "" : (hb ? 1 / rf : rf)
  R_tc = tc
}
function cell(v, c, impl) {
  if (v != "") return fmt(v)
  if ((c "|" impl) in na) return "n/a"
  return "-"
}
function rfmt(r) { return r == "" ? "-" : sprintf("%.2f", r) }
END {
  if (mode == "text") {
    printf "%-13s %-19s %10s %10s %10s %8s %8s %9s  %-14s %-4s %s\n", "workload", "metric", "goro", \
      "Go", "Fiber", "goro/Go", "paired", "goro/Fib", "target", "met", "beats Fiber"
  } else if (mode == "md") {
    print "| workload | metric | goro | Go | Fiber | goro/Go | goro/Go per round | goro/Fiber | issue-8 target | met | faster than Fiber |"
    print "|---|---|--:|--:|--:|--:|--:|--:|---|---|---|"
  }
  for (i = 1; i <= ncases; i++) {
    c = cases[i]
    if (nmetrics[c] == 0) {
      why = (c "|goro") in na ? na[c "|goro"] : "no results"
      if (mode == "text") printf "%-13s not available: %s\n", c, why
      else if (mode == "md") printf "| %s | - | not available: %s | | | | | | | | |\n", c, why
      continue
    }
    for (j = 1; j <= nmetrics[c]; j++) {
      m = metrics[c, j]
      row(c, m)
      if (mode == "text")
        printf "%-13s %-19s %10s %10s %10s %8s %8s %9s  %-14s %-4s %s\n", c, m, cell(R_g, c, "goro"), \
          cell(R_o, c, "go"), cell(R_f, c, "fiber"), rfmt(R_rg), rfmt(R_pg), rfmt(R_rf), R_tt, R_met, \
          R_beat
      else if (mode == "md")
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", c, m, \
          cell(R_g, c, "goro"), cell(R_o, c, "go"), cell(R_f, c, "fiber"), rfmt(R_rg), rfmt(R_pg), \
          rfmt(R_rf), R_tt, R_met, R_beat
      else if (mode == "svg" && (R_cg != "" || R_cf != ""))
        printf "%s %s\t%s\t%s\t%s\n", c, m, R_cg, R_cf, R_tc
    }
  }
}
