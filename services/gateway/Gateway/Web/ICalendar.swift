import Foundation

/// iCalendar files (RFC 5545) as the site serves them: one or more events in the region's
/// time zone, Europe/Paris, described by its own VTIMEZONE so that any calendar places them
/// right; lines end in CRLF and are folded at 75 octets, texts are escaped.
struct ICalendar: Sendable, Equatable {
    /// One VEVENT.
    struct Event: Sendable, Equatable {
        /// Unique and stable across downloads: a calendar updates the event rather than adding it twice.
        var uid: String
        var start: Date
        var end: Date
        var summary: String
        var location: String = ""
        var description: String = ""
        /// An absolute address about the event (its page).
        var url: String? = nil
        /// A called-off event stays in the file as CANCELLED, so calendars remove it.
        var cancelled: Bool = false
        /// Raised at each change of its times, place or status: with the same UID, a calendar
        /// replaces an older copy by the one of higher SEQUENCE.
        var sequence: Int = 0
    }

    static let timeZoneID = "Europe/Paris"

    /// The calendar's name as calendars show it (X-WR-CALNAME).
    var name: String
    var events: [Event]
    /// When the file was written (every event's DTSTAMP).
    var stamp: Date = Date()

    /// The whole file.
    func rendered() -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//CESER Hauts-de-France//Dialogue//FR", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:" + Self.escaped(name), "X-WR-TIMEZONE:" + Self.timeZoneID,
        ]
        lines += Self.parisTimeZone
        for event in events {
            lines += ["BEGIN:VEVENT", "UID:" + Self.escaped(event.uid), "DTSTAMP:" + Self.utc(stamp), "SEQUENCE:\(max(event.sequence, 0))"]
            lines.append("DTSTART;TZID=\(Self.timeZoneID):" + Self.paris(event.start))
            lines.append("DTEND;TZID=\(Self.timeZoneID):" + Self.paris(event.end))
            lines.append("SUMMARY:" + Self.escaped(event.summary))
            if !event.location.isEmpty { lines.append("LOCATION:" + Self.escaped(event.location)) }
            if !event.description.isEmpty { lines.append("DESCRIPTION:" + Self.escaped(event.description)) }
            if let url = event.url { lines.append("URL:" + url) }
            lines.append("STATUS:" + (event.cancelled ? "CANCELLED" : "CONFIRMED"))
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.folded).joined()
    }

    /// Europe/Paris since 1996: CET in winter, CEST from the last Sunday of March at 2:00 to
    /// the last Sunday of October at 3:00.
    static let parisTimeZone = [
        "BEGIN:VTIMEZONE", "TZID:Europe/Paris", "X-LIC-LOCATION:Europe/Paris",
        "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
        "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
        "END:VTIMEZONE",
    ]

    /// A TEXT value: backslashes, semicolons and commas escaped, line breaks as `\n`.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text.replacingOccurrences(of: "\r\n", with: "\n") {
            switch character {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\n", "\r": result += "\\n"
            default:
                // Other control characters are not allowed in a value.
                if character.unicodeScalars.allSatisfy({ $0.properties.generalCategory != .control }) { result.append(character) }
            }
        }
        return result
    }

    /// A content line ending in CRLF, folded so that no line exceeds 75 octets: each
    /// continuation starts with a space, and a UTF-8 character is never cut.
    static func folded(_ line: String) -> String {
        var result = ""
        var current = 0
        var limit = 75
        for character in line {
            let size = String(character).utf8.count
            if current + size > limit {
                result += "\r\n "
                current = 0
                // The leading space counts in the continuation's 75 octets.
                limit = 74
            }
            result.append(character)
            current += size
        }
        return result + "\r\n"
    }

    static func utc(_ date: Date) -> String { format(date, in: TimeZone(identifier: "UTC") ?? .gmt) + "Z" }

    static func paris(_ date: Date) -> String { format(date, in: TimeZone(identifier: timeZoneID) ?? .current) }

    private static func format(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0
        )
    }
}
