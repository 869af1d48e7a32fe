import Foundation
import Mustache

/// A message rendered from its templates: `NAME.subject`, `NAME.text` and `NAME.html` in
/// `Mail/Templates`, with the shared partials (`email-top`, `email-bottom`, `email-button`,
/// `email-text-footer`).
public struct RenderedEmail: Sendable, Equatable {
    public var subject: String
    public var text: String
    public var html: String
}

/// The email templates shipped with the module, loaded once.
public struct EmailTemplates: Sendable {
    let library: MustacheLibrary

    /// The templates every message is made from.
    public static let shared: EmailTemplates = {
        do {
            return try EmailTemplates.load()
        } catch {
            fatalError("The email templates are missing or broken in this build (\(error)). Rebuild with `swift build`.")
        }
    }()

    static func load() throws -> EmailTemplates {
        let directory = Bundle.module.bundleURL.appendingPathComponent("Templates")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mustache") }
        var library = MustacheLibrary()
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            try library.register(text, named: String(file.dropLast(".mustache".count)))
        }
        guard library.getTemplate(named: "email-top") != nil else {
            throw StoreError.invalidConfiguration("The email templates are missing from the build (looked in \(directory.path)).")
        }
        return EmailTemplates(library: library)
    }

    /// Renders template `name` with `values` (strings, lists of strings, flags).
    public func render(_ name: String, _ values: [String: Any]) throws -> RenderedEmail {
        guard let subject = library.render(values, withTemplate: "\(name).subject"),
            let text = library.render(values, withTemplate: "\(name).text"),
            let html = library.render(values.merging(["subject": subject]) { $1 }, withTemplate: "\(name).html")
        else {
            throw StoreError.invalidConfiguration("The email template \(name) is missing from this build.")
        }
        return RenderedEmail(
            subject: subject.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: " "),
            text: text.trimmingCharacters(in: .whitespacesAndNewlines) + "\n", html: html)
    }
}
