// Small text helper shared by forms, imports and cookies.

extension String {
    /// nil for an empty string: "not given" for optional fields and cookies.
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
