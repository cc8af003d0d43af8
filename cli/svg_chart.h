// cli/svg_chart.h: small charts as inline SVG, for the HTML dashboard (no script, no network).
//
// A Chart has labels along x and two kinds of series over them: bars (stacked, or side by side)
// and lines (optionally dashed), against one y axis that starts at zero and ends on a round
// number. Every series is named in a legend; every bar and point carries a <title> with its
// exact value, so hovering shows the number.
//
//   Chart chart{.title = "Spend by month", .x_labels = {"2026-01", "2026-02"}};
//   chart.bars.push_back({.name = "key", .values = {1200.0, 800.5}, .color = "#4e79a7"});
//   chart.lines.push_back({.name = "plan", .values = {1000.0, 1000.0}, .color = "#333",
//                          .dashed = true});
//   std::string svg = RenderSvg(chart);
//
// Values are for drawing only (positions); the labels a caller passes in `value_labels` are
// shown as they are (exact money text). Text is escaped for HTML.
// Thread safety: pure functions.
#ifndef UPKEEP_CLI_SVG_CHART_H_
#define UPKEEP_CLI_SVG_CHART_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace upkeep::cli {

struct ChartSeries {
  std::string name;
  std::vector<double> values;             // one per x label
  std::vector<std::string> value_labels;  // optional: the exact text of each value
  std::string color;                      // a CSS colour
  bool dashed = false;                    // lines only
};

struct Chart {
  std::string title;
  std::vector<std::string> x_labels;
  std::vector<ChartSeries> bars;
  bool stacked = true;  // false: bars side by side
  std::vector<ChartSeries> lines;
  std::optional<size_t> marker;  // an x index to mark ("as of")
  std::string marker_label;
  int width = 860;
  int height = 320;
};

std::string RenderSvg(const Chart& chart);

// `text` with &, <, >, " escaped.
std::string HtmlEscape(std::string_view text);

// A palette of distinct colours, cycling.
std::string PaletteColor(size_t index);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_SVG_CHART_H_
