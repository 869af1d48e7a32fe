import Foundation
import MutualStore

/// The filters identity providers send before creating a user (RFC 7644 §3.4.2.2):
/// `userName eq "…"`, and `externalId eq "…"` or `id eq "…"`. Anything else is refused with
/// `invalidFilter` naming what Mutual understands.
enum SCIMFilter {
    static func parse(_ text: String) throws -> ProvisioningFilter {
        let refusal = SCIMError(
            status: .badRequest, scimType: "invalidFilter",
            detail: "Mutual understands the filters userName eq \"…\", externalId eq \"…\" and id eq \"…\"; \(text.prefix(200)) is not one of them.")
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count == 3, parts[1].lowercased() == "eq" else { throw refusal }
        let quoted = parts[2].trimmingCharacters(in: .whitespaces)
        guard quoted.count >= 2, quoted.hasPrefix("\""), quoted.hasSuffix("\"") else { throw refusal }
        // A JSON string literal (RFC 7644 compares with JSON's escapes).
        guard let value = try? JSONDecoder().decode([String].self, from: Data(("[" + quoted + "]").utf8)).first else { throw refusal }
        switch parts[0].lowercased() {
        case "username", "emails.value": return .email(value.trimmingCharacters(in: .whitespaces))
        case "externalid": return .externalID(value)
        case "id": return UUID(uuidString: value).map(ProvisioningFilter.id) ?? .nobody
        default: throw refusal
        }
    }
}
