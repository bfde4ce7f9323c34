/// How one form names the fields of the request it sends: the one place where a service's
/// refusal, which names a field of the contract in English (`title`, `collected_on`), finds
/// the form's French field (`titre`, `date`) to show its message next to.
struct FormFieldNames: Sendable {
    private let names: [String: String]
    private let fallback: String

    /// - Parameters:
    ///   - names: the form's field for each contract field whose name differs.
    ///   - fallback: where a refusal naming no known field is shown (the form's first field).
    init(_ names: [String: String], otherwise fallback: String) {
        self.names = names
        self.fallback = fallback
    }

    /// The form's field for a contract's field name; unknown or absent names go to the fallback.
    func formField(for contractField: String?) -> String {
        contractField.flatMap { names[$0] } ?? fallback
    }
}

extension FormErrors {
    /// Shows a service's refusal next to the form field it names.
    mutating func add(_ refusal: APIError, in form: FormFieldNames) {
        add(form.formField(for: refusal.field), refusal.message)
    }
}
