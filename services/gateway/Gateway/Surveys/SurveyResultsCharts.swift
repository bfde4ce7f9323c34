import Foundation

/// The results page's charts, drawn on the server as inline SVG (no script): a horizontal bar
/// per answer of a closed question, a stacked bar per row of a matrix or option of a ranking,
/// and a box plot for numbers and scales.
///
/// Accessibility (RGAA 1.x, WCAG 1.1.1 and 1.4.1): each chart is one `role="img"` named by
/// its `<title>` and described by its `<desc>`, which says what it draws and every value; the
/// table next to it stays the full alternative. Every bar carries its value written beside it,
/// so colour never carries meaning alone. A count the page does not publish (« < 10 »,
/// « masqué ») is drawn as a dashed empty frame with its label, never as a length: a bar of
/// any size would give away, or pretend to give, the hidden count.
///
/// Pure functions of their input returning markup: every piece of text is escaped here, since
/// the template inserts the result as it is.
enum SurveyResultsChart {
    /// One bar: its answer, its share of those who answered (0–100; nil when not published)
    /// and what is written beside it.
    struct Bar: Equatable {
        let label: String
        let share: Double?
        let text: String
    }

    /// The drawing's geometry, in the SVG's own units (the SVG scales to its container).
    enum Layout {
        static let width = 640
        /// The length of a bar at 100 %.
        static let track = 440.0
        static let rowHeight = 46
        static let barHeight = 18
        /// Long labels are cut in the drawing; the table has them whole.
        static let labelLength = 70
    }

    /// A bar chart of the shares of a question's answers, or nil without any answer line.
    static func bars(id: String, title: String, bars: [Bar]) -> String? {
        guard !bars.isEmpty else { return nil }
        let height = bars.count * Layout.rowHeight + 8
        let description =
            "Diagramme en barres horizontales : une barre par réponse, de longueur proportionnelle à sa part. "
            + bars.map { "\($0.label) : \($0.text)" }.joined(separator: " ; ") + "."
            + " Un cadre en pointillés signale un nombre non publié. Les mêmes chiffres sont dans le tableau."
        var svg = opening(id: id, title: title, description: description, height: height)
        for (index, bar) in bars.enumerated() {
            let top = index * Layout.rowHeight
            let barTop = top + 20
            svg += #"<text class="chart-label" x="0" y="\#(top + 14)">\#(escaped(shortened(bar.label)))</text>"#
            if let share = bar.share {
                let length = Self.length(ofShare: share)
                svg += #"<rect class="chart-bar" x="0" y="\#(barTop)" width="\#(number(length))" height="\#(Layout.barHeight)"></rect>"#
                svg += #"<text class="chart-value" x="\#(number(length + 6))" y="\#(barTop + 14)">\#(escaped(bar.text))</text>"#
            } else {
                svg += #"<rect class="chart-masked" x="1" y="\#(barTop)" width="\#(number(Layout.track - 2))" height="\#(Layout.barHeight)" fill="none" stroke-dasharray="6 4"></rect>"#
                svg += #"<text class="chart-value" x="8" y="\#(barTop + 14)">\#(escaped(bar.text))</text>"#
            }
        }
        return svg + "</svg>"
    }

    /// The length of a bar, proportional to its share (clamped to 0–100 %).
    static func length(ofShare share: Double) -> Double {
        Layout.track * min(100, max(0, share)) / 100
    }

    /// One row of a stacked chart: its label, each column's share of the row (0–100), or nil
    /// when a count of the row is not published, and what is written beside it.
    struct StackedRow: Equatable {
        let label: String
        let shares: [Double]?
        let text: String
    }

    /// A horizontal bar per row (a matrix's row, a ranked option), split into one segment per
    /// column (a scale point, a place) as long as its share. The columns are ordered, so the
    /// segments go from light to dark in their order, separated by a white line, and each one
    /// wide enough is written with its column (and its share when it fits): the drawing never
    /// relies on the shade alone. A row with a count not published is a dashed frame, like a
    /// masked bar, since its other segments would give the hidden one away.
    static func stackedBars(id: String, title: String, columns: [String], rows: [StackedRow], columnsMeaning: String) -> String? {
        guard !rows.isEmpty, !columns.isEmpty else { return nil }
        let height = rows.count * Layout.rowHeight + 8
        let description =
            "Diagramme en barres empilées : une barre par ligne, découpée en \(columnsMeaning) (\(columns.joined(separator: ", "))), "
            + "chaque morceau de longueur proportionnelle à sa part, du plus clair au plus foncé. "
            + rows.map { "\($0.label) : \($0.text)" }.joined(separator: " ; ") + "."
            + " Un cadre en pointillés signale une ligne dont un nombre n'est pas publié. Les mêmes chiffres sont dans le tableau."
        var svg = opening(id: id, title: title, description: description, height: height)
        for (index, row) in rows.enumerated() {
            let top = index * Layout.rowHeight
            let barTop = top + 20
            svg += #"<text class="chart-label" x="0" y="\#(top + 14)">\#(escaped(shortened(row.label)))</text>"#
            guard let shares = row.shares, shares.count == columns.count else {
                svg += #"<rect class="chart-masked" x="1" y="\#(barTop)" width="\#(number(Layout.track - 2))" height="\#(Layout.barHeight)" fill="none" stroke-dasharray="6 4"></rect>"#
                svg += #"<text class="chart-value" x="8" y="\#(barTop + 14)">\#(escaped(row.text))</text>"#
                continue
            }
            var left = 0.0
            for (column, share) in shares.enumerated() {
                let length = Self.length(ofShare: share)
                guard length > 0 else { continue }
                let shade = Self.shade(column, of: columns.count)
                svg += #"<rect class="chart-segment" x="\#(number(left))" y="\#(barTop)" width="\#(number(length))" height="\#(Layout.barHeight)" fill="\#(shade.fill)" stroke="white" stroke-width="1.5"></rect>"#
                let written = length >= 78 ? "\(columns[column]) · \(ResultsNumber.percent(share))" : length >= 16 ? columns[column] : nil
                if let written {
                    let textClass = shade.isDark ? "chart-value chart-on-dark" : "chart-value"
                    svg += #"<text class="\#(textClass)" x="\#(number(left + length / 2))" y="\#(barTop + 14)" text-anchor="middle">\#(escaped(written))</text>"#
                }
                left += length
            }
        }
        return svg + "</svg>"
    }

    /// The fill of a segment, from a light to a dark blue in the columns' order, and whether
    /// text on it is written in white. The first half of the columns takes the lightest 35 %
    /// of the ramp (dark text on it meets 7:1), the second half the darkest 30 % (white text
    /// meets 5:1): the mid-tones, on which neither text colour reaches 4.5:1, are skipped.
    static func shade(_ column: Int, of count: Int) -> (fill: String, isDark: Bool) {
        let light = (r: 0xDB, g: 0xE7, b: 0xF5)
        let dark = (r: 0x12, g: 0x3F, b: 0x73)
        let position = count > 1 ? Double(column) / Double(count - 1) : 1
        let t = position < 0.5 ? position * 0.7 : 0.7 + (position - 0.5) * 0.6
        func channel(_ from: Int, _ to: Int) -> Int { Int((Double(from) + (Double(to) - Double(from)) * t).rounded()) }
        let (r, g, b) = (channel(light.r, dark.r), channel(light.g, dark.g), channel(light.b, dark.b))
        return (String(format: "#%02x%02x%02x", r, g, b), position >= 0.5)
    }

    /// The five figures of a box plot, written the page's way.
    struct Distribution: Equatable {
        let minimum: Double
        let lowerQuartile: Double
        let median: Double
        let upperQuartile: Double
        let maximum: Double
    }

    /// A box plot: the box from the first to the third quartile, a line at the median,
    /// whiskers to the minimum and maximum, each figure written under the axis.
    static func boxPlot(id: String, title: String, _ figures: Distribution) -> String {
        let (left, right) = (20.0, Double(Layout.width) - 20)
        let span = figures.maximum - figures.minimum
        func x(_ value: Double) -> Double {
            span > 0 ? left + (value - figures.minimum) / span * (right - left) : (left + right) / 2
        }
        let (minimum, lower, median, upper, maximum) =
            (x(figures.minimum), x(figures.lowerQuartile), x(figures.median), x(figures.upperQuartile), x(figures.maximum))
        let text = (
            minimum: ResultsNumber.decimal(figures.minimum), lower: ResultsNumber.decimal(figures.lowerQuartile),
            median: ResultsNumber.decimal(figures.median), upper: ResultsNumber.decimal(figures.upperQuartile),
            maximum: ResultsNumber.decimal(figures.maximum)
        )
        let description =
            "Boîte à moustaches : minimum \(text.minimum), premier quartile \(text.lower), médiane \(text.median), "
            + "troisième quartile \(text.upper), maximum \(text.maximum). La boîte va du premier au troisième quartile "
            + "et contient la moitié des réponses ; le trait épais marque la médiane. Les mêmes chiffres sont dans le tableau."
        var svg = opening(id: id, title: title, description: description, height: 96)
        svg += #"<line class="chart-whisker" x1="\#(number(minimum))" y1="30" x2="\#(number(lower))" y2="30"></line>"#
        svg += #"<line class="chart-whisker" x1="\#(number(upper))" y1="30" x2="\#(number(maximum))" y2="30"></line>"#
        svg += #"<line class="chart-whisker" x1="\#(number(minimum))" y1="18" x2="\#(number(minimum))" y2="42"></line>"#
        svg += #"<line class="chart-whisker" x1="\#(number(maximum))" y1="18" x2="\#(number(maximum))" y2="42"></line>"#
        svg += #"<rect class="chart-box" x="\#(number(lower))" y="12" width="\#(number(upper - lower))" height="36"></rect>"#
        svg += #"<line class="chart-median" x1="\#(number(median))" y1="8" x2="\#(number(median))" y2="52"></line>"#
        svg += #"<text class="chart-value" x="\#(number(left))" y="74">min. \#(escaped(text.minimum))</text>"#
        svg += #"<text class="chart-value" x="\#(number(median))" y="74" text-anchor="middle">médiane \#(escaped(text.median))</text>"#
        svg += #"<text class="chart-value" x="\#(number(right))" y="74" text-anchor="end">max. \#(escaped(text.maximum))</text>"#
        svg += #"<text class="chart-value" x="\#(number((left + right) / 2))" y="92" text-anchor="middle">quartiles \#(escaped(text.lower)) et \#(escaped(text.upper))</text>"#
        return svg + "</svg>"
    }

    // MARK: Markup

    private static func opening(id: String, title: String, description: String, height: Int) -> String {
        let titleID = escaped("graphique-\(id)-titre")
        let descriptionID = escaped("graphique-\(id)-description")
        return #"<svg class="results-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(Layout.width) \#(height)" role="img" "#
            + #"aria-labelledby="\#(titleID) \#(descriptionID)" focusable="false">"#
            + #"<title id="\#(titleID)">\#(escaped(title))</title><desc id="\#(descriptionID)">\#(escaped(description))</desc>"#
    }

    /// Text for XML content and attribute values.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    private static func shortened(_ label: String) -> String {
        label.count <= Layout.labelLength ? label : String(label.prefix(Layout.labelLength - 1)) + "…"
    }

    /// A coordinate with at most two decimals and a dot, as SVG wants it.
    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.2f", rounded)
    }
}
