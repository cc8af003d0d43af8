#include "svg_chart.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "output.h"

namespace upkeep::cli {
namespace {

constexpr double kLeft = 86;
constexpr double kRight = 16;
constexpr double kTop = 34;
constexpr double kBottom = 64;
constexpr int kTicks = 5;

// The smallest of 1, 2, 2.5, 5 x 10^k at or above `value` (1 for nothing to show).
double NiceCeiling(double value) {
  if (!(value > 0)) return 1;
  const double power = std::pow(10.0, std::floor(std::log10(value)));
  for (const double step : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

std::string Number(double value) { return absl::StrFormat("%.1f", value); }

std::string TickLabel(double value) { return GroupThousands(absl::StrFormat("%.0f", value)); }

std::string ValueLabel(const ChartSeries& series, size_t k) {
  return k < series.value_labels.size() ? series.value_labels[k]
                                        : absl::StrFormat("%.2f", series.values[k]);
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string PaletteColor(size_t index) {
  static constexpr std::array<const char*, 8> kPalette = {
      "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"};
  return kPalette[index % kPalette.size()];
}

std::string RenderSvg(const Chart& chart) {
  const size_t n = chart.x_labels.size();
  const double width = chart.width;
  const double height = chart.height;
  const double plot_w = width - kLeft - kRight;
  const double plot_h = height - kTop - kBottom;
  double top = 0;
  for (size_t k = 0; k < n; ++k) {
    double stack = 0;
    for (const ChartSeries& s : chart.bars) {
      const double v = std::max(0.0, s.values[k]);
      stack = chart.stacked ? stack + v : std::max(stack, v);
    }
    top = std::max(top, stack);
    for (const ChartSeries& s : chart.lines) top = std::max(top, s.values[k]);
  }
  const double y_max = NiceCeiling(top);
  auto y_of = [&](double v) { return kTop + plot_h * (1 - std::clamp(v, 0.0, y_max) / y_max); };
  const double band = n == 0 ? plot_w : plot_w / static_cast<double>(n);
  auto x_center = [&](size_t k) { return kLeft + band * (static_cast<double>(k) + 0.5); };

  std::string svg = absl::StrCat(
      "<svg class=\"chart\" viewBox=\"0 0 ", chart.width, " ", chart.height, "\" width=\"",
      chart.width, "\" height=\"", chart.height, "\" role=\"img\" aria-label=\"",
      HtmlEscape(chart.title), "\">\n", "<text class=\"title\" x=\"", Number(kLeft), "\" y=\"20\">",
      HtmlEscape(chart.title), "</text>\n");
  for (int t = 0; t <= kTicks; ++t) {  // the grid and the y axis labels
    const double value = y_max * t / kTicks;
    const std::string y = Number(y_of(value));
    absl::StrAppend(&svg, "<line class=\"grid\" x1=\"", Number(kLeft), "\" x2=\"",
                    Number(kLeft + plot_w), "\" y1=\"", y, "\" y2=\"", y, "\"/>",
                    "<text class=\"tick\" x=\"", Number(kLeft - 6), "\" y=\"", y,
                    "\" text-anchor=\"end\" dominant-baseline=\"middle\">", TickLabel(value),
                    "</text>\n");
  }
  for (size_t k = 0; k < n; ++k) {
    absl::StrAppend(&svg, "<text class=\"tick\" x=\"", Number(x_center(k)), "\" y=\"",
                    Number(kTop + plot_h + 16), "\" text-anchor=\"middle\">",
                    HtmlEscape(chart.x_labels[k]), "</text>\n");
  }
  const size_t groups = chart.stacked ? 1 : std::max<size_t>(1, chart.bars.size());
  const double bar_w = band * (chart.stacked ? 0.6 : 0.8) / static_cast<double>(groups);
  for (size_t k = 0; k < n; ++k) {
    double base = 0;
    for (size_t s = 0; s < chart.bars.size(); ++s) {
      const ChartSeries& series = chart.bars[s];
      const double v = std::max(0.0, series.values[k]);
      const double x = chart.stacked ? x_center(k) - bar_w / 2
                                     : x_center(k) - band * 0.4 + bar_w * static_cast<double>(s);
      const double y0 = chart.stacked ? base : 0;
      absl::StrAppend(&svg, "<rect class=\"bar\" x=\"", Number(x), "\" y=\"", Number(y_of(y0 + v)),
                      "\" width=\"", Number(bar_w), "\" height=\"", Number(y_of(y0) - y_of(y0 + v)),
                      "\" fill=\"", series.color, "\"><title>", HtmlEscape(series.name), ", ",
                      HtmlEscape(chart.x_labels[k]), ": ", HtmlEscape(ValueLabel(series, k)),
                      "</title></rect>\n");
      if (chart.stacked) base += v;
    }
  }
  for (const ChartSeries& series : chart.lines) {
    std::string points;
    for (size_t k = 0; k < n; ++k) {
      absl::StrAppend(&points, k == 0 ? "" : " ", Number(x_center(k)), ",",
                      Number(y_of(series.values[k])));
    }
    absl::StrAppend(&svg, "<polyline class=\"line\" fill=\"none\" stroke=\"", series.color,
                    "\" stroke-width=\"2\"", series.dashed ? " stroke-dasharray=\"6 4\"" : "",
                    " points=\"", points, "\"/>\n");
    for (size_t k = 0; k < n; ++k) {
      absl::StrAppend(&svg, "<circle cx=\"", Number(x_center(k)), "\" cy=\"",
                      Number(y_of(series.values[k])), "\" r=\"3\" fill=\"", series.color,
                      "\"><title>", HtmlEscape(series.name), ", ", HtmlEscape(chart.x_labels[k]),
                      ": ", HtmlEscape(ValueLabel(series, k)), "</title></circle>\n");
    }
  }
  if (chart.marker && *chart.marker < n) {
    const std::string x = Number(x_center(*chart.marker));
    absl::StrAppend(&svg, "<line class=\"marker\" x1=\"", x, "\" x2=\"", x, "\" y1=\"",
                    Number(kTop), "\" y2=\"", Number(kTop + plot_h), "\"/>",
                    "<text class=\"tick\" x=\"", x, "\" y=\"", Number(kTop - 4),
                    "\" text-anchor=\"middle\">", HtmlEscape(chart.marker_label), "</text>\n");
  }
  double legend_x = kLeft;
  const std::string legend_y = Number(height - 18);
  auto legend = [&](const ChartSeries& series, bool line) {
    absl::StrAppend(
        &svg, line ? "<line x1=\"" : "<rect x=\"", Number(legend_x),
        line ? absl::StrCat("\" x2=\"", Number(legend_x + 14), "\" y1=\"", Number(height - 22),
                            "\" y2=\"", Number(height - 22), "\" stroke=\"", series.color,
                            "\" stroke-width=\"2\"",
                            series.dashed ? " stroke-dasharray=\"4 3\"" : "", "/>")
             : absl::StrCat("\" y=\"", Number(height - 28), "\" width=\"12\" height=\"12\" fill=\"",
                            series.color, "\"/>"),
        "<text class=\"tick\" x=\"", Number(legend_x + 18), "\" y=\"", legend_y, "\">",
        HtmlEscape(series.name), "</text>\n");
    legend_x += 30 + 7 * static_cast<double>(series.name.size());
  };
  for (const ChartSeries& series : chart.bars) legend(series, false);
  for (const ChartSeries& series : chart.lines) legend(series, true);
  svg += "</svg>\n";
  return svg;
}

}  // namespace upkeep::cli
