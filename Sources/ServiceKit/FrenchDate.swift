public import Foundation

/// Dates and times as French readers expect them, in the region's time zone (pages and mails).
public enum FrenchDate {
    private static func style(_ base: Date.FormatStyle) -> Date.FormatStyle {
        var style = base
        style.locale = Locale(identifier: "fr_FR")
        style.timeZone = TimeZone(identifier: "Europe/Paris") ?? .current
        return style
    }

    /// "20:05"
    public static func time(_ date: Date) -> String {
        date.formatted(style(Date.FormatStyle().hour(.twoDigits(amPM: .omitted)).minute(.twoDigits)))
    }

    /// "21 novembre 2026 à 20:05"
    public static func dateTime(_ date: Date) -> String {
        date.formatted(style(Date.FormatStyle().day().month(.wide).year().hour(.twoDigits(amPM: .omitted)).minute(.twoDigits)))
    }
}
