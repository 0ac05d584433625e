# The bar chart of docs/benchmarks.svg, from stats.awk's svg rows:
#   label <TAB> goro's cost vs Go <TAB> vs Fiber <TAB> target cost
# (cost: goro's time / theirs, or their rate / goro's; below 1 = goro ahead).
BEGIN {
  FS = "\t"
  left = 250; width = 460; maxc = 3; rowh = 34; top = 64
}
{ label[++n] = $1; cg[n] = $2; cf[n] = $3; tc[n] = $4 }
function x(c) { if (c > maxc) c = maxc; return left + width * c / maxc }
function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); return s }
function bar(y, c, color,    w, t) {
  if (c == "") {
    printf "<text x=\"%d\" y=\"%d\" class=\"s\">n/a</text>\n", left + 4, y + 9
    return
  }
  w = x(c) - left
  printf "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"11\" fill=\"%s\"/>\n", left, y, w, color
  t = sprintf("%.2f%s", c, c > maxc ? " (off scale)" : "")
  printf "<text x=\"%.1f\" y=\"%d\" class=\"s\">%s</text>\n", left + w + 4, y + 9, t
}
END {
  h = top + n * rowh + 40
  printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"820\" height=\"%d\" " \
    "font-family=\"sans-serif\" font-size=\"12\">\n", h
  print "<style>.s{font-size:10px;fill:#333}.l{font-size:12px;fill:#000}</style>"
  print "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
  print "<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">goro's cost relative to Go " \
    "and Boost.Fiber (median; lower is better)</text>"
  printf "<rect x=\"%d\" y=\"32\" width=\"12\" height=\"10\" fill=\"#4c78a8\"/>" \
    "<text x=\"%d\" y=\"41\" class=\"l\">goro / Go</text>\n", left, left + 16
  printf "<rect x=\"%d\" y=\"32\" width=\"12\" height=\"10\" fill=\"#f58518\"/>" \
    "<text x=\"%d\" y=\"41\" class=\"l\">goro / Fiber</text>\n", left + 110, left + 126
  printf "<line x1=\"%d\" y1=\"36\" x2=\"%d\" y2=\"44\" stroke=\"#d62728\" stroke-width=\"3\"/>" \
    "<text x=\"%d\" y=\"41\" class=\"l\">issue-8 target vs Go</text>\n", left + 230, left + 230, \
    left + 238
  for (c = 0; c <= maxc; c += 0.5) {
    printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"%s/>\n", x(c), top - 6, \
      x(c), top + n * rowh, c == 1 ? "#000" : "#ddd", c == 1 ? " stroke-dasharray=\"4 3\"" : ""
    printf "<text x=\"%.1f\" y=\"%d\" class=\"s\" text-anchor=\"middle\">%gx</text>\n", x(c), \
      top + n * rowh + 14, c
  }
  for (i = 1; i <= n; i++) {
    y = top + (i - 1) * rowh
    printf "<text x=\"%d\" y=\"%d\" class=\"l\" text-anchor=\"end\">%s</text>\n", left - 8, y + 17, \
      esc(label[i])
    bar(y + 2, cg[i], "#4c78a8")
    bar(y + 15, cf[i], "#f58518")
    if (tc[i] != "")
      printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d62728\" " \
        "stroke-width=\"3\"/>\n", x(tc[i]), y, x(tc[i]), y + 28
  }
  printf "<text x=\"10\" y=\"%d\" class=\"s\">cost = goro's time / theirs, or their rate / goro's " \
    "(msgs/s, requests/s); bars past %gx are cut.</text>\n", h - 8, maxc
  print "</svg>"
}
