import Foundation
import SQLKit

extension Store {
    /// Email to other people that still names an erased person where a text search cannot see
    /// it: email jobs (their message is sealed under `MUTUAL_SECRET`, queued or already sent) and
    /// the outbox's attachments (calendar files in base64, whose lines may be folded mid-name).
    /// Each is opened, rewritten to say "a former member" and no address, and stored again, so a
    /// queued message still goes and a sent one keeps its record. Returns how many were rewritten.
    func eraseFromMail(name: String, addresses: Set<String>, organisationID: UUID, on sql: any SQLDatabase) async throws -> Int {
        let scrubber = MailScrubber(name: name, addresses: addresses)
        var rewritten = 0
        let jobs = try await sql.raw(
            "SELECT id, payload FROM jobs WHERE kind = \(bind: JobKind.email) AND organisation_id = \(bind: organisationID)"
        ).all()
        for row in jobs {
            let payload = try row.decode(column: "payload", as: String.self)
            guard var job = try? JobCoding.decode(EmailJob.self, from: payload),
                let opened = try? sealer.open(job.sealedMessage),
                var email = try? JobCoding.decode(OutgoingEmail.self, from: opened),
                scrubber.scrub(&email)
            else { continue }
            job.sealedMessage = try sealer.seal(try JobCoding.encode(email))
            try await sql.raw("UPDATE jobs SET payload = \(bind: try JobCoding.encode(job)) WHERE id = \(bind: try row.decode(column: "id", as: UUID.self))")
                .run()
            rewritten += 1
        }
        let outbox = try await sql.raw(
            "SELECT id, attachments FROM outbox_messages WHERE organisation_id = \(bind: organisationID) AND attachments <> '[]'"
        ).all()
        for row in outbox {
            let text = try row.decode(column: "attachments", as: String.self)
            guard var attachments = try? JSONDecoder().decode([EmailAttachment].self, from: Data(text.utf8)),
                scrubber.scrub(&attachments)
            else { continue }
            let json = String(decoding: try JSONEncoder().encode(attachments), as: UTF8.self)
            try await sql.raw("UPDATE outbox_messages SET attachments = \(bind: json) WHERE id = \(bind: try row.decode(column: "id", as: UUID.self))").run()
            rewritten += 1
        }
        return rewritten
    }
}

/// Rewrites an erased person's name and addresses out of an email, attachments included.
struct MailScrubber {
    let name: String
    let addresses: Set<String>

    /// Whether the text mentions them (any case).
    func mentions(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return (!name.isEmpty && lowered.contains(name.lowercased())) || addresses.contains { !$0.isEmpty && lowered.contains($0) }
    }

    /// The text with their name as "a former member" and their addresses removed.
    func rewrite(_ text: String) -> String {
        var result = text
        if !name.isEmpty { result = result.replacingOccurrences(of: name, with: Store.formerMemberName, options: .caseInsensitive) }
        for address in addresses where !address.isEmpty {
            result = result.replacingOccurrences(of: address, with: "", options: .caseInsensitive)
        }
        return result
    }

    /// Rewrites the email in place; false when it did not mention them.
    func scrub(_ email: inout OutgoingEmail) -> Bool {
        var changed = scrub(&email.attachments)
        for keyPath in [\OutgoingEmail.subject, \OutgoingEmail.body] where mentions(email[keyPath: keyPath]) {
            email[keyPath: keyPath] = rewrite(email[keyPath: keyPath])
            changed = true
        }
        if let html = email.html, mentions(html) {
            email.html = rewrite(html)
            changed = true
        }
        if let recipientName = email.recipientName, mentions(recipientName) {
            email.recipientName = rewrite(recipientName)
            changed = true
        }
        return changed
    }

    /// Rewrites text attachments in place (a calendar file is unfolded first, RFC 5545 3.1, so a
    /// name split over two lines is found); false when none mentioned them.
    func scrub(_ attachments: inout [EmailAttachment]) -> Bool {
        var changed = false
        for index in attachments.indices {
            let text = String(decoding: attachments[index].content, as: UTF8.self)
            let unfolded = text.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\r\n\t", with: "")
            guard mentions(unfolded) else { continue }
            attachments[index].content = Data(rewrite(unfolded).utf8)
            changed = true
        }
        return changed
    }
}
