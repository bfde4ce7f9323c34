import DialogueContracts
import Foundation
@testable import Gateway
import Testing

/// The iCalendar files the site serves (RFC 5545), read back by a small parser of their
/// content lines: CRLF endings, lines folded at 75 octets without cutting a character, texts
/// escaped, the Europe/Paris VTIMEZONE, and times given in Paris time with their TZID.
@Suite struct ICalendarTests {
    /// Content lines unfolded (a CRLF followed by a space or tab continues the line).
    static func unfolded(_ file: String) -> [String] {
        file.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\r\n\t", with: "")
            .components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    /// The name (with its parameters) and the raw value of each property of the first VEVENT.
    static func eventProperties(_ file: String) -> [String: String] {
        var properties: [String: String] = [:]
        var inside = false
        for line in unfolded(file) {
            if line == "BEGIN:VEVENT" { inside = true; continue }
            if line == "END:VEVENT" { break }
            guard inside, let colon = line.firstIndex(of: ":") else { continue }
            properties[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        return properties
    }

    /// A TEXT value as a calendar reads it.
    static func unescaped(_ value: String) -> String {
        var result = ""
        var escaping = false
        for character in value {
            if escaping {
                result.append(character == "n" || character == "N" ? "\n" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    static func paris(_ local: String) throws -> Date { try #require(WorkshopTime.date(fromLocal: local)) }

    @Test func eventsParseBackWithTheirTextsAndParisTimes() throws {
        // setup: a summer and a winter event, texts with every character to escape and long enough to fold
        let summary = "Atelier citoyen — Lille : Mobilité, Logement; transports \\ « accès »"
        let description = String(repeating: "Démarche « Jeunesse », thèmes : école; santé. ", count: 6) + "\nLigne 2"
        let calendar = ICalendar(
            name: "Ateliers — Jeunesse",
            events: [
                ICalendar.Event(
                    uid: "atelier-1@dialogue", start: try Self.paris("2027-06-10T18:00"), end: try Self.paris("2027-06-10T20:30"), summary: summary,
                    location: "51 rue Gustave-Delory, Lille", description: description, url: "https://dialogue.example/ateliers/1"
                ),
                ICalendar.Event(
                    uid: "atelier-2@dialogue", start: try Self.paris("2027-01-15T09:00"), end: try Self.paris("2027-01-15T12:00"), summary: "Hiver",
                    cancelled: true, sequence: 2
                ),
            ],
            stamp: try #require(try? Date("2027-01-02T03:04:05Z", strategy: .iso8601))
        )

        // act
        let file = calendar.rendered()

        // check: CRLF only, no line over 75 octets, nothing cut inside a character
        #expect(file.hasSuffix("END:VCALENDAR\r\n"))
        #expect(!file.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let physical = file.components(separatedBy: "\r\n").dropLast()
        #expect(physical.allSatisfy { $0.utf8.count <= 75 }, "a line exceeds 75 octets")
        #expect(physical.contains { $0.hasPrefix(" ") }, "the long description is folded")
        let lines = Self.unfolded(file)
        #expect(lines.prefix(2) == ["BEGIN:VCALENDAR", "VERSION:2.0"])
        #expect(lines.contains("BEGIN:VTIMEZONE") && lines.contains("TZID:Europe/Paris") && lines.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"))
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 2)
        let event = Self.eventProperties(file)
        #expect(event["UID"] == "atelier-1@dialogue")
        #expect(event["DTSTAMP"] == "20270102T030405Z")
        #expect(event["DTSTART;TZID=Europe/Paris"] == "20270610T180000")
        #expect(event["DTEND;TZID=Europe/Paris"] == "20270610T203000")
        #expect(event["SUMMARY"] == "Atelier citoyen — Lille : Mobilité\\, Logement\\; transports \\\\ « accès »")
        #expect(event["SUMMARY"].map(Self.unescaped) == summary)
        #expect(event["DESCRIPTION"].map(Self.unescaped) == description)
        #expect(event["LOCATION"].map(Self.unescaped) == "51 rue Gustave-Delory, Lille")
        #expect(event["STATUS"] == "CONFIRMED" && event["SEQUENCE"] == "0")
        #expect(lines.contains("SEQUENCE:2"))
        // winter time is Paris time too (UTC+1): 09:00 stays 09:00
        #expect(lines.contains("DTSTART;TZID=Europe/Paris:20270115T090000") && lines.contains("STATUS:CANCELLED"))
    }

    @Test func foldingNeverCutsACharacterAndUnfoldsToTheLine() {
        // A line of 3-octet characters: every fold must fall between two of them.
        let line = "DESCRIPTION:" + String(repeating: "€", count: 80)
        let folded = ICalendar.folded(line)
        let parts = folded.components(separatedBy: "\r\n").dropLast()
        #expect(parts.count > 1)
        #expect(parts.allSatisfy { $0.utf8.count <= 75 })
        #expect(parts.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(Self.unfolded(folded) == [line])
        #expect(ICalendar.folded("SHORT:1") == "SHORT:1\r\n")
    }

    @Test func localDateTimesAreReadInParis() throws {
        // 18:00 in Paris is 16:00 UTC in summer, 17:00 in winter.
        #expect(try Self.paris("2027-06-10T18:00") == (try? Date("2027-06-10T16:00:00Z", strategy: .iso8601)))
        #expect(try Self.paris("2027-01-15T18:00") == (try? Date("2027-01-15T17:00:00Z", strategy: .iso8601)))
        #expect(WorkshopTime.date(fromLocal: "2027-02-30T18:00") == nil)
        #expect(WorkshopTime.date(fromLocal: "2027-06-10T25:00") == nil)
        #expect(WorkshopTime.date(fromLocal: "2027-06-10") == nil)
        #expect(WorkshopTime.local(try Self.paris("2027-06-10T18:05")) == "2027-06-10T18:05")
    }
}
