public import Foundation

/// Dates and times as French readers expect them, in the region's time zone (pages and mails).
public enum FrenchDate {
    private static func style(_ base: Date.FormatStyle) -> Date.FormatStyle {
        var style = base
        style.locale = Locale(identifier: "fr_FR")
        style.timeZone = parisTimeZone
        return style
    }

    /// "20:05"
    public static func time(_ date: Date) -> String {
        date.formatted(style(Date.FormatStyle().hour(.twoDigits(amPM: .omitted)).minute(.twoDigits)))
    }

    /// "21 novembre 2026 à 20:05", "1er décembre 2026 à 08:00" (French writes the first day
    /// of a month as an ordinal).
    public static func dateTime(_ date: Date) -> String {
        "\(day(date)) à \(time(date))"
    }

    /// "21 novembre 2026", "1er décembre 2026"
    public static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = parisTimeZone
        let dayOfMonth = calendar.component(.day, from: date)
        let monthAndYear = date.formatted(style(Date.FormatStyle().month(.wide).year()))
        return "\(dayOfMonth == 1 ? "1er" : String(dayOfMonth)) \(monthAndYear)"
    }

    /// "le 3 mars 2027 de 18:00 à 20:30", or "du 3 mars 2027 à 22:00 au 4 mars 2027 à 01:00"
    /// when it runs past midnight.
    public static func span(from start: Date, to end: Date) -> String {
        let startDay = day(start)
        if startDay == day(end) { return "le \(startDay) de \(time(start)) à \(time(end))" }
        return "du \(dateTime(start)) au \(dateTime(end))"
    }

    private static let parisTimeZone = TimeZone(identifier: "Europe/Paris") ?? .current
}
