extension String {
    /// nil for "", so an optional form value or setting left blank reads as absent.
    public var nilIfEmpty: String? { isEmpty ? nil : self }
}
