import Foundation

/// Cramér's V, the size of the link between rows and columns: 0 for none, 1 when the row
/// tells the column for certain; unlike the p-value, it does not grow with the number of answers.
public struct CramersV: Sendable, Hashable, Codable {
    /// √(χ² / (n × (min(rows, columns) − 1))), over the answered rows and columns.
    public let value: Double
    /// min(answered rows, answered columns) − 1, which sets the bands.
    public let dimension: Int
    public let band: EffectBand

    public init(_ chiSquare: ChiSquareTest, table: CrossTab) {
        let dimension = min(table.answeredRows.count, table.answeredColumns.count) - 1
        precondition(dimension >= 1, "a tested table has at least two answered rows and columns")
        let raw = (chiSquare.statistic / (Double(table.grandTotal) * Double(dimension))).squareRoot()
        // Rounding can push a perfect association a hair above 1.
        value = min(1, raw)
        self.dimension = dimension
        band = EffectBand(cramersV: value, dimension: dimension)
    }
}

/// How large an effect is, in Cohen's conventional bands.
public enum EffectBand: String, Sendable, Hashable, Codable, CaseIterable {
    case negligible, small, medium, large

    /// Cohen (1988) sets 0.1, 0.3 and 0.5 for w; V = w / √dimension, so the bands for V shrink
    /// as the table grows: 0.10 / 0.30 / 0.50 for a 2×k table, 0.07 / 0.21 / 0.35 with three
    /// rows and columns, and so on.
    public init(cramersV: Double, dimension: Int) {
        let scale = Double(max(1, dimension)).squareRoot()
        let w = cramersV * scale
        self = switch w {
        case ..<0.1: .negligible
        case ..<0.3: .small
        case ..<0.5: .medium
        default: .large
        }
    }
}
