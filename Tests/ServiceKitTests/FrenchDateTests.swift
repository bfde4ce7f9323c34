import Foundation
import ServiceKit
import Testing

@Suite struct FrenchDateTests {
    private func date(_ iso: String) throws -> Date {
        try Date(iso, strategy: .iso8601)
    }

    @Test func datesAreInParisTimeWithFrenchMonths() throws {
        // 19:05 UTC is 20:05 in Paris in November (UTC+1).
        #expect(FrenchDate.dateTime(try date("2026-11-21T19:05:00Z")) == "21 novembre 2026 à 20:05")
        // Summer time: UTC+2.
        #expect(FrenchDate.dateTime(try date("2026-07-14T08:30:00Z")) == "14 juillet 2026 à 10:30")
    }

    @Test func theFirstOfTheMonthIsWrittenAsAnOrdinal() throws {
        #expect(FrenchDate.day(try date("2026-12-01T10:00:00Z")) == "1er décembre 2026")
        // 23:30 UTC on 30 November is already 1 December in Paris.
        #expect(FrenchDate.dateTime(try date("2026-11-30T23:30:00Z")) == "1er décembre 2026 à 00:30")
        #expect(FrenchDate.day(try date("2026-12-11T10:00:00Z")) == "11 décembre 2026")
    }
}
