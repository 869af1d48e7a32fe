import Mustache

/// Makes an empty string false in a Mustache section, as in other Mustache implementations:
/// swift-mustache treats only `Bool`, sequences and `nil` as false, so `{{#status}}…{{/status}}`
/// rendered an empty notice bar (and empty links) whenever a page model's text was empty.
/// A conformance holds for the whole process, so this serves the pages and the emails alike.
extension String: @retroactive MustacheCustomRenderable {
    /// The text itself; `{{x}}` still escapes it.
    public var renderText: String { self }
    public var isNull: Bool { isEmpty }
}
